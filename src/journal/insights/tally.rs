//! The counting behind [`super::analyze`]: each session replayed into what it did (its typing
//! bursts, sections, steps' last state, where it escalated), then the sessions tallied. The
//! rules are in the parent module's documentation.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet};

use super::{Burst, Insights, QueryCount, RiskyCount, RunbookCount, SectionCount, StepCount, Where, bursts};
use crate::journal::{Event, Place, Record};

/// Runbook id, section id.
type SectionKey = (String, String);
/// Runbook id, section id, step id (a journal older than step ids: the id its section and
/// text give, `journal::step_id`).
type StepKey = (String, String, String);

/// What one session did.
#[derive(Debug, Default)]
pub(super) struct Session {
    searches: Vec<Burst>,
    sections: BTreeSet<SectionKey>,
    /// Whether each step it touched was checked at its end.
    steps: BTreeMap<StepKey, bool>,
    /// Risky steps confirmed: whether any confirmation skipped earlier steps.
    risky: BTreeMap<StepKey, bool>,
    last: Option<SectionKey>,
    escalated: Option<SectionKey>,
}

/// The titles of runbooks and sections, and the texts of steps, as last seen.
#[derive(Debug, Default)]
pub(super) struct Names {
    sections: BTreeMap<SectionKey, (String, String)>,
    steps: BTreeMap<StepKey, String>,
}

impl Names {
    fn at(&self, (runbook, section): &SectionKey) -> Where {
        let (title, section_title) =
            self.sections.get(&(runbook.clone(), section.clone())).cloned().unwrap_or_default();
        Where { runbook: runbook.clone(), title, section: section.clone(), section_title }
    }

    /// The key of a step an event names, its text remembered for the report.
    fn step(&mut self, place: &Place, id: &str, text: &str) -> StepKey {
        let one = crate::text::one_line;
        let key = (one(&place.runbook), one(&place.section), one(&crate::journal::step_id(place, id, text)));
        self.steps.insert(key.clone(), one(text.trim()));
        key
    }

    fn text(&self, key: &StepKey) -> String {
        self.steps.get(key).cloned().unwrap_or_else(|| key.2.clone())
    }
}

pub(super) fn replay(records: &[Record], names: &mut Names) -> Session {
    let mut s = Session { searches: bursts(records), ..Session::default() };
    let (mut escalation, mut came_from) = (None, None);
    for r in records {
        if let Some(p) = place_of(&r.event) {
            let key = (crate::text::one_line(&p.runbook), crate::text::one_line(&p.section));
            let title = if p.title.is_empty() { &p.runbook } else { &p.title };
            names.sections.insert(key.clone(), (crate::text::one_line(title), crate::text::one_line(&p.section_title)));
            if !is_escalate(p) {
                came_from = Some(key.clone());
            }
            s.sections.insert(key.clone());
            s.last = Some(key);
        }
        match &r.event {
            Event::Open { .. } | Event::Section { .. } => escalation = None,
            Event::Step { place, id, text, checked, .. } => {
                s.steps.insert(names.step(place, id, text), *checked);
            }
            Event::RiskyConfirmed { place, id, text, skipped } => {
                let key = names.step(place, id, text);
                s.steps.insert(key.clone(), true);
                *s.risky.entry(key).or_default() |= !skipped.is_empty();
            }
            // From an Escalate section, the section before it in the same runbook is where the
            // responder escalated from; reached from another runbook (by a link), it is where.
            Event::Escalation { place } => {
                let before = came_from.clone().filter(|k: &SectionKey| k.0 == place.runbook);
                escalation = if is_escalate(place) { before } else { None }.or_else(|| s.last.clone());
            }
            _ => {}
        }
    }
    let in_escalate =
        s.last.as_ref().is_some_and(|k| names.sections.get(k).is_some_and(|(_, t)| role_is_escalate(t, &k.1)));
    let same_runbook = |k: &SectionKey| s.last.as_ref().is_some_and(|l| l.0 == k.0);
    let before = came_from.filter(same_runbook);
    s.escalated = escalation.or_else(|| in_escalate.then(|| before.or_else(|| s.last.clone())).flatten());
    s
}

