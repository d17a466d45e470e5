//! The TUI's whole state and the one `update` that changes it. Rendering reads `&App`; the
//! event loop turns keys into actions (keymap) and carries out the effects `update` asks for
//! (copy to clipboard), so everything here is testable without a terminal.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::action::Action;
use super::guide::{Find, Guide, View};
pub use super::input::Input;
use super::keymap::KeyContext;
use super::markdown::Item;
use super::theme::Theme;
use crate::problem::Problem;
use crate::runbook::library::{Candidate, load_candidate, normalize_rel};
use crate::runbook::{Runbook, SectionRole, Target};
use crate::search::{Entry, Hit, Progress, SearchIndex, Snippet};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Search,
    Guide,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    Help,
    Escalation,
    Outline {
        selected: usize,
    },
    Problems {
        selected: usize,
    },
    /// Confirming the n-th step of the current section, which is risky.
    ConfirmRisk {
        step: usize,
    },
    /// Typing a note for the journal (text in `App::note`).
    Note,
    /// The handoff report (text in `App::report`).
    Report {
        scroll: usize,
    },
    /// The last session ended abruptly: offer to resume it.
    ResumeOffer,
}

/// Something the event loop must do outside the state (effects of an update).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Put text on the terminal's clipboard (OSC 52).
    Copy(String),
    /// Append to the session journal.
    Journal(crate::journal::Event),
    /// Build the handoff report from the journal and show it (`App::show_report`).
    ShowReport,
    /// Build the handoff report and copy it.
    CopyReport,
    /// Resume the last session (the event loop loads it and calls `App::resume`).
    Resume,
}

/// The search index: still building in the background, or ready.
#[derive(Debug)]
pub enum IndexState {
    Building(Arc<Progress>),
    Ready(Arc<SearchIndex>),
}

/// Where Back returns to.
#[derive(Debug, Clone)]
pub struct Place {
    pub guide: Guide,
}

#[derive(Debug)]
pub struct App {
    pub screen: Screen,
    pub overlay: Option<Overlay>,
    pub theme: Theme,
    pub roots: Vec<PathBuf>,
    pub index: IndexState,
    pub query: Input,
    pub results: Vec<Hit>,
    pub selected: usize,
    pub guide: Option<Guide>,
    pub history: Vec<Place>,
    /// Checked steps per runbook id (global step numbers).
    pub checked: HashMap<String, BTreeSet<usize>>,
    /// When each runbook was first opened this session (escalation timers).
    pub first_opened: HashMap<String, Instant>,
    pub problems: Vec<Problem>,
    pub status: Option<(String, Instant)>,
    /// Terminal size (width, height), kept for scrolling decisions.
    pub size: (u16, u16),
    pub effects: Vec<Effect>,
    pub quit: bool,
    /// The note being typed (Overlay::Note).
    pub note: Input,
    /// The handoff report being shown (Overlay::Report).
    pub report: Option<String>,
    /// What the resume offer says about the last session.
    pub resume_summary: Option<String>,
    /// The query as last written to the journal, and when the query last changed.
    pub logged_query: String,
    pub query_changed: Option<Instant>,
}

/// Lines a page-scroll moves.
fn page(app: &App) -> usize {
    usize::from(app.size.1.saturating_sub(8)).max(3)
}

impl App {
    pub fn new(roots: Vec<PathBuf>, theme: Theme, query: &str, progress: Arc<Progress>) -> App {
        App {
            screen: Screen::Search,
            overlay: None,
            theme,
            roots,
            index: IndexState::Building(progress),
            query: Input::new(query),
            results: Vec::new(),
            selected: 0,
            guide: None,
            history: Vec::new(),
            checked: HashMap::new(),
            first_opened: HashMap::new(),
            problems: Vec::new(),
            status: None,
            size: (80, 24),
            effects: Vec::new(),
            quit: false,
            note: Input::default(),
            report: None,
            resume_summary: None,
            logged_query: String::new(),
            query_changed: None,
        }
    }

    /// The index finished building: show results for what was typed meanwhile.
    pub fn index_ready(&mut self, index: Arc<SearchIndex>) {
        self.problems = index.problems().to_vec();
        self.index = IndexState::Ready(index);
        self.refresh_results();
    }

