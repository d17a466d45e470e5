//! The search screen: the query, the ranked results and the selection. Typing searches at
//! once; a query left alone for a moment, or opened, goes into the journal. `draw` paints it.

mod draw;

use std::time::{Duration, Instant};

pub(crate) use draw::{DrawContext, draw};

use super::action::{Action, Edit};
use super::background::IndexState;
use super::input::TextInput;
use super::outbox::Outbox;
use crate::journal::Event;
use crate::search::{Entry, Hit, Snippet};

/// A query typed and left alone this long is written to the journal.
const SEARCH_DEBOUNCE: Duration = Duration::from_millis(1500);

/// A query whose last word matches nothing is searched by meaning once it has rested this long.
const MEANING_REST: Duration = Duration::from_millis(400);

/// How soon a second Esc on the empty query must come to quit.
const ESC_AGAIN: Duration = Duration::from_secs(3);

/// How many results a query shows.
const RESULTS: usize = 50;

#[derive(Debug, Default)]
pub struct SearchScreen {
    pub query: TextInput,
    pub results: Vec<Hit>,
    pub selected: usize,
    /// The results shown are for an earlier query: the word being typed matches nothing yet.
    pub stale: bool,
    /// The query as last written to the journal, and when the query last changed.
    logged_query: String,
    query_changed: Option<Instant>,
    /// The query the index last answered (none while it is built): the journal records a
    /// search's result count only when it is known.
    answered: Option<String>,
    /// When Esc was pressed on the empty query (a second one soon after quits).
    escaped: Option<Instant>,
    /// The results are an alert's runbooks (how each was found), for this query: kept when
    /// the index is swapped, until the query is edited.
    routed: Option<String>,
    /// The results are by words only, and meaning is to be blended in before the next frame
    /// (`settle`): once per frame, not once per key of a burst.
    blend_due: bool,
    /// Meaning was asked once for a query whose last word matched nothing (not again until
    /// it changes).
    rest_asked: bool,
}

/// The search screen hands over to the `App`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Transition {
    /// Open a result; `escalate` shows who to call for it at once.
    Open {
        hit: Box<Hit>,
        escalate: bool,
    },
    Quit,
    Help,
    Problems,
    Systems,
}

impl SearchScreen {
    pub(crate) fn new(query: &str) -> SearchScreen {
        SearchScreen { query: TextInput::new(query), ..SearchScreen::default() }
    }

    pub(crate) fn update(
        &mut self,
        action: Action,
        index: &IndexState,
        out: &mut Outbox,
        now: Instant,
    ) -> Option<Transition> {
        let last = self.results.len().saturating_sub(1);
        if action != Action::Escape {
            self.escaped = None;
        }
        match action {
            // A query the responder clears (Ctrl-U) was read on screen: written before it goes.
            Action::Edit(Edit::Clear) if self.query_changed.is_some() => {
                self.log_query(out);
                self.edit(Edit::Clear, index, now);
            }
            Action::Edit(e) => self.edit(e, index, now),
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(last),
            Action::PageUp => self.selected = self.selected.saturating_sub(5),
            Action::PageDown => self.selected = (self.selected + 5).min(last),
            Action::Activate | Action::Escalation if self.stale => {
                let q = crate::text::one_line(self.query.text.trim());
                out.say(format!("Nothing matches \"{q}\": change the words, or Esc to clear them"), now);
            }
            Action::Activate | Action::Escalation => {
                let hit = self.results.get(self.selected).cloned()?;
                self.log_query(out);
                return Some(Transition::Open { hit: Box::new(hit), escalate: action == Action::Escalation });
            }
            // One Esc too many must not end the session: a second one, soon, does.
            Action::Escape if self.query.text.is_empty() => {
                if self.escaped.is_some_and(|t| now.saturating_duration_since(t) < ESC_AGAIN) {
                    return Some(Transition::Quit);
                }
                self.escaped = Some(now);
                out.say("Esc again quits (Ctrl-C too); type to search", now);
                return None;
            }
            Action::Escape => {
                self.log_query(out);
                self.clear(index);
            }
            Action::Help => return Some(Transition::Help),
            Action::Problems => return Some(Transition::Problems),
            Action::Systems => return Some(Transition::Systems),
            _ => {}
        }
        None
    }

    fn edit(&mut self, e: Edit, index: &IndexState, now: Instant) {
        if self.query.apply(e) {
            self.query_changed = Some(now);
            self.refresh(index);
        }
    }

    /// Pasted text (one line, cleaned) typed into the query at the cursor, as if typed, but
    /// never as keys: a newline in it opens nothing.
    pub(crate) fn paste(&mut self, text: &str, index: &IndexState, now: Instant) {
        if self.query.insert(text) {
            self.query_changed = Some(now);
            self.refresh(index);
        }
    }

    /// The runbooks found for an alert, as results: the query is the alert's name (or the
    /// ticket's words), each result's snippet says how it was found.
    pub(crate) fn show_routed(&mut self, f: &crate::alert::Found, _now: Instant) {
        let query = if f.alert.name.is_empty() { f.alert.search_text() } else { f.alert.name.clone() };
        self.query = TextInput::new(&crate::text::one_line(&query));
        self.results = f
            .routed
            .iter()
            .map(|r| Hit {
                entry: r.entry.clone(),
                score: r.score.unwrap_or_default(),
                section: r.section.clone(),
                section_title: None,
                section_named: r.section.is_some(),
                snippet: Snippet {
                    text: crate::text::one_line(&format!("({}) {}", r.found_by.says(), r.snippet)),
                    marks: Vec::new(),
                },
            })
            .collect();
        self.selected = 0;
        self.stale = false;
        self.answered = None;
        self.routed = Some(self.query.text.clone());
    }

