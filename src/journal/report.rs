//! The handoff report: what the next person needs in one minute, as plain markdown that
//! reads in 80 columns and pastes into a ticket or chat: a summary, then the timeline.

use std::fmt::Write;

use super::resume::{State, replay};
use super::{Ending, Event, Log, Place, Stamp};
use crate::runbook::Runbook;

/// The width `runbook journal` and a copied report are wrapped to.
pub(crate) const WIDTH: usize = 78;

/// Opens a visited runbook again, or says why it cannot.
pub(crate) type Loader<'a> = &'a dyn Fn(&Place) -> Result<Runbook, String>;

/// The report of a session file; the runbooks it visited are read again from the folders
/// recorded in the journal (never from another folder) to list the steps not done.
/// `live` when the session is the one still running (the report shown inside the TUI).
pub(crate) fn for_session(path: &std::path::Path, log: &Log, live: bool) -> String {
    // Running in another terminal: in progress too, never "ended abruptly".
    render(&super::session_id(path), log, &open_visited, live || super::running(path))
}

/// A visited runbook, from the folder the journal recorded (and only from there).
pub fn open_visited(p: &Place) -> Result<Runbook, String> {
    let folder = &p.at.folder;
    if !folder.is_dir() {
        return Err(format!("its folder {} is not there any more", folder.display()));
    }
    let catalog = crate::runbook::library::Catalog::new(std::slice::from_ref(folder));
    catalog.open(&p.at).map(|(rb, _)| rb).map_err(|problem| problem.message)
}

/// Render a session. `load` opens a visited runbook (to list the steps not done).
pub(crate) fn render(id: &str, log: &Log, load: Loader<'_>, live: bool) -> String {
    let records = log.records.as_slice();
    let state = replay(records);
    let mut out = String::new();
    let (user, host) = records
        .iter()
        .find_map(|r| match &r.event {
            Event::SessionStart { user, host, .. } => Some((user.clone(), host.clone())),
            _ => None,
        })
        .unwrap_or_default();
    let _ = writeln!(out, "# On-call handoff: {}\n", crate::text::one_line(&format!("{user} on {host}")));
    let first = records.first().map(|r| r.at);
    let last = records.last().map(|r| r.at);
    for r in records {
        if let Event::Alert { .. } = &r.event
            && let Some(text) = describe(&r.event)
        {
            line(&mut out, &format!("- Alert: {}", text.trim_start_matches("alert: ")));
        }
    }
    line(&mut out, &format!("- Session: {id}"));
    if log.unreadable > 0 {
        let n = log.unreadable;
        line(&mut out, &format!("- Journal: {n} unreadable line{} skipped", if n == 1 { "" } else { "s" }));
    }
    line(&mut out, &format!("- Started: {} by {user} on {host}", pretty(first)));
    let ending = match super::ending(records) {
        _ if live => "in progress".to_owned(),
        Ending::Quit => "ended normally".to_owned(),
        Ending::Unfinished(left) => format!("quit with steps not done: {left}"),
        Ending::Cut(Some(reason)) => format!("ended abruptly: {reason}"),
        Ending::Cut(None) => "ended abruptly (killed or connection lost): no end recorded".to_owned(),
        Ending::Dropped => "ended abruptly; later marked not to be resumed".to_owned(),
        Ending::Running | Ending::Unreadable(_) => "unknown".to_owned(),
    };
    line(&mut out, &format!("- Last activity: {} ({}; {ending})", pretty(last), duration(first, last)));
    let searches: Vec<String> = records
        .iter()
        .filter_map(|r| match &r.event {
            Event::Search { query, .. } => Some(format!("\"{query}\"")),
            _ => None,
        })
        .collect();
    if !searches.is_empty() {
        line(&mut out, &format!("- Searched for: {}", searches.join(", ")));
    }
    if !state.visited.is_empty() {
        let names: Vec<String> = state.visited.iter().map(|p| format!("{} ({})", p.title, p.runbook)).collect();
        line(&mut out, &format!("- Runbooks visited: {}", names.join("; ")));
    }
    if let Some(p) = &state.place {
        line(&mut out, &format!("- Stopped at: {} > {}", p.title, p.section_title));
    }
    steps_summary(&mut out, &state, load);
    if !state.risky.is_empty() {
        let _ = writeln!(out, "\nRisky steps taken:");
        for r in &state.risky {
            line(&mut out, &format!("- {} {} ({}){}", r.at.clock(), r.text, r.title, out_of_order(&r.skipped)));
        }
    }
    if !state.inputs.is_empty() {
        let _ = writeln!(out, "\nValues used in commands:");
        for (name, value) in &state.inputs {
            line(&mut out, &format!("- {name}={}", crate::runbook::inputs::quote(value)));
        }
    }
    let notes: Vec<String> = records
        .iter()
        .filter_map(|r| match &r.event {
            Event::Note { text, .. } => Some(format!("- {} {text}", r.at.clock())),
            _ => None,
        })
        .collect();
    if !notes.is_empty() {
        let _ = writeln!(out, "\nNotes:");
        for n in notes {
            line(&mut out, &n);
        }
    }
    let _ = writeln!(out, "\n## Timeline\n");
    for r in records {
        if let Some(text) = describe(&r.event) {
            line(&mut out, &format!("- {} {text}", r.at.clock()));
        }
    }
    out
}

