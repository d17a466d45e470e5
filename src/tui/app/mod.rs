//! The TUI's state and the one `update` that changes it: a small router. Each screen
//! (`search_screen`, `guide_screen`) and each overlay owns its state, keys and drawing; `App`
//! holds what they share (the index, the incident, the outbox of effects) and carries out
//! what one asks of another. Drawing reads `&App` (`draw`); the event loop turns keys into
//! actions (keymap) and carries out the effects, so everything here runs without a terminal.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

mod alerts;
mod meaning;
mod requests;

use super::action::Action;
use super::background::{IndexState, MeaningState};
use super::guide_screen::{self, Guide, GuideScreen};
use super::incident::Incident;
use super::keymap::KeyContext;
pub use super::layout::Screen;
use super::outbox::{Effect, OpenedFrom, Opening, Outbox};
pub use super::overlay::Overlay;
use super::overlay::{self, Bounds, Reply};
use super::scroll::Scroll;
use super::search_screen::{self, SearchScreen};
use super::theme::Theme;
use crate::problem::Problem;
use crate::repo::Age;
use crate::runbook::library::Catalog;
use crate::runbook::team::Team;
use crate::search::{Progress, SearchIndex};

/// The most of a paste that is kept.
const PASTE_CHARS: usize = 400;

/// A paste as one line of text: controls dropped, newlines and tabs as spaces, runs of spaces
/// as one, at most `PASTE_CHARS`; and whether it was cut.
fn pasted(text: &str) -> (String, bool) {
    // A terminal pastes line ends as CR (tmux's paste-buffer too): spaces, like newlines.
    let flat = crate::text::one_line(&crate::text::normalize_newlines(text));
    let words: Vec<&str> = flat.split_whitespace().collect();
    let joined = words.join(" ");
    let cut = joined.chars().count() > PASTE_CHARS;
    (joined.chars().take(PASTE_CHARS).collect(), cut)
}

#[derive(Debug)]
pub struct App {
    theme: Theme,
    /// The runbook folders and their team file (systems for the systems view, facts for
    /// inputs, contacts); walked by the index thread, which sends it back.
    catalog: Arc<Catalog>,
    index: IndexState,
    /// What is shown with F2: the team file's problems, the index's (each file's, ids used
    /// twice, what the walk skipped), then what went wrong during the session.
    problems: Vec<Problem>,
    later_problems: Vec<Problem>,
    screen: Screen,
    overlay: Option<Overlay>,
    /// The overlay under the open one (the risky-step dialog under the command view or its
    /// inputs): back on top when the open one closes.
    under: Option<Overlay>,
    search: SearchScreen,
    /// The open runbook and the path to it; kept while the search screen is shown.
    guide: Option<GuideScreen>,
    incident: Incident,
    out: Outbox,
    /// Terminal size (width, height): page scrolls move a screenful.
    size: (u16, u16),
    quit: bool,
    /// How old the runbooks are, for the search screen's header (once the walk is done).
    age: Age,
    /// An author's preview (`runbook preview`): not an incident, so nothing is recorded.
    previewing: bool,
    /// A drill's scenario (`runbook drill`), shown on the search screen throughout.
    drill: Option<String>,
    /// What is wrong with the session journal, shown until it is resolved.
    journal_trouble: Option<String>,
    /// The index was found damaged and built again once this session.
    rebuilt: bool,
    /// Alerts brought in (`runbook alert`, or pasted), and what was found for each.
    alerts: Vec<crate::alert::Found>,
    /// An alert pasted before the index was ready: answered once it is.
    pending_alert: Option<String>,
    /// Which of `alerts` is being worked on (F4 opens the list there).
    current_alert: Option<usize>,
    /// Meaning search: off, its vectors being made, ready, or failed.
    meaning: MeaningState,
}

