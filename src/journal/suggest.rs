//! Symptoms learned from searches (`insights --suggest`): in each session, the runbooks the
//! responder worked (a step checked, a command copied, or where the session ended), and the
//! words searched before first opening each. Those words are candidate symptoms of that
//! runbook; the command keeps the ones the runbook does not rank first for today, by running
//! the search. Only searches are used: a note's text never becomes a symptom.

use std::collections::{BTreeMap, BTreeSet};

use super::insights::{Period, bursts};
use super::{Event, Log, Record};

/// The shortest query proposed (a letter or two typed is no symptom), and the longest (a
/// paste is no symptom either).
const MIN_CHARS: usize = 3;
const MAX_CHARS: usize = 120;

/// Words searched before a runbook that was then worked, over all sessions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Runbook id and title, as the journals name it.
    pub runbook: String,
    pub title: String,
    /// The query, normalised (what groups sessions).
    pub query: String,
    /// The query as last typed: what is searched again, and proposed.
    pub typed: String,
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
            for (query, typed) in queries {
                let c = found.entry((runbook.clone(), query.clone())).or_insert_with(|| Candidate {
                    runbook: runbook.clone(),
                    title: title.clone(),
                    query,
                    typed: typed.clone(),
                    sessions: 0,
                    reached: BTreeSet::new(),
                });
                c.typed = typed;
                c.sessions += 1;
                c.reached.insert(reached);
            }
        }
    }
    let mut out: Vec<Candidate> = found.into_values().collect();
    out.sort_by(|a, b| b.sessions.cmp(&a.sessions).then_with(|| a.runbook.cmp(&b.runbook)).then(a.query.cmp(&b.query)));
    out
}

/// A runbook worked in a session: its id, its title, the queries before it (normalised, as
/// typed), how it was reached.
type Worked = (String, String, Vec<(String, String)>, &'static str);

/// One session: each runbook worked, its title, the queries (normalised, as typed) that led
/// to it, and how it was reached. The searches between the previous runbook worked and this
/// one's first opening count: the last of them, and those before it whose results were not
/// opened. A search that found another runbook, or belongs to another incident of the same
/// session, lends its words to no other runbook.
fn session(records: &[Record]) -> Vec<Worked> {
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
    // Each worked runbook with where it was first opened, in that order.
    let mut opened: Vec<(usize, String)> = worked
        .into_iter()
        .filter_map(|rb| {
            records
                .iter()
                .position(|r| matches!(&r.event, Event::Open { place } if place.runbook == rb))
                .map(|at| (at, rb))
        })
        .collect();
    opened.sort();
    let mut out = Vec::new();
    let mut from = 0;
    for (at, runbook) in opened {
        let title = match records.get(at).map(|r| &r.event) {
            Some(Event::Open { place }) => place.title.clone(),
            _ => String::new(),
        };
        let before = records.get(from..at).unwrap_or_default();
        from = at;
        let mut queries: Vec<(String, String)> = Vec::new();
        let searched = bursts(before);
        let last = searched.len().saturating_sub(1);
        for (i, b) in searched.into_iter().enumerate() {
            // The last search led here (at once, or through a link or the tree); one before
            // it counts only if nothing it found was opened: a search that found what it
            // sought (another runbook) lends its words to none.
            if i != last && b.opened {
                continue;
            }
            let fits = (MIN_CHARS..=MAX_CHARS).contains(&b.query.chars().count());
            if fits && !queries.iter().any(|(q, _)| *q == b.query) {
                queries.push((b.query, b.typed));
            }
        }
        if queries.is_empty() {
            continue;
        }
        // What came just before the opening: a link followed, a search, or a pick in a list.
        let reached = match before.iter().rev().find(|r| !matches!(r.event, Event::Section { .. })).map(|r| &r.event) {
            Some(Event::Link { .. }) => "a link",
            Some(Event::Answer { .. }) => "an answer in another runbook",
            Some(Event::Search { .. }) if queries.len() > 1 => "another search",
            _ => "the results",
        };
        out.push((runbook, title, queries, reached));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{Place, Stamp};

    fn rec(event: Event) -> Record {
        Record { at: Stamp::now(), event }
    }

    fn at(runbook: &str) -> Place {
        Place { runbook: runbook.into(), title: runbook.to_uppercase(), section: "s".into(), ..Place::default() }
    }

    fn search(q: &str) -> Event {
        Event::Search { query: q.into(), results: Some(3) }
    }

    #[test]
    fn a_search_lends_its_words_only_to_the_next_runbook_worked() {
        let step =
            |rb: &str| Event::Step { place: at(rb), id: "s/x".into(), text: "x".into(), checked: true, risky: false };
        let records = vec![
            rec(search("site is slow")),
            rec(Event::Open { place: at("a") }),
            rec(step("a")),
            rec(search("Pod")), // typing on: one burst with the next
            rec(search("PodCrashLooping again")),
            rec(Event::Open { place: at("c") }), // opened, not worked
            rec(Event::Link { place: at("c"), label: "b".into(), target: "b".into() }),
            rec(Event::Open { place: at("b") }),
            rec(Event::Copy { place: at("b"), command: "ls".into() }),
            rec(Event::Note { place: None, step_id: None, text: "secret token abc".into() }),
            // Found and opened its runbook (not worked), then another search led to the one worked.
            rec(search("widget jammed")),
            rec(Event::Open { place: at("w") }),
            rec(search("gizmo offline")),
            rec(Event::Open { place: at("g") }),
            rec(Event::Copy { place: at("g"), command: "ls".into() }),
        ];
        let drill = vec![
            rec(Event::SessionStart {
                user: "u".into(),
                host: "h".into(),
                roots: Vec::new(),
                version: "v".into(),
                drill: Some(crate::journal::Drill { runbook: "b".into(), scenario: "s".into() }),
            }),
            rec(search("drill words")),
            rec(Event::Open { place: at("b") }),
            rec(Event::Copy { place: at("b"), command: "ls".into() }),
        ];
        let logs = [Log { records, unreadable: 0, path: None }, Log { records: drill, unreadable: 0, path: None }];
        let got: Vec<(String, String, String)> = candidates(&logs, &Period::default())
            .into_iter()
            .map(|c| (c.runbook, c.typed, c.reached.into_iter().collect::<Vec<_>>().join(",")))
            .collect();
        assert_eq!(
            got,
            [
                ("a".to_owned(), "site is slow".to_owned(), "the results".to_owned()),
                ("b".to_owned(), "PodCrashLooping again".to_owned(), "a link".to_owned()),
                ("g".to_owned(), "gizmo offline".to_owned(), "the results".to_owned()),
            ]
        );
    }
}
