//! The TUI's whole state and the one `update` that changes it. Rendering reads `&App`; the
//! event loop turns keys into actions (keymap) and carries out the effects `update` asks for
//! (copy to clipboard), so everything here is testable without a terminal.

use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::action::Action;
use super::guide::{Guide, View};
pub use super::input::Input;
use super::keymap::KeyContext;
use super::theme::Theme;
use crate::problem::Problem;
use crate::runbook::Runbook;
use crate::runbook::library::load_file;
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
    /// The build failed; why (also in the problem list).
    Failed(String),
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

    /// The index could not be built: say so, and list it with the problems (F2).
    pub fn index_failed(&mut self, why: String) {
        self.problems.push(Problem::error("search index", None, "internal", why.clone()));
        self.index = IndexState::Failed(why);
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

    pub(super) fn refresh_results(&mut self) {
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
            Action::Escalation => {
                // Open the selected runbook and show who to call for it.
                if let Some(hit) = self.results.get(self.selected).cloned() {
                    self.log_query();
                    self.open_entry(&hit.entry, None, now);
                    self.overlay = Some(Overlay::Escalation);
                }
            }
            Action::Help => self.overlay = Some(Overlay::Help),
            Action::Problems if !self.problems.is_empty() => self.overlay = Some(Overlay::Problems { selected: 0 }),
            _ => {}
        }
    }

    /// Open a runbook from the index (a search result).
    pub fn open_entry(&mut self, entry: &Entry, section: Option<&str>, now: Instant) {
        let Some(root) = self.roots.iter().position(|r| *r == entry.root) else {
            let msg = format!("{} is not in this session's runbook folders any more; search again", entry.path);
            self.say(msg, now);
            return;
        };
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

    pub(super) fn open(&mut self, rb: Runbook, root_dir: PathBuf, section: Option<&str>, now: Instant) {
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
}

/// Read and parse a runbook file by root and relative path.
pub fn load(root: usize, root_dir: &std::path::Path, rel_path: &str) -> Result<Runbook, String> {
    load_file(root, root_dir, rel_path).map_err(|p| format!("Cannot open {rel_path}: {}", p.message))
}

/// The list shown for an empty query: a "start here" triage guide first, then by system.
pub fn browse(entries: &[Entry]) -> Vec<Hit> {
    let is_start = |e: &Entry| {
        let id = e.id.to_lowercase();
        id == "start-here" || id.ends_with("/start-here") || id.contains("triage")
    };
    let mut order: Vec<&Entry> = entries.iter().collect();
    order.sort_by_cached_key(|e| {
        (
            !is_start(e),
            e.systems.first().map(|s| s.to_lowercase()).unwrap_or_else(|| "~".into()),
            e.title.to_lowercase(),
        )
    });
    order
        .into_iter()
        .map(|entry| {
            let snippet = Snippet { text: crate::text::one_line(&entry.summary), marks: Vec::new() };
            Hit { entry: entry.clone(), score: 0.0, section: None, section_title: None, snippet }
        })
        .collect()
}