    pub fn key_context(&self) -> KeyContext {
        match self.overlay {
            Some(Overlay::ConfirmRisk { .. } | Overlay::ResumeOffer) => KeyContext::Confirm,
            Some(Overlay::Outline { .. } | Overlay::Problems { .. }) => KeyContext::List,
            Some(Overlay::Help | Overlay::Escalation | Overlay::Report { .. }) => KeyContext::Info,
            Some(Overlay::Note) => KeyContext::TextInput,
            None => match self.screen {
                Screen::Search => KeyContext::Search,
                Screen::Guide if self.guide.as_ref().and_then(|g| g.find.as_ref()).is_some_and(|f| f.editing) => {
                    KeyContext::TextInput
                }
                Screen::Guide => KeyContext::Guide,
            },
        }
    }

    pub fn say(&mut self, msg: impl Into<String>, now: Instant) {
        self.status = Some((msg.into(), now));
    }

    /// The status message, if it is still fresh.
    pub fn status_text(&self, now: Instant) -> Option<&str> {
        self.status
            .as_ref()
            .filter(|(_, at)| now.saturating_duration_since(*at) < Duration::from_secs(6))
            .map(|(s, _)| s.as_str())
    }

    fn refresh_results(&mut self) {
        let IndexState::Ready(index) = &self.index else { return };
        self.results = if self.query.text.trim().is_empty() {
            browse(index.entries())
        } else {
            index.search(&self.query.text, 50)
        };
        self.selected = 0;
    }

    /// Apply one action.
    pub fn update(&mut self, action: Action, now: Instant) {
        if action == Action::Quit {
            self.quit = true;
            return;
        }
        if let Some(overlay) = self.overlay {
            self.update_overlay(overlay, action, now);
            return;
        }
        match self.screen {
            Screen::Search => self.update_search(action, now),
            Screen::Guide => self.update_guide(action, now),
        }
    }

    fn edit_query(&mut self, e: super::action::Edit) {
        if self.query.apply(e) {
            self.query_changed = Some(Instant::now());
            self.refresh_results();
        }
    }

    fn update_search(&mut self, action: Action, now: Instant) {
        match action {
            Action::Edit(e) => self.edit_query(e),
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(self.results.len().saturating_sub(1)),
            Action::PageUp => self.selected = self.selected.saturating_sub(5),
            Action::PageDown => self.selected = (self.selected + 5).min(self.results.len().saturating_sub(1)),
            Action::Activate => {
                if let Some(hit) = self.results.get(self.selected).cloned() {
                    self.log_query();
                    self.open_entry(&hit.entry, hit.section.as_deref(), now);
                }
            }
            Action::Escape => {
                if self.query.text.is_empty() {
                    self.quit = true;
                } else {
                    self.query = Input::default();
                    self.refresh_results();
                }
            }
            Action::Help => self.overlay = Some(Overlay::Help),
            Action::Problems if !self.problems.is_empty() => self.overlay = Some(Overlay::Problems { selected: 0 }),
            _ => {}
        }
    }

    /// Open a runbook from the index (a search result).
    pub fn open_entry(&mut self, entry: &Entry, section: Option<&str>, now: Instant) {
        let root = self.roots.iter().position(|r| *r == entry.root).unwrap_or(0);
        match load(root, &entry.root, &entry.path) {
            Ok(rb) => {
                // Decision trees and procedures start at their start; references open at the
                // best-matching section.
                let section = if rb.kind == crate::runbook::Kind::Reference { section } else { None };
                self.history.clear();
                self.open(rb, entry.root.clone(), section, now);
            }
            Err(msg) => self.say(msg, now),
        }
    }

    fn open(&mut self, rb: Runbook, root_dir: PathBuf, section: Option<&str>, now: Instant) {
        let opened = *self.first_opened.entry(rb.id.clone()).or_insert(now);
        let mut g = Guide::new(Arc::new(rb), root_dir, section, now);
        g.opened_at = opened;
        if g.view == View::Pager
            && let Some(s) = section
        {
            g.scroll = super::render::pager_offset(self, &g, s);
        }
        self.guide = Some(g);
        self.screen = Screen::Guide;
        self.select_first_step();
        if let Some(place) = self.place_here() {
            self.log(crate::journal::Event::Open { place });
        }
    }

