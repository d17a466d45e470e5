//! What a drill showed (`runbook drill`): whether the trainee reached the runbook, how long
//! it took, where they went first, which answers they took and which steps they left, next
//! to the path the runbook intends. And over many drills, which scenarios are found fast and
//! which send people to the wrong place (a search or content problem for the authors).

use std::fmt::Write as _;

use serde::Serialize;

use super::{Event, Record};
use crate::text::one_line;

/// One drill, replayed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub(crate) struct Outcome {
    pub runbook: String,
    pub scenario: String,
    /// Seconds from the start of the drill to opening the runbook, if it was reached.
    pub reached_after: Option<i64>,
    /// What the trainee searched for, in order.
    pub searches: Vec<String>,
    /// Runbooks opened before the right one (or instead of it), by title.
    pub wrong: Vec<String>,
    /// Answers taken in the runbook: `question -> answer`.
    pub answers: Vec<String>,
    /// Steps checked in the runbook, in order.
    pub checked: Vec<String>,
    /// The runbook's sections the trainee was in (ids, in order of first visit).
    pub sections: Vec<String>,
    /// Runbooks the trainee went on to from it (a guide's procedure, by link or answer), each
    /// with the sections they were in: their steps count too.
    pub followed: Vec<(String, Vec<String>)>,
}

/// Replay a drill's records; `None` when they are not a drill.
pub(crate) fn outcome(records: &[Record]) -> Option<Outcome> {
    let (start, drill) = records.iter().find_map(|r| match &r.event {
        Event::SessionStart { drill: Some(d), .. } => Some((r.at, d.clone())),
        _ => None,
    })?;
    let mut o = Outcome { runbook: drill.runbook.clone(), scenario: drill.scenario.clone(), ..Outcome::default() };
    for r in records {
        match &r.event {
            Event::Search { query, .. } => o.searches.push(query.clone()),
            Event::Open { place } | Event::Section { place }
                if place.runbook == drill.runbook && !o.sections.contains(&place.section) =>
            {
                o.sections.push(place.section.clone());
                if matches!(r.event, Event::Open { .. }) {
                    let secs = start
                        .timestamp()
                        .zip(r.at.timestamp())
                        .map_or(0, |(a, b)| b.as_second().saturating_sub(a.as_second()));
                    o.reached_after.get_or_insert(secs);
                }
            }
            Event::Open { place } if place.runbook == drill.runbook => {
                let secs = start
                    .timestamp()
                    .zip(r.at.timestamp())
                    .map_or(0, |(a, b)| b.as_second().saturating_sub(a.as_second()));
                o.reached_after.get_or_insert(secs);
            }
            Event::Open { place } if o.reached_after.is_none() && !o.wrong.contains(&place.title) => {
                o.wrong.push(place.title.clone());
            }
            // After the runbook was reached, where the trainee went on to from it.
            Event::Open { place } | Event::Section { place } if o.reached_after.is_some() => {
                match o.followed.iter_mut().find(|(id, _)| *id == place.runbook) {
                    Some((_, sections)) if !sections.contains(&place.section) => sections.push(place.section.clone()),
                    Some(_) => {}
                    None => o.followed.push((place.runbook.clone(), vec![place.section.clone()])),
                }
            }
            Event::Answer { place, answer, .. } if place.runbook == drill.runbook => {
                o.answers.push(format!("{} -> {answer}", place.section_title));
            }
            Event::Step { place, text, checked: true, .. } | Event::RiskyConfirmed { place, text, .. }
                if o.counts(&place.runbook) && !o.checked.contains(text) =>
            {
                o.checked.push(text.clone());
            }
            Event::Step { place, text, checked: false, .. } if o.counts(&place.runbook) => {
                o.checked.retain(|t| t != text);
            }
            _ => {}
        }
    }
    // A typing burst is logged as it rests; keep each search once.
    o.searches.dedup();
    Some(o)
}

impl Outcome {
    /// Whether the steps of `runbook` count: the drill's, or one the trainee went on to.
    fn counts(&self, runbook: &str) -> bool {
        runbook == self.runbook || self.followed.iter().any(|(id, _)| id == runbook)
    }
}