    /// Start a new search.
    pub(crate) fn clear(&mut self, index: &IndexState) {
        self.query = TextInput::default();
        self.refresh(index);
    }

    /// Run the query again (it changed, or the index became ready). A word still being typed
    /// that matches nothing keeps the last results on screen, marked stale, rather than
    /// blanking the list between two key presses.
    pub(crate) fn refresh(&mut self, index: &IndexState) {
        self.run(index, false);
    }

    /// `refresh`; by words first when meaning is ready and `blend` is not asked (then
    /// `settle` blends it in before the frame).
    fn run(&mut self, index: &IndexState, blend: bool) {
        self.blend_due = false;
        let IndexState::Ready(index) = index else { return };
        if self.routed.as_deref() == Some(self.query.text.as_str()) {
            return;
        }
        self.routed = None;
        self.answered = Some(self.query.text.clone());
        if !blend {
            self.rest_asked = false;
        }
        let empty = self.query.text.trim().is_empty();
        let words_first = index.has_meaning() && !blend && !empty;
        let results = if empty {
            browse(index.entries())
        } else if words_first {
            index.search_words(&self.query.text, RESULTS)
        } else {
            index.search(&self.query.text, RESULTS)
        };
        let typing = self.query.text.ends_with(|c: char| !c.is_whitespace());
        if results.is_empty() && typing && !self.results.is_empty() {
            // A word being typed that matches nothing yet: not blended either (meaning would
            // guess at half a word), until the query rests (`settle`).
            self.stale = true;
            return;
        }
        self.blend_due = words_first;
        // Meaning blended into a list the responder has moved down: the runbook they selected
        // stays selected where it moved (at the top, the selection stays on the first).
        let kept =
            if blend && self.selected > 0 { self.results.get(self.selected).map(|h| h.entry.at.clone()) } else { None };
        self.results = results;
        self.stale = false;
        self.selected = kept.and_then(|at| self.results.iter().position(|h| h.entry.at == at)).unwrap_or(0);
    }

    /// Write the query to the journal if it changed since it was last written.
    fn log_query(&mut self, out: &mut Outbox) {
        let q = self.query.text.trim().to_owned();
        if !q.is_empty() && q != self.logged_query {
            self.logged_query.clone_from(&q);
            let known = self.answered.as_deref() == Some(self.query.text.as_str());
            let results = known.then_some(if self.stale { 0 } else { self.results.len() });
            out.log(Event::Search { query: q, results });
        }
        self.query_changed = None;
    }

    /// When a query typed will have rested long enough to be written.
    pub(crate) fn next_timer(&self) -> Option<Instant> {
        let rest = if self.stale && !self.rest_asked { MEANING_REST } else { SEARCH_DEBOUNCE };
        self.query_changed.map(|t| t + rest)
    }

    /// Called before each frame: the results ranked with meaning too, when they were by words
    /// alone (the keys of a burst each searched by words: meaning once, for the last).
    /// A word that matched nothing (stale) gets meaning's answer once the query has rested.
    pub(crate) fn settle(&mut self, index: &IndexState, now: Instant) {
        let rested = self.query_changed.is_some_and(|t| now.saturating_duration_since(t) >= MEANING_REST);
        let ask = self.stale && rested && !self.rest_asked;
        // Asked once whether or not meaning is there (the loop's timer waits on it).
        self.rest_asked |= ask;
        let meaning = matches!(index, IndexState::Ready(i) if i.has_meaning());
        if self.blend_due || (ask && meaning) {
            self.run(index, true);
        }
    }

    /// Called every loop turn: writes a query that has rested long enough.
    pub(crate) fn tick(&mut self, out: &mut Outbox, now: Instant) {
        if self.query_changed.is_some_and(|t| now.saturating_duration_since(t) >= SEARCH_DEBOUNCE) {
            self.log_query(out);
        }
    }
}

/// How many runbooks the list for an empty query shows: a start and a way to browse, not a
/// catalogue (`runbook list` prints every one).
const BROWSE: usize = 500;

/// The list shown for an empty query: a "start here" triage guide first, then by system.
pub(crate) fn browse(entries: &[Entry]) -> Vec<Hit> {
    let is_start = |e: &Entry| {
        let id = e.id.to_lowercase();
        id == "start-here" || id.ends_with("/start-here") || id.contains("triage")
    };
    let mut order: Vec<(bool, String, String, &Entry)> = entries
        .iter()
        .map(|e| {
            let system = e.systems.first().map(|s| s.to_lowercase()).unwrap_or_else(|| "~".into());
            (!is_start(e), system, e.title.to_lowercase(), e)
        })
        .collect();
    let key = |a: &(bool, String, String, &Entry), b: &(bool, String, String, &Entry)| {
        (a.0, &a.1, &a.2).cmp(&(b.0, &b.1, &b.2))
    };
    if order.len() > BROWSE {
        order.select_nth_unstable_by(BROWSE, key);
        order.truncate(BROWSE);
    }
    order.sort_by(key);
    order
        .into_iter()
        .map(|(_, _, _, entry)| {
            let snippet = Snippet { text: crate::text::one_line(&entry.summary), marks: Vec::new() };
            Hit { entry: entry.clone(), score: 0.0, section: None, section_title: None, section_named: false, snippet }
        })
        .collect()
}
