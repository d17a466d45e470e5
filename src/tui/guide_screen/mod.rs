//! The guide screen: one runbook open, section by section (decision trees, procedures) or as
//! one scrolling page (references), and the path that led here. This file holds its state and
//! what the model says about it (answers and steps come from the parsed sections, never from
//! drawn lines); `keys` changes it, `draw` paints it, `lines` turns blocks into terminal lines.

mod draw;
mod keys;
mod lines;
mod links;
mod open;
mod table;
mod view;

use std::cell::Cell;
use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Instant;

pub(crate) use draw::{DrawContext, draw};
pub(crate) use keys::{Context, Transition};
pub(crate) use open::resume_at;

use super::incident::Incident;
use super::input::TextInput;
use super::scroll::Scroll;
use crate::journal::Place;
use crate::runbook::library::RunbookRef;
use crate::runbook::{Block, Kind, Runbook, SectionRole, plain_text};

/// Section by section (decision trees, procedures) or one scrolling page (reference).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Sections,
    Pager,
}

/// A selectable thing in a section, in reading order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Item {
    /// The n-th answer of the section.
    Answer(usize),
    /// The n-th step of the section.
    Step(usize),
}

/// What Enter does where the responder is: the footer and the end of a path say it from
/// this, and the key does it from this (`Guide::enter`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Enter {
    /// Follow the focused link (an index into `links`).
    Follow(usize),
    /// Take the selected answer.
    Answer(usize),
    /// Check the selected step (never uncheck it: Space does that).
    Check(usize),
    /// Go on to this section.
    Continue(usize),
    /// The path ends here.
    Nothing,
}

impl Enter {
    /// The footer's words for it.
    pub(crate) fn hint(self) -> Option<&'static str> {
        match self {
            Enter::Follow(_) => Some("follow"),
            Enter::Answer(_) => Some("answer"),
            Enter::Check(_) => Some("check"),
            Enter::Continue(_) => Some("continue"),
            Enter::Nothing => None,
        }
    }
}

/// Find-in-page state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Find {
    pub query: TextInput,
    /// Typing the query (true) or browsing its matches (false).
    pub editing: bool,
}

/// Where the view was asked to jump; drawing knows which line that is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Jump {
    /// The next (or previous) line holding the find query, from the top of the view.
    Find { forward: bool },
    /// The start of a section (a page opened at the section the search hit).
    Section(usize),
}

#[derive(Debug, Clone)]
pub struct Guide {
    pub rb: Arc<Runbook>,
    /// Its file (links resolve inside its folder).
    pub(crate) at: RunbookRef,
    pub view: View,
    pub section: usize,
    /// Selected answer or step (index into `items`).
    pub(crate) selected: Option<usize>,
    scroll: Scroll,
    jump: Cell<Option<Jump>>,
    pub visited: BTreeSet<usize>,
    /// The link of the text with the focus (an index into `links`).
    pub(crate) link: Option<usize>,
    pub(crate) opened_at: Instant,
    pub(crate) find: Option<Find>,
}

impl Guide {
    pub(crate) fn new(rb: Arc<Runbook>, at: RunbookRef, section: Option<&str>, now: Instant) -> Guide {
        let has_tree = rb.sections.iter().any(|s| s.choices().next().is_some());
        let has_steps = rb.steps().next().is_some();
        let view = if rb.kind == Kind::Reference && !has_tree && !has_steps { View::Pager } else { View::Sections };
        let start = section.and_then(|id| rb.section_index(id)).unwrap_or_else(|| rb.start_index());
        let mut g = Guide {
            rb,
            at,
            view,
            section: start,
            selected: None,
            scroll: Scroll::default(),
            jump: Cell::new(None),
            visited: BTreeSet::new(),
            link: None,
            opened_at: now,
            find: None,
        };
        g.visited.insert(start);
        g
    }

    pub(crate) fn goto(&mut self, section: usize) {
        if section < self.rb.sections.len() {
            self.section = section;
            self.scroll = Scroll::default();
            self.jump.set(None);
            self.selected = None;
            self.link = None;
            self.visited.insert(section);
        }
    }

    /// The top line of the view, as last drawn.
    pub fn scroll_top(&self) -> usize {
        self.scroll.top()
    }

    /// The answers and steps of the section in reading order (none in the page view).
    pub(crate) fn items(&self) -> Vec<Item> {
        let Some(s) = self.rb.sections.get(self.section).filter(|_| self.view == View::Sections) else {
            return Vec::new();
        };
        let (mut answers, mut steps) = (0, 0);
        let mut out = Vec::new();
        for b in &s.blocks {
            match b {
                Block::Choices { choices, .. } => {
                    for _ in choices {
                        out.push(Item::Answer(answers));
                        answers += 1;
                    }
                }
                Block::Step(_) => {
                    out.push(Item::Step(steps));
                    steps += 1;
                }
                _ => {}
            }
        }
        out
    }

