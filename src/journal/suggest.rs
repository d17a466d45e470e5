//! Symptoms learned from searches (`insights --suggest`): in each session, the runbooks the
//! responder worked (a step checked, a command copied, or where the session ended), and the
//! words searched before first opening each. Those words are candidate symptoms of that
//! runbook; the command keeps the ones the runbook does not rank first for today, by running
//! the search. Only searches are used: a note's text never becomes a symptom.

use std::collections::{BTreeMap, BTreeSet};

use super::insights::{Period, bursts};
use super::{Event, Log, Record};

/// The shortest query proposed (a letter or two typed is no symptom).
const MIN_CHARS: usize = 3;

/// Words searched before a runbook that was then worked, over all sessions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Runbook id and title, as the journals name it.
    pub runbook: String,
    pub title: String,
    /// The query, normalised.
    pub query: String,
    /// Sessions that searched it before working the runbook.
    pub sessions: usize,
    /// How the runbook was reached after the search, in those sessions ("a link", "another
    /// search", "the results").
    pub reached: BTreeSet<&'static str>,
}

/// The candidates in these journals (drills left out; `period` as `insights` applies it),
/// most sessions first.
pub fn candidates<'a>(journals: impl IntoIterator<Item = &'a Log>, period: &Period) -> Vec<Candidate> {
    let mut found: BTreeMap<(String, String), Candidate> = BTreeMap::new();
    for log in journals {
        let records = log.records.as_slice();
        if !period.counts(records)
            || records.iter().any(|r| matches!(&r.event, Event::SessionStart { drill: Some(_), .. }))
        {
            continue;
        }
        for (runbook, title, queries, reached) in session(records) {
            for query in queries {
                let c = found.entry((runbook.clone(), query.clone())).or_insert_with(|| Candidate {
                    runbook: runbook.clone(),
                    title: title.clone(),
                    query,
                    sessions: 0,
                    reached: BTreeSet::new(),
                });
                c.sessions += 1;
                c.reached.insert(reached);
            }
        }
    }
    let mut out: Vec<Candidate> = found.into_values().collect();
    out.sort_by(|a, b| b.sessions.cmp(&a.sessions).then_with(|| a.runbook.cmp(&b.runbook)).then(a.query.cmp(&b.query)));
    out
}

/// One session: each runbook worked, its title, the queries searched before it was first
/// opened, and how it was reached.
fn session(records: &[Record]) -> Vec<(String, String, Vec<String>, &'static str)> {
    let mut worked: BTreeSet<String> = BTreeSet::new();
    let mut last = None;
    for r in records {
        match &r.event {
            Event::Step { place, checked: true, .. }
            | Event::RiskyConfirmed { place, .. }
            | Event::Copy { place, .. } => {
                worked.insert(place.runbook.clone());
            }
            _ => {}
        }
        if let Event::Open { place } | Event::Section { place } | Event::Answer { place, .. } = &r.event {
            last = Some(place.runbook.clone());
        }
    }
    worked.extend(last);
    let mut out = Vec::new();
    for runbook in worked {
        let Some(at) =
            records.iter().position(|r| matches!(&r.event, Event::Open { place } if place.runbook == runbook))
        else {
            continue;
        };
        let title = match records.get(at).map(|r| &r.event) {
            Some(Event::Open { place }) => place.title.clone(),
            _ => String::new(),
        };
        let before = records.get(..at).unwrap_or_default();
        let queries: Vec<String> = bursts(before)
            .into_iter()
            .map(|b| b.query)
            .filter(|q| q.chars().count() >= MIN_CHARS)
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if queries.is_empty() {
            continue;
        }
        // What came just before the opening: a link followed, a search, or a pick in a list.
        let reached = match before.iter().rev().find(|r| !matches!(r.event, Event::Section { .. })).map(|r| &r.event) {
            Some(Event::Link { .. }) => "a link",
            Some(Event::Answer { .. }) => "an answer in another runbook",
            Some(Event::Search { .. }) if bursts(before).len() > 1 => "another search",
            _ => "the results",
        };
        out.push((runbook, title, queries, reached));
    }
    out
}