fn steps_summary(out: &mut String, state: &State, load: Loader<'_>) {
    let done: usize = state.checked.values().map(|s| s.len()).sum();
    let _ = writeln!(out, "\nSteps done ({done}):");
    if done == 0 {
        line(out, "- none");
    }
    for place in &state.visited {
        for text in state.checked.get(&place.runbook).into_iter().flat_map(|s| s.values()) {
            line(out, &format!("- [x] {text} ({})", place.title));
        }
    }
    // Steps in the sections the responder reached but did not check.
    let mut not_done = Vec::new();
    let mut unopened = Vec::new();
    for place in &state.visited {
        let rb = match load(place) {
            Ok(rb) => rb,
            Err(why) => {
                unopened.push(format!("- {} ({}): {why}", place.title, place.at.path));
                continue;
            }
        };
        let seen = state.sections.get(&place.runbook);
        let checked = state.checked.get(&place.runbook);
        for section in &rb.sections {
            for step in section.steps() {
                if seen.is_some_and(|s| s.contains(&section.id)) && !checked.is_some_and(|c| c.contains_key(&step.id)) {
                    not_done.push(format!(
                        "- [ ] {} ({} > {})",
                        crate::runbook::plain_text(&step.text).trim(),
                        rb.title,
                        section.title
                    ));
                }
            }
        }
    }
    if !not_done.is_empty() {
        let _ = writeln!(out, "\nSteps seen but not done ({}):", not_done.len());
        for l in not_done {
            line(out, &l);
        }
    }
    if !unopened.is_empty() {
        let _ = writeln!(out, "\nNot reopened, so their steps not done are not listed:");
        for l in unopened {
            line(out, &l);
        }
    }
}

