//! Replaying a session's events into where the responder stopped: the last runbook and
//! section, and which steps were checked. Used by `--resume` and by the handoff report.

use std::collections::{BTreeMap, BTreeSet};

use super::{Event, Place, Record, Stamp, step_id};

/// A risky step the responder confirmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Risky {
    /// The runbook's title.
    pub title: String,
    pub text: String,
    pub at: Stamp,
    /// Earlier steps not done when it was confirmed.
    pub skipped: Vec<String>,
}

/// The state at the end of a session.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct State {
    /// Where the responder was last.
    pub place: Option<Place>,
    /// Checked steps per runbook id, by step id, with their text.
    pub checked: BTreeMap<String, BTreeMap<String, String>>,
    /// Risky steps confirmed, in order.
    pub risky: Vec<Risky>,
    /// Runbooks visited, in order of first visit: id -> place of first visit.
    pub visited: Vec<Place>,
    /// Sections visited per runbook id.
    pub sections: BTreeMap<String, BTreeSet<String>>,
    /// Commands' inputs given, by name (the last value given wins).
    pub inputs: BTreeMap<String, String>,
    /// The path to where the responder stopped, as Backspace would walk it back: the places
    /// since the runbook was opened from a search, each answer or link a step forward, each
    /// step back a return to an earlier place.
    pub trail: Vec<Place>,
}

pub(crate) fn replay(records: &[Record]) -> State {
    let mut s = State::default();
    let mut after_link = false;
    for r in records {
        match &r.event {
            // A runbook opened from a search starts a new path; one opened by a link goes on.
            Event::Open { place } if !after_link => s.trail = vec![place.clone()],
            Event::Open { place } | Event::Section { place } => {
                let same = |p: &Place| p.runbook == place.runbook && p.section == place.section;
                match s.trail.iter().rposition(same) {
                    Some(i) => s.trail.truncate(i + 1),
                    None => s.trail.push(place.clone()),
                }
            }
            _ => {}
        }
        after_link = matches!(r.event, Event::Link { .. });
        match &r.event {
            Event::Open { place } | Event::Section { place } => {
                if !s.visited.iter().any(|p| p.runbook == place.runbook) {
                    s.visited.push(place.clone());
                }
                s.sections.entry(place.runbook.clone()).or_default().insert(place.section.clone());
                s.place = Some(place.clone());
            }
            Event::Step { place, id, text, checked, .. } => {
                let steps = s.checked.entry(place.runbook.clone()).or_default();
                let id = step_id(place, id, text);
                if *checked {
                    steps.insert(id, text.clone());
                } else {
                    steps.remove(&id);
                }
            }
            Event::RiskyConfirmed { place, id, text, skipped } => {
                let id = step_id(place, id, text);
                s.checked.entry(place.runbook.clone()).or_default().insert(id, text.clone());
                s.risky.push(Risky {
                    title: place.title.clone(),
                    text: text.clone(),
                    at: r.at,
                    skipped: skipped.clone(),
                });
            }
            Event::Input { name, value } => {
                s.inputs.insert(name.clone(), value.clone());
            }
            _ => {}
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place(rb: &str, sec: &str) -> Place {
        Place { runbook: rb.into(), title: rb.to_uppercase(), section: sec.into(), ..Place::default() }
    }

    fn rec(event: Event) -> Record {
        Record { at: "2026-11-25T03:00:00+01:00".parse().unwrap(), event }
    }

    #[test]
    fn replay_tracks_place_and_checklist() {
        let records = vec![
            rec(Event::Open { place: place("a", "q") }),
            rec(Event::Answer { place: place("a", "q"), id: "q/yes".into(), answer: "yes".into() }),
            rec(Event::Section { place: place("a", "fix") }),
            rec(Event::Step {
                place: place("a", "fix"),
                id: "fix/one".into(),
                text: "one".into(),
                checked: true,
                risky: false,
            }),
            rec(Event::Step {
                place: place("a", "fix"),
                id: "fix/two".into(),
                text: "two".into(),
                checked: true,
                risky: false,
            }),
            rec(Event::Step {
                place: place("a", "fix"),
                id: "fix/two".into(),
                text: "two".into(),
                checked: false,
                risky: false,
            }),
            rec(Event::RiskyConfirmed {
                place: place("a", "fix"),
                id: "fix/three".into(),
                text: "three".into(),
                skipped: Vec::new(),
            }),
            rec(Event::Input { name: "PID".into(), value: "1".into() }),
            rec(Event::Input { name: "PID".into(), value: "42".into() }),
        ];
        let s = replay(&records);
        assert_eq!(s.place.map(|p| p.section), Some("fix".into()));
        let done: Vec<&str> = s.checked["a"].keys().map(String::as_str).collect();
        assert_eq!(done, ["fix/one", "fix/three"]);
        assert_eq!(s.risky.len(), 1);
        assert_eq!(s.visited.len(), 1);
        assert_eq!(s.inputs.get("PID").map(String::as_str), Some("42"), "the last value given wins");
        let trail: Vec<&str> = s.trail.iter().map(|p| p.section.as_str()).collect();
        assert_eq!(trail, ["q", "fix"]);
    }

    #[test]
    fn the_trail_is_the_path_backspace_walks() {
        let records = vec![
            rec(Event::Open { place: place("a", "start") }),
            rec(Event::Section { place: place("a", "q1") }),
            rec(Event::Section { place: place("a", "q2") }),
            rec(Event::Section { place: place("a", "q1") }), // Backspace
            rec(Event::Section { place: place("a", "q3") }),
            rec(Event::Link { place: place("a", "q3"), label: "B".into(), target: "b.md".into() }),
            rec(Event::Open { place: place("b", "intro") }),
            rec(Event::Section { place: place("b", "steps") }),
        ];
        let s = replay(&records);
        let trail: Vec<String> = s.trail.iter().map(|p| format!("{}#{}", p.runbook, p.section)).collect();
        assert_eq!(trail, ["a#start", "a#q1", "a#q3", "b#intro", "b#steps"]);
        // A new search starts over.
        let mut more = records.clone();
        more.push(rec(Event::Search { query: "x".into(), results: Some(1) }));
        more.push(rec(Event::Open { place: place("c", "top") }));
        assert_eq!(replay(&more).trail.len(), 1);
    }

    #[test]
    fn a_journal_from_before_step_ids_still_resumes_its_checklist() {
        let old = r#"{"at":"2026-11-25T03:00:00+01:00","event":"step","place":{"runbook":"a","title":"A","root":"/r","path":"a.md","section":"fix","section_title":"Fix"},"step":3,"text":"Restart the `web` service","checked":true,"risky":false}"#;
        let Ok(record) = serde_json::from_str::<Record>(old) else { panic!("an old line reads") };
        let s = replay(&[record]);
        let (rb, _) = crate::runbook::parse_text(
            "# A\n\n## Fix\n\n- [ ] Check it\n- [ ] Restart the `web` service\n",
            crate::runbook::Origin { root: 0, rel_path: "a.md".into(), file: "a.md".into() },
        );
        let ids: Vec<&str> = rb.steps().map(|(_, step)| step.id.as_str()).collect();
        assert_eq!(ids, ["fix/check-it", "fix/restart-the-web-service"]);
        assert!(s.checked["a"].contains_key(ids[1]), "{:?}", s.checked);
    }
}
