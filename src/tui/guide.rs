//! A runbook opened in the TUI: which section is shown, what is selected, where the view is
//! scrolled, which sections were visited, and when it was opened (for escalation timers).

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use crate::runbook::{Block, Kind, Runbook, SectionRole};

/// Section by section (decision trees, procedures) or one scrolling page (reference).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Sections,
    Pager,
}

/// Find-in-page state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Find {
    pub query: super::input::Input,
    /// Typing the query (true) or browsing its matches (false).
    pub editing: bool,
}

#[derive(Debug, Clone)]
pub struct Guide {
    pub rb: Arc<Runbook>,
    /// The root folder the runbook was found in (links resolve inside it).
    pub root_dir: PathBuf,
    pub view: View,
    pub section: usize,
    /// Selected answer or step (index into the rendered items of the section).
    pub selected: Option<usize>,
    pub scroll: usize,
    pub visited: BTreeSet<usize>,
    pub opened_at: Instant,
    pub find: Option<Find>,
}

impl Guide {
    pub fn new(rb: Arc<Runbook>, root_dir: PathBuf, section: Option<&str>, now: Instant) -> Guide {
        let has_tree = rb.sections.iter().any(|s| s.choices().next().is_some());
        let has_steps = rb.steps().next().is_some();
        let view = if rb.kind == Kind::Reference && !has_tree && !has_steps { View::Pager } else { View::Sections };
        let start = section.and_then(|id| rb.section_index(id)).unwrap_or_else(|| rb.start_index());
        let mut g = Guide {
            rb,
            root_dir,
            view,
            section: start,
            selected: None,
            scroll: 0,
            visited: BTreeSet::new(),
            opened_at: now,
            find: None,
        };
        g.visited.insert(start);
        g
    }

    pub fn goto(&mut self, section: usize) {
        if section < self.rb.sections.len() {
            self.section = section;
            self.scroll = 0;
            self.selected = None;
            self.visited.insert(section);
        }
    }

    pub fn section_with_role(&self, role: SectionRole) -> Option<usize> {
        self.rb.sections.iter().position(|s| s.role == role)
    }

    /// Global number of the n-th step of the current section.
    pub fn global_step(&self, n: usize) -> usize {
        let before: usize = self.rb.sections[..self.section].iter().map(|s| s.steps().count()).sum();
        before + n
    }

    pub fn total_steps(&self) -> usize {
        self.rb.steps().count()
    }

    /// The n-th step of the current section.
    pub fn step(&self, n: usize) -> Option<&crate::runbook::Step> {
        self.rb.sections.get(self.section)?.steps().nth(n)
    }

    /// The next section in reading order, if any.
    pub fn next_section(&self) -> Option<usize> {
        (self.section + 1 < self.rb.sections.len()).then_some(self.section + 1)
    }

    /// Where "continue" leads from a section without answers: in a decision tree only from the
    /// introduction (to the first question); in a linear runbook, to the next section. `None`
    /// means the path ends here.
    pub fn continue_to(&self) -> Option<usize> {
        let is_tree = self.rb.sections.iter().any(|s| s.choices().next().is_some());
        let start = self.rb.start_index();
        if is_tree { (self.section < start).then_some(start) } else { self.next_section() }
    }

    /// The first command of the current section that is not a step's (plain code blocks).
    pub fn first_code(&self) -> Option<String> {
        self.rb.sections.get(self.section)?.blocks.iter().find_map(|b| match b {
            Block::Code { code, .. } => Some(code.clone()),
            Block::Step(s) => s.command.as_ref().map(|c| c.code.clone()),
            _ => None,
        })
    }

    /// Minutes since the runbook was opened.
    pub fn minutes_open(&self, now: Instant) -> u64 {
        now.saturating_duration_since(self.opened_at).as_secs() / 60
    }
}