fn describe(e: &Event) -> Option<String> {
    Some(match e {
        Event::SessionStart { user, host, .. } => format!("session started by {user} on {host}"),
        Event::Resumed { user, host } => format!("session resumed by {user} on {host}"),
        Event::Search { query, .. } => format!("searched \"{query}\""),
        Event::Alert { name, labels, status, starts_at, summary, text } => {
            let labels: Vec<String> =
                labels.iter().filter(|(k, _)| k.as_str() != "alertname").map(|(k, v)| format!("{k}={v}")).collect();
            let mut s = match text.as_deref().filter(|_| name.is_empty()) {
                Some(words) => format!("alert: ticket \"{words}\""),
                None => format!("alert: {name} [{status}]"),
            };
            if !labels.is_empty() {
                s.push_str(&format!(" ({})", labels.join(", ")));
            }
            if let Some(at) = starts_at {
                s.push_str(&format!(", since {at}"));
            }
            if let Some(summary) = summary {
                s.push_str(&format!(": {summary}"));
            }
            s
        }
        Event::Open { place } => format!("opened {} at \"{}\"", place.title, place.section_title),
        Event::Section { place } => format!("went to \"{}\"", place.section_title),
        Event::Answer { place, answer, .. } => format!("Q: {} -> A: {answer}", place.section_title),
        Event::Link { place, label, target } => {
            format!("in \"{}\" followed the link \"{label}\" ({target})", place.section_title)
        }
        Event::Step { text, checked: true, .. } => format!("checked [x] {text}"),
        Event::Step { text, checked: false, .. } => format!("unchecked [ ] {text}"),
        Event::RiskyConfirmed { text, skipped, .. } => {
            format!("RISKY step confirmed and done: {text}{}", out_of_order(skipped))
        }
        Event::Copy { command, .. } => format!("copied command: {}", command_line(command)),
        Event::Note { text, .. } => format!("note: {text}"),
        Event::Input { name, value } => format!("input {name}={}", crate::runbook::inputs::quote(value)),
        Event::Escalation { place } => format!("looked at escalation contacts of {}", place.title),
        Event::ShellOpened { how, command: Some(c) } => {
            format!("went to {} with this command ready: {}", how.describe(), command_line(c))
        }
        Event::ShellOpened { how, command: None } => format!("went to {}", how.describe()),
        Event::ShellClosed { how } => format!("back from {}", how.describe()),
        Event::Dropped { user } => format!("{user} chose not to resume this session"),
        Event::SessionEnd { reason, unfinished: Some(left) } => format!("session ended ({reason}; not done: {left})"),
        Event::SessionEnd { reason, unfinished: None } => format!("session ended ({reason})"),
    })
}

/// The line that says which command it was: the first that is not an input's value (those
/// are listed under "Values used in commands"), with "(+N lines)" when there are more.
fn command_line(command: &str) -> String {
    let lines: Vec<&str> = command.lines().filter(|l| !l.trim().is_empty()).collect();
    let is_input = |l: &&str| crate::runbook::inputs::parse(l).len() == 1;
    let first = lines.iter().find(|l| !is_input(l)).or(lines.first()).map_or("", |l| l.trim());
    match lines.len() {
        0 | 1 => first.to_owned(),
        n => format!("{first} (+{} line{})", n - 1, if n == 2 { "" } else { "s" }),
    }
}

/// What the report adds to a risky step confirmed before the steps that come first.
fn out_of_order(skipped: &[String]) -> String {
    if skipped.is_empty() {
        return String::new();
    }
    format!("; OUT OF ORDER, not done before it: {}", skipped.join("; "))
}

/// Append `text` as one line of the report. A journal is data (a hand edit may hold an escape
/// sequence), so every line is cleaned here.
fn line(out: &mut String, text: &str) {
    let _ = writeln!(out, "{}", crate::text::one_line(text));
}

/// The report wrapped to `width` columns for a terminal or a paste, each list item continued
/// under its text. The report itself is one line per item, so a screen of any width can
/// reflow it from that structure (the TUI does).
pub(crate) fn wrapped(report: &str, width: usize) -> String {
    let mut out = String::with_capacity(report.len() + report.len() / 20);
    for l in report.lines() {
        let hang = if l.starts_with("- ") { "  " } else { "" };
        for w in textwrap::wrap(l, textwrap::Options::new(width).subsequent_indent(hang)) {
            let _ = writeln!(out, "{w}");
        }
    }
    out
}

fn pretty(at: Option<Stamp>) -> String {
    at.map_or_else(|| "unknown".to_owned(), Stamp::pretty)
}