    /// The links of what the view shows, in drawing order.
    pub fn links(&self) -> Vec<links::Link> {
        let mut out = Vec::new();
        match self.view {
            View::Sections => {
                if let Some(s) = self.rb.sections.get(self.section) {
                    links::links(&s.blocks, &mut out);
                }
            }
            View::Pager => self.rb.sections.iter().for_each(|s| links::links(&s.blocks, &mut out)),
        }
        out
    }

    pub(crate) fn selected_item(&self) -> Option<Item> {
        self.selected.and_then(|s| self.items().get(s).copied())
    }

    /// The selected step, if a step is selected.
    pub fn selected_step(&self) -> Option<&crate::runbook::Step> {
        match self.selected_item() {
            Some(Item::Step(n)) => self.step(n),
            _ => None,
        }
    }

    /// Whether the n-th step of the section is checked.
    pub(crate) fn is_checked(&self, n: usize, incident: &Incident) -> bool {
        self.step(n).is_some_and(|s| incident.is_checked(&self.rb.id, &s.id))
    }

    /// Position among `items` and step number of the first unchecked step of the section.
    pub(crate) fn first_unchecked(&self, incident: &Incident) -> Option<(usize, usize)> {
        self.items().into_iter().enumerate().find_map(|(pos, item)| match item {
            Item::Step(n) if !self.is_checked(n, incident) => Some((pos, n)),
            _ => None,
        })
    }

    /// The steps not done yet that come before the n-th step of the section: earlier steps of
    /// the section, and the runbook's Before you start checks. A risky step confirmed before
    /// them is out of order.
    pub(crate) fn unchecked_before(&self, n: usize, incident: &Incident) -> Vec<String> {
        let mut out = Vec::new();
        for (i, s) in self.rb.sections.iter().enumerate() {
            for (k, step) in s.steps().enumerate() {
                let earlier = if i == self.section { k < n } else { s.role == SectionRole::PreChecks };
                if earlier && !incident.is_checked(&self.rb.id, &step.id) {
                    out.push(plain_text(&step.text).trim().to_owned());
                }
            }
        }
        out
    }

    pub(crate) fn section_with_role(&self, role: SectionRole) -> Option<usize> {
        self.rb.sections.iter().position(|s| s.role == role)
    }

    pub(crate) fn total_steps(&self) -> usize {
        self.rb.steps().count()
    }

    /// The n-th step of the current section.
    pub(crate) fn step(&self, n: usize) -> Option<&crate::runbook::Step> {
        self.rb.sections.get(self.section)?.steps().nth(n)
    }

    /// A step's text as plain text (for the confirmation dialog and the journal).
    pub(crate) fn step_text(&self, n: usize) -> String {
        self.step(n).map(|s| plain_text(&s.text)).unwrap_or_default()
    }

    /// The next section in reading order, if any.
    pub(crate) fn next_section(&self) -> Option<usize> {
        (self.section + 1 < self.rb.sections.len()).then_some(self.section + 1)
    }

    /// What Enter does here: follow the focused link, take the selected answer, check the
    /// selected step if it is not done, else continue where the path goes.
    pub(crate) fn enter(&self, incident: &Incident) -> Enter {
        if let Some(k) = self.link {
            return Enter::Follow(k);
        }
        match self.selected_item() {
            Some(Item::Answer(n)) => return Enter::Answer(n),
            Some(Item::Step(n)) if !self.is_checked(n, incident) => return Enter::Check(n),
            _ => {}
        }
        match self.continue_to() {
            Some(next) if self.rb.sections.get(self.section).is_some_and(|s| s.choices().next().is_none()) => {
                Enter::Continue(next)
            }
            _ => Enter::Nothing,
        }
    }

    /// Where "continue" leads from a section without answers: in a decision tree only from the
    /// introduction (to the first question); in a linear runbook, to the next section. `None`
    /// means the path ends here.
    pub(crate) fn continue_to(&self) -> Option<usize> {
        let is_tree = self.rb.sections.iter().any(|s| s.choices().next().is_some());
        let start = self.rb.start_index();
        if is_tree { (self.section < start).then_some(start) } else { self.next_section() }
    }

    /// The command a copy takes: the selected step's, else the section's first.
    pub(crate) fn selected_command(&self) -> Option<String> {
        match self.selected_item() {
            Some(Item::Step(n)) => self.step(n).and_then(|s| s.command.as_ref()).map(|c| c.code.clone()),
            _ => self.first_code(),
        }
    }