pub(super) fn count(out: &mut Insights, sessions: &[Session], names: &Names) {
    let mut known: BTreeMap<SectionKey, BTreeSet<String>> = BTreeMap::new();
    for (rb, sec, text) in sessions.iter().flat_map(|s| s.steps.keys()) {
        known.entry((rb.clone(), sec.clone())).or_default().insert(text.clone());
    }
    let (mut nothing, mut unopened) = (BTreeMap::new(), BTreeMap::new());
    let (mut runbooks, mut escalated, mut abandoned) = (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
    let (mut steps, mut risky) = (BTreeMap::<StepKey, (usize, usize)>::new(), BTreeMap::new());
    for s in sessions {
        let zero: BTreeSet<&String> = s.searches.iter().filter(|q| q.results == Some(0)).map(|q| &q.query).collect();
        let missed = s.searches.iter().filter(|q| q.results != Some(0) && !q.opened).map(|q| &q.query);
        for q in zero {
            *nothing.entry(q.clone()).or_insert(0) += 1;
        }
        for q in missed.collect::<BTreeSet<_>>() {
            *unopened.entry(q.clone()).or_insert(0) += 1;
        }
        for rb in s.sections.iter().map(|(rb, _)| rb).collect::<BTreeSet<_>>() {
            *runbooks.entry(rb.clone()).or_insert(0) += 1;
        }
        let left = |key: &SectionKey| -> Vec<StepKey> {
            known.get(key).into_iter().flatten().map(|t| (key.0.clone(), key.1.clone(), t.clone())).collect()
        };
        for step in s.sections.iter().flat_map(left) {
            let n = steps.entry(step.clone()).or_default();
            n.0 += 1;
            n.1 += usize::from(s.steps.get(&step) != Some(&true));
        }
        if let Some(at) = &s.escalated {
            *escalated.entry(at.clone()).or_insert(0) += 1;
        } else if let Some(at) = s.last.as_ref().filter(|k| left(k).iter().any(|step| s.steps.get(step) != Some(&true)))
        {
            *abandoned.entry(at.clone()).or_insert(0) += 1;
        }
        for (step, skipped) in &s.risky {
            let n: &mut (usize, usize) = risky.entry(step.clone()).or_default();
            n.0 += 1;
            n.1 += usize::from(*skipped);
        }
    }
    out.found_nothing = ranked(nothing, |query, sessions| QueryCount { query, sessions });
    out.never_opened = ranked(unopened, |query, sessions| QueryCount { query, sessions });
    out.runbooks = ranked(runbooks, |runbook: String, sessions| {
        let first =
            names.sections.range((runbook.clone(), String::new())..).next().filter(|((rb, _), _)| *rb == runbook);
        let title = first.map(|(_, (t, _))| t.clone());
        RunbookCount { title: title.unwrap_or_default(), runbook, sessions }
    });
    out.escalated = ranked(escalated, |k, sessions| SectionCount { at: names.at(&k), sessions });
    out.abandoned = ranked(abandoned, |k, sessions| SectionCount { at: names.at(&k), sessions });
    let steps = steps.into_iter().filter(|(_, (_, unchecked))| *unchecked > 0).map(|(k, (seen, n))| (k, (n, seen)));
    out.unchecked = ranked(steps.collect(), |key: StepKey, (unchecked, seen)| StepCount {
        text: names.text(&key),
        at: names.at(&(key.0, key.1)),
        seen,
        unchecked,
    });
    out.risky = ranked(risky, |key: StepKey, (sessions, out_of_order)| RiskyCount {
        text: names.text(&key),
        at: names.at(&(key.0, key.1)),
        sessions,
        out_of_order,
    });
}

/// Most first (the count, then the rest of it), then by key.
fn ranked<K: Ord, N: Ord + Copy, T>(counts: BTreeMap<K, N>, make: impl Fn(K, N) -> T) -> Vec<T> {
    let mut rows: Vec<(K, N)> = counts.into_iter().collect();
    rows.sort_by_key(|(_, n)| Reverse(*n));
    rows.into_iter().map(|(k, n)| make(k, n)).collect()
}

fn place_of(e: &Event) -> Option<&Place> {
    match e {
        Event::Open { place }
        | Event::Section { place }
        | Event::Answer { place, .. }
        | Event::Link { place, .. }
        | Event::Step { place, .. }
        | Event::RiskyConfirmed { place, .. }
        | Event::Copy { place, .. }
        | Event::Escalation { place } => Some(place),
        Event::Note { place, .. } => place.as_ref(),
        _ => None,
    }
}

fn is_escalate(p: &Place) -> bool {
    role_is_escalate(&p.section_title, &p.section)
}

/// An Escalate section, recognised from its title as the runbook parser does, or its id.
fn role_is_escalate(title: &str, id: &str) -> bool {
    let t = title.trim().trim_end_matches([':', '.']).to_lowercase();
    ["escalate", "escalation"].iter().any(|w| t == *w || id == *w)
}