fn duration(first: Option<Stamp>, last: Option<Stamp>) -> String {
    match first.zip(last).and_then(|(a, b)| a.minutes_until(b)) {
        Some(min) => format!("{min} min"),
        None => "duration unknown".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::Record;

    #[test]
    fn a_copied_command_is_named_by_its_first_real_line() {
        let cmd =
            "APP_SERVICE=myapp   # input\nsystemctl restart \"$APP_SERVICE\"\nsystemctl status \"$APP_SERVICE\"\n";
        assert_eq!(command_line(cmd), "systemctl restart \"$APP_SERVICE\" (+2 lines)");
        assert_eq!(command_line("df -h\n"), "df -h");
        assert_eq!(command_line("PID=4242   # input\n"), "PID=4242   # input");
    }

    #[test]
    fn a_shell_opened_with_a_command_names_it_as_a_copy_does() {
        let command = "MNT=/var   # input\nsudo du -xh \"$MNT\"\n".to_owned();
        let e = Event::ShellOpened { how: crate::journal::ShellHow::Child, command: Some(command) };
        assert_eq!(
            describe(&e).as_deref(),
            Some("went to a shell (!) with this command ready: sudo du -xh \"$MNT\" (+1 line)")
        );
    }

    fn place(sec: &str, title: &str) -> Place {
        Place {
            runbook: "os/disk-full".into(),
            title: "Disk full".into(),
            section: sec.into(),
            section_title: title.into(),
            ..Place::default()
        }
    }

    #[test]
    fn report_summarises_then_lists_the_timeline() {
        let at = |m: u32| format!("2026-11-25T03:{m:02}:00+01:00").parse().unwrap();
        let records = vec![
            Record {
                at: at(0),
                event: Event::SessionStart {
                    user: "ana".into(),
                    host: "web-1".into(),
                    roots: vec![],
                    version: "0".into(),
                    drill: None,
                },
            },
            Record { at: at(1), event: Event::Search { query: "disk full".into(), results: Some(3) } },
            Record { at: at(2), event: Event::Open { place: place("which", "Which filesystem is full?") } },
            Record {
                at: at(3),
                event: Event::Answer {
                    place: place("which", "Which filesystem is full?"),
                    id: String::new(),
                    answer: "One is at 100%".into(),
                },
            },
            Record { at: at(3), event: Event::Section { place: place("journal", "Shrink the journal") } },
            Record {
                at: at(5),
                event: Event::RiskyConfirmed {
                    place: place("journal", "Shrink the journal"),
                    id: String::new(),
                    text: "Shrink the journal to 500 MB".into(),
                    skipped: vec!["Tell the team".into()],
                },
            },
            Record { at: at(6), event: Event::Note { place: None, step_id: None, text: "freed 3 GB".into() } },
            Record { at: at(6), event: Event::Input { name: "LOG".into(), value: "/var/log/my app.log".into() } },
        ];
        let log = Log { records, unreadable: 0, path: None };
        let none: Loader<'_> = &|_| Err("gone".into());
        let r = wrapped(&render("s1", &log, none, false), WIDTH);
        assert!(render("s1", &log, none, true).contains("(6 min; in progress)"));
        assert!(r.starts_with("# On-call handoff: ana on web-1"), "{r}");
        assert!(r.contains("ended abruptly"));
        assert!(r.contains("Stopped at: Disk full > Shrink the journal"));
        assert!(r.contains("- [x] Shrink the journal to 500 MB (Disk full)"));
        assert!(r.contains("Q: Which filesystem is full? -> A: One is at 100%"));
        assert!(r.contains("03:05 Shrink the journal to 500 MB"));
        assert!(r.contains("(Disk full); OUT OF ORDER, not done\n  before it: Tell the team"), "{r}");
        assert!(r.contains("note: freed 3 GB"));
        assert!(r.contains("Values used in commands:\n- LOG='/var/log/my app.log'\n"), "{r}");
        assert!(r.contains("03:06 input LOG='/var/log/my app.log'"), "{r}");
        assert!(r.contains("6 min"));
        assert!(r.lines().all(|l| l.chars().count() <= 80), "fits 80 columns");
        assert!(!r.contains('\u{1b}'));
    }

    #[test]
    fn unreadable_lines_and_a_folder_that_is_gone_are_said_plainly() {
        let good = r#"{"at":"2026-11-25T03:00:00+01:00","event":"open","place":{"runbook":"os/disk-full","title":"Disk full","root":"/no/such/folder","path":"os/disk-full.md","section":"which","section_title":"Which?"}}"#;
        let text = format!("{good}\n{{\"at\":\"03:0x\",\"event\":\"search\",\"query\":\"x\"}}\nnot json\n");
        let log = crate::journal::parse_log(&text);
        let r = wrapped(&render("s2", &log, &open_visited, false), WIDTH);
        assert!(r.contains("- Journal: 2 unreadable lines skipped"), "{r}");
        assert!(r.contains("Disk full (os/disk-full.md): its folder /no/such/folder is not there any"), "{r}");
        assert!(r.contains("Started: 2026-11-25 03:00 (+01:00)"), "{r}");
    }
}