    fn update_guide(&mut self, action: Action, now: Instant) {
        let Some(g) = self.guide.as_mut() else {
            self.screen = Screen::Search;
            return;
        };
        if let Some(find) = g.find.as_mut().filter(|f| f.editing) {
            match action {
                Action::Edit(e) => {
                    find.query.apply(e);
                }
                Action::Activate => {
                    find.editing = false;
                    self.find_move(true, now);
                }
                Action::Escape => g.find = None,
                _ => {}
            }
            return;
        }
        let items = super::render::section_items(self);
        let page = page(self);
        let Some(g) = self.guide.as_mut() else { return };
        match action {
            Action::Answer(n) => self.take_answer(n, now),
            Action::Up | Action::Down if items.is_empty() || g.view == View::Pager => {
                g.scroll = if action == Action::Up { g.scroll.saturating_sub(1) } else { g.scroll + 1 };
            }
            Action::Up => g.selected = Some(g.selected.map_or(items.len().saturating_sub(1), |s| s.saturating_sub(1))),
            Action::Down => g.selected = Some(g.selected.map_or(0, |s| (s + 1).min(items.len().saturating_sub(1)))),
            Action::PageUp => g.scroll = g.scroll.saturating_sub(page),
            Action::PageDown => g.scroll += page,
            Action::Top => g.scroll = 0,
            Action::Bottom => g.scroll = usize::MAX / 2,
            Action::Activate => match g.selected.and_then(|s| items.get(s)) {
                Some(Item::Answer(n)) => {
                    let n = *n;
                    self.take_answer(n, now);
                }
                Some(Item::Step(n)) => {
                    let n = *n;
                    self.toggle_step(n, now);
                }
                None => {
                    if let Some(next) = g.next_section() {
                        self.go_section(next);
                    }
                }
            },
            Action::Toggle => match g.selected.and_then(|s| items.get(s)) {
                Some(Item::Step(n)) => {
                    let n = *n;
                    self.toggle_step(n, now);
                }
                _ => match self.first_unchecked(&items) {
                    // Nothing selected: Space works on the first step not done yet.
                    Some((pos, n)) => {
                        if let Some(g) = self.guide.as_mut() {
                            g.selected = Some(pos);
                        }
                        self.toggle_step(n, now);
                    }
                    None => self.say("No step to check here", now),
                },
            },
            Action::Back => self.back(),
            Action::NextSection => {
                if let Some(next) = g.next_section() {
                    self.go_section(next);
                }
            }
            Action::PrevSection if g.section > 0 => {
                let prev = g.section - 1;
                self.go_section(prev);
            }
            Action::Outline => self.overlay = Some(Overlay::Outline { selected: g.section }),
            Action::Escalation => {
                self.overlay = Some(Overlay::Escalation);
                if let Some(place) = self.place_here() {
                    self.log(crate::journal::Event::Escalation { place });
                }
            }
            Action::Note => {
                self.note = Input::default();
                self.overlay = Some(Overlay::Note);
            }
            Action::Help => self.overlay = Some(Overlay::Help),
            Action::Copy => self.copy_selected(now),
            Action::Rollback => self.go_role(SectionRole::Rollback, now),
            Action::Verify => self.go_role(SectionRole::Verify, now),
            Action::Escape | Action::NewSearch => {
                self.screen = Screen::Search;
                if action == Action::NewSearch {
                    self.query = Input::default();
                    self.refresh_results();
                }
            }
            Action::Find => g.find = Some(Find { query: Input::default(), editing: true }),
            Action::FindNext => self.find_move(true, now),
            Action::FindPrev => self.find_move(false, now),
            _ => {}
        }
    }

    /// Go to a section of the same runbook, remembering where we were.
    fn go_section(&mut self, section: usize) {
        if let Some(g) = self.guide.as_mut() {
            if g.section == section {
                return;
            }
            self.history.push(Place { guide: g.clone() });
            g.goto(section);
        }
        self.select_first_step();
        self.log_section();
    }

    fn go_role(&mut self, role: SectionRole, now: Instant) {
        let Some(g) = self.guide.as_ref() else { return };
        match g.section_with_role(role) {
            Some(i) => {
                self.overlay = None;
                self.go_section(i);
            }
            None => self.say(
                format!(
                    "This runbook has no {} section",
                    if role == SectionRole::Rollback { "Rollback" } else { "Verify" }
                ),
                now,
            ),
        }
    }

