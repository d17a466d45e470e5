//! What this session has done so far, across runbooks: the steps checked in each runbook, and
//! when each was first opened (escalation timers count from then). The guide screen and the
//! risky-step dialog change it; resuming a session restores it. Also the values given to
//! commands' inputs (asked once per session).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::time::Instant;

#[derive(Debug, Default)]
pub struct Incident {
    /// Checked steps per runbook id, by step id.
    checked: HashMap<String, BTreeSet<String>>,
    /// When each runbook was first opened this session.
    opened: HashMap<String, Instant>,
    /// Inputs given this session, by name.
    inputs: BTreeMap<String, String>,
    /// The labels of the alert this session answers, for inputs that name one.
    labels: BTreeMap<String, String>,
    /// That alert's name and summary, for the guide's header.
    alert: Option<String>,
    /// Runbooks a command was copied from (work started there, checked or not).
    copied: HashSet<String>,
}

impl Incident {
    pub(crate) fn is_checked(&self, runbook: &str, step: &str) -> bool {
        self.checked.get(runbook).is_some_and(|s| s.contains(step))
    }

    /// How many steps of a runbook are checked.
    pub fn checked_count(&self, runbook: &str) -> usize {
        self.checked.get(runbook).map_or(0, BTreeSet::len)
    }

    pub(crate) fn set_checked(&mut self, runbook: &str, step: &str, checked: bool) {
        let set = self.checked.entry(runbook.to_owned()).or_default();
        if checked {
            set.insert(step.to_owned());
        } else {
            set.remove(step);
        }
    }

    /// Restore a runbook's checklist (resuming a session).
    pub(crate) fn restore(&mut self, runbook: &str, steps: BTreeSet<String>) {
        self.checked.insert(runbook.to_owned(), steps);
    }

    /// Record an input's value (typed, or restored from the journal).
    pub(crate) fn set_input(&mut self, name: &str, value: &str) {
        self.inputs.insert(name.to_owned(), value.to_owned());
    }

    /// The value given this session.
    pub(crate) fn given(&self, name: &str) -> Option<&str> {
        self.inputs.get(name).map(String::as_str)
    }

    /// The alert being answered: its labels fill the inputs that name one, its name and
    /// summary head the guide.
    /// Going from one alert to another, the values given for the first (its host, its
    /// mount point) are forgotten: the next copy asks again, prefilled from the new labels.
    pub(crate) fn set_alert(&mut self, alert: &crate::alert::Alert) {
        if self.alert.is_some() && self.labels != alert.labels {
            self.inputs.clear();
        }
        self.labels = alert.labels.clone();
        let line = match &alert.summary {
            Some(s) if !alert.name.is_empty() => format!("{}: {s}", alert.name),
            _ => alert.headline(),
        };
        self.alert = Some(crate::text::one_line(&line));
    }

    /// The alert being answered, as the guide's header shows it.
    pub(crate) fn alert(&self) -> Option<&str> {
        self.alert.as_deref()
    }

    /// The value to show and prefill: given this session, else the alert's label the input
    /// names, else the team file's fact.
    pub(crate) fn value<'a>(
        &'a self,
        name: &str,
        label: Option<&str>,
        facts: &'a BTreeMap<String, String>,
    ) -> Option<&'a str> {
        self.given(name)
            .or_else(|| label.and_then(|l| self.labels.get(l)).map(String::as_str))
            .or_else(|| facts.get(name).map(String::as_str))
    }

    /// `code` with its inputs' values in place: given this session, else the team file's
    /// fact; an input with neither stays as written. The one form of a command that the
    /// guide, the risky-step dialog, the command view and a copy all show.
    pub(crate) fn filled(&self, code: &str, facts: &BTreeMap<String, String>) -> String {
        crate::runbook::inputs::fill(code, |n, label| self.value(n, label, facts).map(str::to_owned))
    }

    /// A command of the runbook was copied.
    pub(crate) fn copied(&mut self, runbook: &str) {
        self.copied.insert(runbook.to_owned());
    }

    /// Whether work started in the runbook: a step checked or a command copied.
    pub(crate) fn started(&self, runbook: &str) -> bool {
        self.checked_count(runbook) > 0 || self.copied.contains(runbook)
    }

    /// When the runbook was first opened: now, if this is the first time.
    pub(crate) fn first_opened(&mut self, runbook: &str, now: Instant) -> Instant {
        *self.opened.entry(runbook.to_owned()).or_insert(now)
    }
}
