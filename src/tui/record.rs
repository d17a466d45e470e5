//! What the TUI writes to the session journal. `App` only queues events as effects; the
//! event loop appends them, so the state machine stays free of I/O.

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::app::{App, Effect, Screen};
use super::guide::Guide;
use crate::journal::resume::State;
use crate::journal::{Event, Place};

/// A query typed and left alone this long is written to the journal.
const SEARCH_DEBOUNCE: Duration = Duration::from_millis(1500);

impl App {
    pub fn log(&mut self, event: Event) {
        self.effects.push(Effect::Journal(event));
    }

    /// The journal's name for where the responder is now.
    pub fn place_here(&self) -> Option<Place> {
        let g = self.guide.as_ref()?;
        let section = g.rb.sections.get(g.section)?;
        Some(Place {
            runbook: g.rb.id.clone(),
            title: g.rb.title.clone(),
            // Absolute, so that the report and resume find it from any folder.
            root: std::path::absolute(&g.root_dir).unwrap_or_else(|_| g.root_dir.clone()).display().to_string(),
            path: g.rb.path.clone(),
            section: section.id.clone(),
            section_title: if section.title.is_empty() { g.rb.title.clone() } else { section.title.clone() },
        })
    }

    pub fn log_section(&mut self) {
        if let Some(place) = self.place_here() {
            self.log(Event::Section { place });
        }
    }

    /// Write the query to the journal if it changed since it was last written.
    pub fn log_query(&mut self) {
        let q = self.query.text.trim().to_owned();
        if !q.is_empty() && q != self.logged_query {
            self.logged_query.clone_from(&q);
            self.log(Event::Search { query: q });
        }
        self.query_changed = None;
    }

    /// Called every loop turn: writes a query that has rested long enough.
    pub fn tick(&mut self, now: Instant) {
        if self.query_changed.is_some_and(|t| now.saturating_duration_since(t) >= SEARCH_DEBOUNCE) {
            self.log_query();
        }
    }

    pub fn save_note(&mut self, now: Instant) {
        let text = crate::text::one_line(self.note.text.trim());
        self.note = super::input::Input::default();
        if text.is_empty() {
            return;
        }
        let items = super::render::section_items(self);
        let step = self.guide.as_ref().and_then(|g| match g.selected.and_then(|s| items.get(s)) {
            Some(super::markdown::Item::Step(n)) => Some(g.global_step(*n)),
            _ => None,
        });
        let place = self.place_here();
        self.log(Event::Note { place, step, text });
        self.say("Note saved in the session journal", now);
    }

    /// Show the handoff report built by the event loop.
    pub fn show_report(&mut self, text: String) {
        self.report = Some(text);
        self.overlay = Some(super::app::Overlay::Report { scroll: 0 });
    }

    /// Reopen a session where it stopped: the runbook, the section and the checklist.
    pub fn resume(&mut self, state: &State, now: Instant) {
        for (id, steps) in &state.checked {
            self.checked.insert(id.clone(), steps.keys().copied().collect::<BTreeSet<usize>>());
        }
        let Some(place) = &state.place else { return };
        let root_dir = std::path::PathBuf::from(&place.root);
        // The same folder, however it was named (relative, absolute, through a symlink).
        let canon = root_dir.canonicalize().ok();
        let same = |r: &std::path::PathBuf| {
            *r == root_dir
                || std::path::absolute(r).is_ok_and(|a| a == root_dir)
                || (canon.is_some() && r.canonicalize().ok() == canon)
        };
        let Some(root) = self.roots.iter().position(same) else {
            let why = if root_dir.is_dir() {
                format!("its folder {} is not open now (run `runbook --dir {} --resume`)", place.root, place.root)
            } else {
                format!("its folder {} is not there any more", place.root)
            };
            self.say(format!("Cannot resume at {}: {why}", place.title), now);
            return;
        };
        let root_dir = self.roots.get(root).cloned().unwrap_or(root_dir);
        match super::app::load(root, &root_dir, &place.path) {
            Ok(rb) => {
                let g = Guide::new(Arc::new(rb), root_dir, Some(&place.section), now);
                self.guide = Some(g);
                self.screen = Screen::Guide;
                self.say(format!("Resumed: {} > {}", place.title, place.section_title), now);
            }
            Err(msg) => self.say(msg, now),
        }
    }
}