impl App {
    pub fn new(catalog: Arc<Catalog>, theme: Theme, query: &str, progress: Arc<Progress>) -> App {
        App {
            theme,
            problems: catalog.team_problems().to_vec(),
            later_problems: Vec::new(),
            catalog,
            index: IndexState::Building(progress),
            screen: Screen::Search,
            overlay: None,
            under: None,
            search: SearchScreen::new(query),
            guide: None,
            incident: Incident::default(),
            out: Outbox::default(),
            size: (80, 24),
            quit: false,
            age: Age::default(),
            previewing: false,
            drill: None,
            journal_trouble: None,
            rebuilt: false,
            alerts: Vec::new(),
            pending_alert: None,
            current_alert: None,
            meaning: MeaningState::Off,
        }
    }

    /// The catalog walked (by the index thread), and how old the runbooks are by it (`None`:
    /// not said).
    pub fn set_catalog(&mut self, catalog: Arc<Catalog>, age: Option<Age>) {
        self.catalog = catalog;
        if let Some(age) = age {
            self.age = age;
        }
    }

    pub(crate) fn age(&self) -> Age {
        self.age
    }

    pub fn catalog(&self) -> &Arc<Catalog> {
        &self.catalog
    }

    /// The team file (read once at start): contacts, systems, and the facts that prefill
    /// commands' inputs.
    pub(crate) fn team(&self) -> &Team {
        self.catalog.team()
    }

    pub(crate) fn set_previewing(&mut self, on: bool) {
        self.previewing = on;
    }

    pub(crate) fn previewing(&self) -> bool {
        self.previewing
    }

    pub(crate) fn set_drill(&mut self, scenario: Option<String>) {
        self.drill = scenario;
    }

    pub(crate) fn drill(&self) -> Option<&str> {
        self.drill.as_deref()
    }

    pub(crate) fn theme(&self) -> Theme {
        self.theme
    }

    /// The open runbook with the path to it.
    pub(crate) fn guide_screen(&self) -> Option<&GuideScreen> {
        self.guide.as_ref()
    }

    /// The terminal's size (width, height), as the event loop last saw it.
    pub fn size(&self) -> (u16, u16) {
        self.size
    }

    pub fn resize(&mut self, width: u16, height: u16) {
        self.size = (width, height);
    }

    pub(crate) fn roots(&self) -> &[PathBuf] {
        self.catalog.folders()
    }

    pub fn screen(&self) -> Screen {
        self.screen
    }

    pub fn overlay(&self) -> Option<&Overlay> {
        self.overlay.as_ref()
    }

    pub fn search(&self) -> &SearchScreen {
        &self.search
    }

    /// The open runbook, if one was opened.
    pub fn guide(&self) -> Option<&Guide> {
        self.guide.as_ref().map(|s| &s.guide)
    }

    pub fn incident(&self) -> &Incident {
        &self.incident
    }

    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    pub fn effects(&self) -> &[Effect] {
        &self.out.effects
    }