    fn take_answer(&mut self, n: usize, now: Instant) {
        let Some(g) = self.guide.as_ref() else { return };
        let Some(choice) = g.rb.sections.get(g.section).and_then(|s| s.choices().nth(n)).cloned() else {
            return;
        };
        if let Some(place) = self.place_here() {
            self.log(crate::journal::Event::Answer { place, answer: choice.label.clone() });
        }
        let Some(g) = self.guide.as_ref() else { return };
        match &choice.target {
            Target::Section { section } => match g.rb.section_index(section) {
                Some(i) => self.go_section(i),
                None => self.say(format!("Broken link: this runbook has no section #{section}"), now),
            },
            Target::Runbook { path, section } => {
                let base = g.rb.path.rsplit_once('/').map_or("", |(d, _)| d);
                let Some(rel) = normalize_rel(base, path) else {
                    self.say(format!("Broken link: {path} is outside the runbook folder"), now);
                    return;
                };
                let (root_idx, root_dir) = (g.rb.root, g.root_dir.clone());
                match load(root_idx, &root_dir, &rel) {
                    Ok(rb) => {
                        self.history.push(Place { guide: g.clone() });
                        self.open(rb, root_dir, section.as_deref(), now);
                    }
                    Err(msg) => self.say(msg, now),
                }
            }
        }
    }

    fn back(&mut self) {
        match self.history.pop() {
            Some(place) => {
                self.guide = Some(place.guide);
                self.log_section();
            }
            None => self.screen = Screen::Search,
        }
    }

    /// Position among `items` and step number of the first unchecked step of the section.
    fn first_unchecked(&self, items: &[Item]) -> Option<(usize, usize)> {
        let g = self.guide.as_ref()?;
        let done = self.checked.get(&g.rb.id);
        items.iter().enumerate().find_map(|(pos, item)| match item {
            Item::Step(n) if !done.is_some_and(|d| d.contains(&g.global_step(*n))) => Some((pos, *n)),
            _ => None,
        })
    }

    /// After moving to a section: select its first unchecked step, if it has steps.
    fn select_first_step(&mut self) {
        let items = super::render::section_items(self);
        let first = self.first_unchecked(&items).map(|(pos, _)| pos);
        if let Some(g) = self.guide.as_mut() {
            g.selected = first;
        }
    }

    fn toggle_step(&mut self, n: usize, now: Instant) {
        let Some(g) = self.guide.as_ref() else { return };
        let global = g.global_step(n);
        let id = g.rb.id.clone();
        let is_checked = self.checked.get(&id).is_some_and(|s| s.contains(&global));
        let risky = g.step(n).is_some_and(|s| s.risk.is_some());
        if !is_checked && risky {
            self.overlay = Some(Overlay::ConfirmRisk { step: n });
            return;
        }
        let set = self.checked.entry(id).or_default();
        if is_checked {
            set.remove(&global);
        } else {
            set.insert(global);
        }
        let text = super::render::step_text(g, n);
        if let Some(place) = self.place_here() {
            self.log(crate::journal::Event::Step { place, step: global, text, checked: !is_checked, risky });
        }
        let _ = now;
    }

    fn copy_selected(&mut self, now: Instant) {
        let Some(g) = self.guide.as_ref() else { return };
        let items = super::render::section_items(self);
        let code = match g.selected.and_then(|s| items.get(s)) {
            Some(Item::Step(n)) => g.step(*n).and_then(|s| s.command.as_ref()).map(|c| c.code.clone()),
            _ => g.first_code(),
        };
        match code {
            Some(code) => {
                let first = code.lines().next().unwrap_or("").to_owned();
                if let Some(place) = self.place_here() {
                    self.log(crate::journal::Event::Copy { place, command: code.clone() });
                }
                self.effects.push(Effect::Copy(code));
                self.say(format!("Copied to your clipboard (OSC 52): {first}"), now);
            }
            None => self.say("Nothing to copy here: select a step with a command", now),
        }
    }

    fn find_move(&mut self, forward: bool, now: Instant) {
        let found = super::render::find_next(self, forward);
        match found {
            Some(line) => {
                if let Some(g) = self.guide.as_mut() {
                    g.scroll = line.saturating_sub(2);
                }
            }
            None => {
                let q =
                    self.guide.as_ref().and_then(|g| g.find.as_ref()).map(|f| f.query.text.clone()).unwrap_or_default();
                if !q.is_empty() {
                    self.say(format!("\"{q}\" not found"), now);
                }
            }
        }
    }