    /// The first command of the current section (a plain code block or a step's).
    pub(crate) fn first_code(&self) -> Option<String> {
        self.rb.sections.get(self.section)?.blocks.iter().find_map(|b| match b {
            Block::Code { code, .. } => Some(code.clone()),
            Block::Step(s) => s.command.as_ref().map(|c| c.code.clone()),
            _ => None,
        })
    }

    /// Whether the find query occurs in what the view shows (its sections' text).
    fn shows_text(&self, query: &str) -> bool {
        let sections = match self.view {
            View::Sections => self.rb.sections.get(self.section..=self.section).unwrap_or_default(),
            View::Pager => &self.rb.sections[..],
        };
        sections.iter().any(|s| {
            s.title.to_lowercase().contains(query)
                || crate::runbook::blocks_text(&s.blocks).to_lowercase().lines().any(|l| l.contains(query))
        })
    }

    /// What is left when work started here (a step checked or a command copied) and steps of
    /// the sections reached (and of Before you start) are not done: "Title: 2 of 5 steps done".
    pub(crate) fn unfinished(&self, incident: &Incident) -> Option<String> {
        if !incident.started(&self.rb.id) {
            return None;
        }
        let (mut total, mut done) = (0, 0);
        for (i, s) in self.rb.sections.iter().enumerate() {
            if self.visited.contains(&i) || s.role == SectionRole::PreChecks {
                total += s.steps().count();
                done += s.steps().filter(|step| incident.is_checked(&self.rb.id, &step.id)).count();
            }
        }
        (done < total).then(|| format!("{}: {done} of {total} steps done", self.rb.title))
    }

    /// Minutes since the runbook was opened.
    pub(crate) fn minutes_open(&self, now: Instant) -> u64 {
        now.saturating_duration_since(self.opened_at).as_secs() / 60
    }

    /// The journal's name for where the responder is.
    pub fn place(&self) -> Option<Place> {
        let section = self.rb.sections.get(self.section)?;
        Some(Place {
            runbook: self.rb.id.clone(),
            title: self.rb.title.clone(),
            // Absolute, so that the report and resume find it from any folder.
            at: RunbookRef::new(
                std::path::absolute(&self.at.folder).unwrap_or_else(|_| self.at.folder.clone()),
                self.at.path.clone(),
            ),
            section: section.id.clone(),
            section_title: if section.title.is_empty() { self.rb.title.clone() } else { section.title.clone() },
        })
    }
}

/// The open runbook and the runbooks and sections that led to it (Backspace walks back).
#[derive(Debug)]
pub(crate) struct GuideScreen {
    pub guide: Guide,
    pub history: Vec<Guide>,
    /// How many of the first places on the path (the history, then the open section) a search
    /// reached by answers nobody gave: the breadcrumb says so.
    pub inferred: usize,
}

impl GuideScreen {
    /// A runbook opened at `guide`, no path behind it.
    pub(crate) fn at(guide: Guide) -> GuideScreen {
        GuideScreen { guide, history: Vec::new(), inferred: 0 }
    }

    /// Steps done / total for the header ("3/8").
    pub(crate) fn progress(&self, incident: &Incident) -> Option<(usize, usize)> {
        let g = &self.guide;
        let total = g.total_steps();
        (total > 0).then(|| (incident.checked_count(&g.rb.id), total))
    }
}

/// What the guide screen's tests share: a guide over a runbook's text, and a plain look.
#[cfg(test)]
mod testing {
    use std::sync::Arc;
    use std::time::Instant;

    use super::{DrawContext, Guide};
    use crate::runbook::library::RunbookRef;
    use crate::runbook::{Origin, parse_text};
    use crate::tui::incident::Incident;
    use crate::tui::theme::Theme;

    pub(super) fn guide_of(text: &str, section: &str) -> Guide {
        let origin = Origin { root: 0, rel_path: "t.md".into(), file: "t.md".into() };
        let (rb, _) = parse_text(text, origin);
        Guide::new(Arc::new(rb), RunbookRef::new("runbooks", "t.md"), Some(section), Instant::now())
    }

    /// No facts: the team file's are drawn in by `draw.rs`.
    static NO_FACTS: std::collections::BTreeMap<String, String> = std::collections::BTreeMap::new();

    pub(super) fn look(incident: &Incident) -> DrawContext<'_> {
        DrawContext {
            theme: Theme { color: false },
            incident,
            facts: &NO_FACTS,
            status: None,
            today: jiff::civil::date(2026, 1, 1),
        }
    }
}