    /// The effects queued since the last call, for the event loop to carry out.
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.out.effects)
    }

    pub fn quitting(&self) -> bool {
        self.quit
    }

    pub(crate) fn say(&mut self, msg: impl Into<String>, now: Instant) {
        self.out.say(msg, now);
    }

    /// The status message, if it is still fresh; else what is wrong with the journal, which
    /// stays until it is resolved.
    pub fn status_text(&self, now: Instant) -> Option<&str> {
        self.out.status(now).or(self.journal_trouble.as_deref())
    }

    /// What is wrong with the session journal (`None`: it is written).
    pub(crate) fn set_journal_trouble(&mut self, trouble: Option<String>) {
        self.journal_trouble = trouble;
    }

    pub(crate) fn index(&self) -> &IndexState {
        &self.index
    }

    /// The index could not be built: say so, and list it with the problems (F2). The cache's
    /// index, when one was shown, stays searchable.
    pub(crate) fn index_failed(&mut self, why: String) {
        self.add_problem(Problem::error("search index", None, "internal", why.clone()));
        if !self.index_is_ready() || self.rebuilt {
            self.index = IndexState::Failed;
        }
    }

    /// The index finished building: show results for what was typed meanwhile.
    pub fn index_ready(&mut self, index: Arc<SearchIndex>) {
        self.problems = self.catalog.team_problems().to_vec();
        self.problems.extend(index.problems().iter().cloned());
        self.problems.extend(self.later_problems.iter().cloned());
        self.index = IndexState::Ready(index);
        self.search.refresh(&self.index);
        self.check_index(Instant::now());
        if let Some(text) = self.pending_alert.take() {
            self.paste_alert(&text, Instant::now());
        }
    }

    /// Whether an index (cached or checked) is searchable.
    pub(crate) fn index_is_ready(&self) -> bool {
        matches!(self.index, IndexState::Ready(_))
    }

    /// The index checked against the folders, holding what the one shown already held:
    /// swapped in without searching again (the list and the selection stay).
    pub(crate) fn index_checked(&mut self, index: Arc<SearchIndex>) {
        self.index = IndexState::Ready(index);
    }

    /// A problem found after loading (the index had to be rebuilt, say).
    pub(crate) fn add_problem(&mut self, p: Problem) {
        self.later_problems.push(p.clone());
        self.problems.push(p);
    }

    pub fn key_context(&self) -> KeyContext {
        if let Some(o) = &self.overlay {
            return o.key_context();
        }
        match self.screen {
            Screen::Search => KeyContext::Search,
            Screen::Guide if self.guide().and_then(|g| g.find.as_ref()).is_some_and(|f| f.editing) => {
                KeyContext::TextInput
            }
            Screen::Guide => KeyContext::Guide,
        }
    }

    /// Called every loop turn, before the frame: writes a query that has rested long enough;
    /// blends meaning into results searched by words meanwhile.
    pub fn tick(&mut self, now: Instant) {
        self.search.tick(&mut self.out, now);
        self.search.settle(&self.index, now);
    }

    /// When `tick` next has something to do, or the status line changes: the event loop
    /// wakes then.
    pub(crate) fn next_timer(&self, now: Instant) -> Option<Instant> {
        [self.search.next_timer(), self.out.status_expires(now)].into_iter().flatten().min()
    }

    /// After reading the index: when the read found it damaged, say so once, keep the results
    /// shown, and ask for it to be built again.
    pub(crate) fn check_index(&mut self, now: Instant) {
        let IndexState::Ready(index) = &self.index else { return };
        let Some(why) = index.damaged() else { return };
        if self.rebuilt {
            // Built again and still failing: that is a bug, not the cache.
            return self.index_failed(format!("the search index fails even rebuilt ({why}); this is a bug in runbook"));
        }
        self.rebuilt = true;
        let cache_dir = index.cache_dir().map(std::path::Path::to_path_buf);
        self.add_problem(Problem::error(
            "search index",
            None,
            "internal",
            format!("the cached index is damaged ({why}); it is being rebuilt"),
        ));
        self.out.say("The search index was damaged: rebuilding it (results may be incomplete until then)", now);
        self.index = IndexState::Building(Arc::new(Progress::default()));
        self.out.push(Effect::RebuildIndex { cache_dir });
    }

    /// Apply one action.
    pub fn update(&mut self, action: Action, now: Instant) {
        match action {
            Action::Quit => return self.quit(),
            Action::Suspend => return self.out.push(Effect::Suspend),
            _ => {}
        }
        if let Some(o) = self.overlay.as_mut() {
            let bounds = Bounds {
                sections: self.guide.as_ref().map_or(0, |s| s.guide.rb.sections.len()),
                problems: self.problems.len(),
                systems: self.catalog.team().systems.len(),
            };
            match o.update(action, bounds) {
                Reply::Stay => {}
                Reply::Close => self.overlay = self.under.take(),
                Reply::CloseAnd(r) => {
                    self.overlay = self.under.take();
                    self.request(r, now);
                }
                Reply::StayAnd(r) => self.request(r, now),
            }
        } else if action == Action::Alerts {
            self.list_alerts(now);
        } else {
            match self.screen {
                Screen::Search => self.update_search(action, now),
                Screen::Guide => self.update_guide(action, now),
            }
        }
    }

    /// Quit, unless work is left in an open procedure: then ask once (a second quit, or `y`,
    /// quits).
    fn quit(&mut self) {
        if matches!(self.overlay, Some(Overlay::QuitConfirm { .. })) {
            self.quit = true;
            return;
        }
        match self.unfinished() {
            Some(summary) => self.overlay = Some(Overlay::QuitConfirm { summary }),
            None => self.quit = true,
        }
    }

    /// What is left in a procedure the responder started (a step checked or a command copied)
    /// and did not finish: the open runbook, or one on the path to it.
    pub fn unfinished(&self) -> Option<String> {
        let screen = self.guide.as_ref()?;
        std::iter::once(&screen.guide).chain(screen.history.iter().rev()).find_map(|g| g.unfinished(&self.incident))
    }

    /// Text pasted into the terminal (bracketed paste): text for a text box, never keys. In
    /// the search box it becomes the query; where no text is typed, it is ignored, said so.
    pub fn paste(&mut self, text: &str, now: Instant) {
        if self.overlay.is_none() && self.screen == Screen::Search && self.paste_alert(text, now) {
            return;
        }
        let (clean, cut) = pasted(text);
        let taken = match (&mut self.overlay, self.screen) {
            (Some(Overlay::Note { input } | Overlay::Inputs { input, .. }), _) => input.insert(&clean),
            (Some(_), _) => false,
            (None, Screen::Search) => {
                self.search.paste(&clean, &self.index, now);
                true
            }
            (None, Screen::Guide) => self.guide.as_mut().is_some_and(|s| s.paste(&clean)),
        };
        if !taken {
            self.out.say("Pasted text ignored here: it is never read as keys. Paste into the search (s)", now);
        } else if cut {
            self.out.say(format!("The paste was cut to its first {PASTE_CHARS} characters"), now);
        }
    }

    fn update_search(&mut self, action: Action, now: Instant) {
        match self.search.update(action, &self.index, &mut self.out, now) {
            Some(search_screen::Transition::Open { hit, escalate }) => {
                let section = if escalate { None } else { hit.section.clone() };
                let from = OpenedFrom::Search { named: hit.section_named, escalate };
                self.out.push(Effect::Open(Opening { at: hit.entry.at.clone(), section, from }));
            }
            Some(search_screen::Transition::Quit) => self.quit = true,
            Some(search_screen::Transition::Help) => self.overlay = Some(Overlay::Help { scroll: Scroll::default() }),
            Some(search_screen::Transition::Problems) if !self.problems.is_empty() => {
                self.overlay = Some(Overlay::Problems { selected: 0 });
            }
            Some(search_screen::Transition::Systems) => self.overlay = Some(Self::systems(None)),
            Some(search_screen::Transition::Problems) | None => {}
        }
    }

    fn update_guide(&mut self, action: Action, now: Instant) {
        let Some(screen) = self.guide.as_mut() else {
            self.screen = Screen::Search;
            return;
        };
        let mut cx =
            guide_screen::Context { incident: &mut self.incident, out: &mut self.out, team: self.catalog.team() };
        let Some(leave) = screen.update(action, &mut cx, now) else { return };
        self.overlay = match leave {
            guide_screen::Transition::Search { clear } => {
                self.screen = Screen::Search;
                if clear {
                    self.search.clear(&self.index);
                }
                None
            }
            guide_screen::Transition::Help => Some(Overlay::Help { scroll: Scroll::default() }),
            guide_screen::Transition::Outline => Some(Overlay::Outline { selected: screen.guide.section }),
            guide_screen::Transition::Escalation => Some(Overlay::Escalation { scroll: Scroll::default() }),
            guide_screen::Transition::Note => Some(Overlay::Note { input: super::input::TextInput::default() }),
            guide_screen::Transition::Inputs(pending, then) => Some(Self::ask(pending, then)),
            guide_screen::Transition::ShowCommand(text) => {
                Some(Overlay::Command { text, left: 0, scroll: Scroll::default() })
            }
            guide_screen::Transition::Systems => {
                Some(Self::systems(overlay::systems::position_of(self.catalog.team(), &screen.guide.rb.meta.systems)))
            }
            guide_screen::Transition::ConfirmRisk(step) => {
                let skipped = screen.guide.unchecked_before(step, &self.incident);
                Some(Overlay::ConfirmRisk { step, skipped, scroll: Scroll::default() })
            }
        };
    }
}