    fn update_overlay(&mut self, overlay: Overlay, action: Action, now: Instant) {
        match (overlay, action) {
            (Overlay::ConfirmRisk { step }, Action::Confirm) => {
                self.overlay = None;
                if let Some(g) = self.guide.as_ref() {
                    let global = g.global_step(step);
                    let text = super::render::step_text(g, step);
                    self.checked.entry(g.rb.id.clone()).or_default().insert(global);
                    if let Some(place) = self.place_here() {
                        self.log(crate::journal::Event::RiskyConfirmed { place, step: global, text });
                    }
                    self.say("Risky step confirmed and checked. Rollback: press r", now);
                }
            }
            (Overlay::ConfirmRisk { .. }, Action::Activate) => self.say("Press y to confirm, or Esc to cancel", now),
            (Overlay::ConfirmRisk { .. }, Action::Rollback) => self.go_role(SectionRole::Rollback, now),
            (Overlay::ConfirmRisk { .. }, Action::Copy) => self.copy_selected(now),
            (Overlay::Outline { selected }, Action::Up) => {
                self.overlay = Some(Overlay::Outline { selected: selected.saturating_sub(1) })
            }
            (Overlay::Outline { selected }, Action::Down) => {
                let max = self.guide.as_ref().map_or(0, |g| g.rb.sections.len().saturating_sub(1));
                self.overlay = Some(Overlay::Outline { selected: (selected + 1).min(max) });
            }
            (Overlay::Outline { selected }, Action::Activate) => {
                self.overlay = None;
                self.go_section(selected);
            }
            (Overlay::Problems { selected }, Action::Up) => {
                self.overlay = Some(Overlay::Problems { selected: selected.saturating_sub(1) })
            }
            (Overlay::Problems { selected }, Action::Down) => {
                self.overlay =
                    Some(Overlay::Problems { selected: (selected + 1).min(self.problems.len().saturating_sub(1)) });
            }
            (Overlay::Escalation, Action::Handoff) => self.effects.push(Effect::ShowReport),
            (Overlay::Report { .. }, Action::Copy) => self.effects.push(Effect::CopyReport),
            (Overlay::Report { scroll }, Action::Down) => self.overlay = Some(Overlay::Report { scroll: scroll + 1 }),
            (Overlay::Report { scroll }, Action::Up) => {
                self.overlay = Some(Overlay::Report { scroll: scroll.saturating_sub(1) })
            }
            (Overlay::Report { scroll }, Action::PageDown) => {
                self.overlay = Some(Overlay::Report { scroll: scroll + 10 })
            }
            (Overlay::Report { scroll }, Action::PageUp) => {
                self.overlay = Some(Overlay::Report { scroll: scroll.saturating_sub(10) })
            }
            (Overlay::Note, Action::Edit(e)) => {
                self.note.apply(e);
            }
            (Overlay::Note, Action::Activate) => {
                self.overlay = None;
                self.save_note(now);
            }
            (Overlay::Note, Action::Escape) => {
                self.overlay = None;
                self.note = Input::default();
            }
            (Overlay::ResumeOffer, Action::Confirm) => {
                self.overlay = None;
                self.effects.push(Effect::Resume);
            }
            (Overlay::ResumeOffer, Action::Escape) => self.overlay = None,
            (Overlay::Escalation, Action::Copy) => {
                if let Some(text) = super::render::escalation_text(self, now) {
                    self.effects.push(Effect::Copy(text));
                    self.say("Escalation contacts copied to your clipboard (OSC 52)", now);
                }
            }
            (_, Action::Escape | Action::Activate) => self.overlay = None,
            (Overlay::Help, Action::Help) => self.overlay = None,
            _ => {}
        }
    }
}

/// Read and parse a runbook file by root and relative path.
pub fn load(root: usize, root_dir: &std::path::Path, rel_path: &str) -> Result<Runbook, String> {
    let c = Candidate { root, rel_path: rel_path.to_owned(), file: root_dir.join(rel_path), size: 0, mtime_ns: 0 };
    match load_candidate(&c) {
        Ok((rb, _)) => Ok(rb),
        Err(p) => Err(format!("Cannot open {rel_path}: {}", p.message)),
    }
}

/// The list shown for an empty query: a "start here" triage guide first, then by system.
pub fn browse(mut entries: Vec<Entry>) -> Vec<Hit> {
    let is_start = |e: &Entry| {
        let id = e.id.to_lowercase();
        id == "start-here" || id.ends_with("/start-here") || id.contains("triage")
    };
    entries.sort_by(|a, b| {
        let key = |e: &Entry| {
            (
                !is_start(e),
                e.systems.first().map(|s| s.to_lowercase()).unwrap_or_else(|| "~".into()),
                e.title.to_lowercase(),
            )
        };
        key(a).cmp(&key(b))
    });
    entries
        .into_iter()
        .map(|entry| {
            let snippet = Snippet { text: crate::text::one_line(&entry.summary), marks: Vec::new() };
            Hit { entry, score: 0.0, section: None, section_title: None, snippet }
        })
        .collect()
}