/// `1m 05s`.
pub(crate) fn duration(secs: i64) -> String {
    let secs = secs.max(0);
    if secs < 60 { format!("{secs}s") } else { format!("{}m {:02}s", secs / 60, secs % 60) }
}

/// The end-of-drill summary: what happened, next to `intended` (the runbook's steps in order).
pub(crate) fn summary(o: &Outcome, title: &str, intended: &[String]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Drill: \"{}\"", one_line(&o.scenario));
    match o.reached_after {
        Some(s) => {
            let _ = writeln!(out, "Reached {} ({}) after {}.", one_line(title), one_line(&o.runbook), duration(s));
        }
        None => {
            let _ = writeln!(out, "Did not reach {} ({}).", one_line(title), one_line(&o.runbook));
        }
    }
    let list = |v: &[String]| {
        if v.is_empty() { "none".to_owned() } else { v.iter().map(|s| one_line(s)).collect::<Vec<_>>().join("; ") }
    };
    let _ = writeln!(out, "Searches: {}", list(&o.searches));
    if !o.wrong.is_empty() {
        let _ = writeln!(out, "Opened first: {}", list(&o.wrong));
    }
    let _ = writeln!(out, "Answers taken: {}", list(&o.answers));
    let skipped: Vec<String> = intended.iter().filter(|s| !o.checked.contains(s)).cloned().collect();
    let _ = writeln!(
        out,
        "Steps done: {} of {}",
        intended.iter().filter(|s| o.checked.contains(s)).count(),
        intended.len()
    );
    if !intended.is_empty() {
        let _ = writeln!(out, "\nThe runbook's path, in order:");
        for step in intended {
            let mark = if o.checked.contains(step) { "x" } else { " " };
            let _ = writeln!(out, "  [{mark}] {}", one_line(step));
        }
    }
    if !skipped.is_empty() && o.reached_after.is_some() {
        let _ = writeln!(out, "\nSkipped: {}", list(&skipped));
    }
    out
}

/// Several drills by scenario: found fast (reached, no detour) and sent to the wrong place.
pub(crate) fn report(drills: &[Outcome]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# Drills ({})\n", drills.len());
    let fast: Vec<&Outcome> = drills.iter().filter(|o| o.reached_after.is_some() && o.wrong.is_empty()).collect();
    let astray: Vec<&Outcome> = drills.iter().filter(|o| o.reached_after.is_none() || !o.wrong.is_empty()).collect();
    let _ = writeln!(out, "## Found fast ({})\n", fast.len());
    for o in &fast {
        let after = o.reached_after.map(duration).unwrap_or_default();
        let _ = writeln!(out, "- \"{}\" -> {} in {after}", one_line(&o.scenario), one_line(&o.runbook));
    }
    let _ = writeln!(out, "\n## Sent to the wrong place ({})\n", astray.len());
    for o in &astray {
        let went = if o.wrong.is_empty() {
            "nowhere".to_owned()
        } else {
            o.wrong.iter().map(|w| one_line(w)).collect::<Vec<_>>().join(", ")
        };
        let result = match o.reached_after {
            Some(s) => format!("reached {} after {}", one_line(&o.runbook), duration(s)),
            None => format!("never reached {}", one_line(&o.runbook)),
        };
        let searched = o.searches.iter().map(|s| format!("\"{}\"", one_line(s))).collect::<Vec<_>>().join(", ");
        let _ = writeln!(out, "- \"{}\": went to {went}; {result}; searched {searched}", one_line(&o.scenario));
    }
    if !astray.is_empty() {
        let _ = writeln!(
            out,
            "\nEach of these is a search or content problem: add the words the trainees typed to the runbook's symptoms, or fix the runbook they went to first."
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{Drill, Place};

    fn rec(secs: u32, event: Event) -> Record {
        Record { at: format!("2026-11-25T03:{:02}:{:02}+01:00", secs / 60, secs % 60).parse().unwrap(), event }
    }

    fn place(runbook: &str, title: &str, section: &str) -> Place {
        Place { runbook: runbook.into(), title: title.into(), section_title: section.into(), ..Place::default() }
    }

    fn start(runbook: &str, scenario: &str) -> Record {
        let drill = Some(Drill { runbook: runbook.into(), scenario: scenario.into() });
        rec(0, Event::SessionStart { user: "t".into(), host: "h".into(), roots: vec![], version: "0".into(), drill })
    }

    #[test]
    fn a_drill_says_how_long_where_first_and_what_was_left() {
        let disk = place("os/disk-full", "Disk full", "Which?");
        let records = vec![
            start("os/disk-full", "no space left on device"),
            rec(10, Event::Search { query: "no space".into(), results: Some(2) }),
            rec(20, Event::Open { place: place("os/inodes", "Inodes exhausted", "Intro") }),
            rec(70, Event::Open { place: disk.clone() }),
            rec(80, Event::Answer { place: disk.clone(), id: String::new(), answer: "One is at 100%".into() }),
            rec(
                90,
                Event::Step {
                    place: disk.clone(),
                    id: String::new(),
                    text: "Shrink the journal".into(),
                    checked: true,
                    risky: true,
                },
            ),
            rec(
                95,
                Event::Step {
                    place: disk.clone(),
                    id: String::new(),
                    text: "Check again".into(),
                    checked: true,
                    risky: false,
                },
            ),
            rec(
                96,
                Event::Step {
                    place: disk,
                    id: String::new(),
                    text: "Check again".into(),
                    checked: false,
                    risky: false,
                },
            ),
        ];
        let o = outcome(&records).unwrap_or_default();
        assert_eq!(o.reached_after, Some(70));
        assert_eq!(o.wrong, ["Inodes exhausted"]);
        assert_eq!(o.answers, ["Which? -> One is at 100%"]);
        assert_eq!(o.checked, ["Shrink the journal"], "unchecked again: not done");
        let intended = ["Tell the channel".to_owned(), "Shrink the journal".to_owned(), "Check again".to_owned()];
        let text = summary(&o, "Disk full", &intended);
        assert!(text.contains("Reached Disk full (os/disk-full) after 1m 10s."), "{text}");
        assert!(text.contains("Opened first: Inodes exhausted"), "{text}");
        assert!(text.contains("Steps done: 1 of 3"), "{text}");
        assert!(text.contains("  [x] Shrink the journal\n  [ ] Check again"), "{text}");
        assert!(text.contains("Skipped: Tell the channel; Check again"), "{text}");
        assert_eq!(outcome(&records[1..]), None, "not a drill without its start");
    }

    #[test]
    fn steps_in_a_procedure_the_guide_led_to_count() {
        let guide = place("guide", "Site slow", "Where?");
        let proc = place("restart", "Restart the app", "Steps");
        let records = vec![
            start("guide", "pages take ten seconds"),
            rec(10, Event::Open { place: guide.clone() }),
            rec(20, Event::Link { place: guide, label: "Restart".into(), target: "restart.md".into() }),
            rec(30, Event::Open { place: proc.clone() }),
            rec(
                40,
                Event::Step { place: proc, id: String::new(), text: "Restart it".into(), checked: true, risky: false },
            ),
        ];
        let o = outcome(&records).unwrap_or_default();
        assert_eq!(o.checked, ["Restart it"]);
        assert_eq!(o.followed, [("restart".to_owned(), vec![String::new()])]);
    }

    #[test]
    fn the_report_tells_fast_scenarios_from_misleading_ones() {
        let fast = Outcome {
            runbook: "a".into(),
            scenario: "site slow".into(),
            reached_after: Some(30),
            ..Outcome::default()
        };
        let detour = Outcome { wrong: vec!["DNS failures".into()], ..fast.clone() };
        let lost = Outcome {
            runbook: "b".into(),
            scenario: "partner API timing out".into(),
            searches: vec!["partner slow".into()],
            ..Outcome::default()
        };
        let r = report(&[fast, detour, lost]);
        assert!(r.contains("## Found fast (1)\n\n- \"site slow\" -> a in 30s"), "{r}");
        assert!(r.contains("## Sent to the wrong place (2)"), "{r}");
        assert!(r.contains("- \"site slow\": went to DNS failures; reached a after 30s"), "{r}");
        assert!(
            r.contains("- \"partner API timing out\": went to nowhere; never reached b; searched \"partner slow\""),
            "{r}"
        );
    }
}
