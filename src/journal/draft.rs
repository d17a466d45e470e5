//! A draft runbook from one session (`runbook journal --draft`): what a night taught, in the
//! runbook format, for an author to finish. Its title and symptoms come from the searches
//! typed (normalised, deduplicated, typing bursts collapsed), the path taken (alert, searches,
//! runbooks opened, answers) is context, the notes and copied commands (with the inputs given)
//! are its steps in order, the escalation reached is its `escalation:` (contacts by id), and
//! Verify and Rollback hold `REPLACE` markers: it passes `check`, not `check --strict`.
//!
//! A note may hold a secret: a note's text becomes a step for the author to read, never a
//! symptom or the title. Pure over the records; the command writes the file.

use std::fmt::Write as _;

use super::insights::{Burst, bursts};
use super::{Event, Record};

/// The draft: its title, a file name for it, and its text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    pub title: String,
    /// A file name (`disk-full-on-var.md`), from the title.
    pub file_name: String,
    pub text: String,
}

/// Who the draft escalates to, in the team file's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Contacts {
    /// Contact ids of the team file (the escalation reached, else the team's first contact).
    Ids(Vec<String>),
    /// No team file: a contact to write.
    None,
}

/// Shortest symptom kept: a single letter typed is no symptom.
const MIN_SYMPTOM: usize = 3;
/// Most symptoms taken from one session.
const MAX_SYMPTOMS: usize = 12;

/// The draft of the session `id`.
pub fn draft(id: &str, records: &[Record], contacts: &Contacts) -> Draft {
    let searches: Vec<Burst> = bursts(records);
    let mut symptoms: Vec<String> = Vec::new();
    for b in &searches {
        let fits = (MIN_SYMPTOM..=MAX_TEXT).contains(&b.query.chars().count());
        if fits && !symptoms.contains(&b.query) && symptoms.len() < MAX_SYMPTOMS {
            symptoms.push(b.query.clone());
        }
    }
    let alert = records.iter().find_map(|r| match &r.event {
        Event::Alert { name, labels, status, starts_at, summary, text } => {
            // A ticket has no name: its words stand in the context line.
            let summary = if name.is_empty() { text.clone() } else { summary.clone() };
            Some((name.clone(), labels.clone(), status.clone(), starts_at.clone(), summary))
        }
        _ => None,
    });
    let title = match (&alert, symptoms.first()) {
        (Some((name, ..)), _) if !name.is_empty() => name.clone(),
        (_, Some(q)) => capitalised(q).chars().take(80).collect(),
        _ => "Untitled draft".to_owned(),
    };
    let (user, host, started) = records
        .iter()
        .find_map(|r| match &r.event {
            Event::SessionStart { user, host, .. } => Some((user.clone(), host.clone(), r.at.pretty())),
            _ => None,
        })
        .unwrap_or_default();

    let mut t = String::new();
    let _ = writeln!(t, "---");
    let _ = writeln!(t, "title: {}", yaml(&title));
    let _ = writeln!(t, "summary: {}", yaml("REPLACE: one sentence: what this fixes, and when a responder needs it."));
    if !symptoms.is_empty() {
        let _ = writeln!(t, "# The words responders searched in session {id}: keep those a responder would type.");
        let _ = writeln!(t, "symptoms:");
        for s in &symptoms {
            let _ = writeln!(t, "  - {}", yaml(s));
        }
    }
    if let Some((name, ..)) = alert.as_ref().filter(|a| !a.0.is_empty() && !a.0.contains(char::is_whitespace)) {
        // Not live yet: while it is a draft, the alert keeps opening the runbook it opens now.
        let _ = writeln!(t, "# When this runbook is finished, let the alert open it:");
        let _ = writeln!(t, "# alerts: [{}]", yaml(name));
    }
    let _ = writeln!(t, "kind: procedure");
    let _ = writeln!(t, "# No responder sees a draft (search, lists, alerts): remove this line when it is done.");
    let _ = writeln!(t, "draft: true");
    let _ = writeln!(t, "escalation:");
    match contacts {
        Contacts::Ids(ids) if !ids.is_empty() => {
            for who in ids {
                let _ = writeln!(t, "  - who: {}", yaml(who));
            }
        }
        _ => {
            let _ = writeln!(t, "  - name: On-call lead");
            let _ = writeln!(t, "    contact: {}", yaml("REPLACE: phone and chat channel of the on-call lead"));
        }
    }
    let _ = writeln!(t, "---\n");
    let _ = writeln!(t, "# {}\n", one_line(&title));
    let _ = writeln!(
        t,
        "REPLACE: what this is for, who notices, how long it takes. Drafted by `runbook journal --draft` from session {id} ({} on {}, {}): what the responder did, in order. Keep what helped, cut the rest.\n",
        one_line(&user),
        one_line(&host),
        one_line(&started)
    );
    context(&mut t, records, &searches, alert.as_ref().map(|a| (&a.0, &a.1, &a.2, &a.3, &a.4)));
    steps(&mut t, records);
    let _ = writeln!(t, "## Verify\n");
    let _ = writeln!(t, "- [ ] REPLACE: how the responder knows it worked: a command and the answer to expect.\n");
    let _ = writeln!(t, "## Rollback\n");
    let _ = writeln!(t, "- [ ] REPLACE: how to undo each step above, in reverse order.");
    let file_name =
        format!("{}.md", crate::text::github_slug(&title).chars().take(60).collect::<String>().trim_matches('-'));
    Draft { title, file_name, text: t }
}

type AlertFields<'a> =
    (&'a String, &'a std::collections::BTreeMap<String, String>, &'a String, &'a Option<String>, &'a Option<String>);

/// What the responder saw and tried, as a list: the alert, the searches, the runbooks
/// opened, the answers given, the escalation looked at.
fn context(t: &mut String, records: &[Record], searches: &[Burst], alert: Option<AlertFields<'_>>) {
    let _ = writeln!(t, "## What the responder saw and tried {{#context}}\n");
    let _ = writeln!(t, "<!-- From the session journal; delete this section once the runbook is written. -->");
    if let Some((name, labels, status, since, summary)) = alert {
        let labels: Vec<String> =
            labels.iter().filter(|(k, _)| k.as_str() != "alertname").map(|(k, v)| format!("{k}={v}")).collect();
        let mut line = if name.is_empty() {
            "- The ticket".to_owned()
        } else {
            format!("- The alert: {name} [{status}] ({})", labels.join(", "))
        };
        if let Some(at) = since {
            line.push_str(&format!(", since {at}"));
        }
        if let Some(s) = summary {
            line.push_str(&format!(": {s}"));
        }
        let _ = writeln!(t, "{}", one_line(&line));
    }
    for b in searches {
        let found = match (b.results, b.opened) {
            (Some(0), _) => "found nothing".to_owned(),
            (Some(n), false) => format!("{n} runbooks, none opened"),
            (Some(n), true) => format!("{n} runbooks"),
            (None, _) => "results not recorded".to_owned(),
        };
        let _ = writeln!(t, "- Searched \"{}\": {found}", one_line(&b.query));
    }
    for r in records {
        let line = match &r.event {
            Event::Open { place } => {
                format!("- Opened {} (`{}`) at \"{}\"", place.title, place.runbook, place.section_title)
            }
            Event::Answer { place, answer, .. } => format!("- {}: answered \"{answer}\"", place.section_title),
            Event::Escalation { place } => format!("- Looked at who to call in {} (`{}`)", place.title, place.runbook),
            Event::Step { place, text, checked: true, .. } => format!("- Checked in {}: {text}", place.title),
            _ => continue,
        };
        let _ = writeln!(t, "{}", one_line(&line));
    }
    let _ = writeln!(t);
}

/// The notes and copied commands, in order, as steps; one to write when there are none.
fn steps(t: &mut String, records: &[Record]) {
    let _ = writeln!(t, "## Steps\n");
    let mut any = false;
    let mut last_command = None;
    for r in records {
        match &r.event {
            Event::Note { text, .. } => {
                let _ = writeln!(t, "- [ ] {}\n", one_line(text));
                any = true;
            }
            Event::Copy { command, .. } | Event::ShellOpened { command: Some(command), .. } => {
                if last_command.as_ref() == Some(command) {
                    continue; // copied, then taken to a shell: once
                }
                let from = match &r.event {
                    Event::Copy { place, .. } => {
                        format!(" (from {} > {})", one_line(&place.title), one_line(&place.section_title))
                    }
                    _ => String::new(),
                };
                let _ = writeln!(t, "- [ ] Run{from}:\n");
                let _ = writeln!(t, "{}", fenced(command, "  "));
                last_command = Some(command.clone());
                any = true;
            }
            _ => {}
        }
    }
    if !any {
        let _ = writeln!(t, "- [ ] REPLACE: the first thing to do, with its command in a code block.\n");
    }
}

/// A code block that holds `code` whatever it holds: its fence longer than any run of
/// backticks inside, each line indented under its step.
fn fenced(code: &str, indent: &str) -> String {
    let code = crate::text::clean(code);
    let longest = code.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    let mut out = format!("{indent}{fence}sh\n");
    for line in code.trim_end().lines() {
        out.push_str(indent);
        out.push_str(line);
        out.push('\n');
    }
    out.push_str(&format!("{indent}{fence}\n"));
    out
}

/// A YAML double-quoted string (a JSON string is one), control characters gone, capped.
fn yaml(s: &str) -> String {
    let flat = crate::text::one_line(s.trim());
    let kept: String = flat.chars().filter(|c| !matches!(c, '\u{fffe}' | '\u{ffff}')).take(MAX_TEXT).collect();
    serde_json::to_string(&kept).unwrap_or_else(|_| "\"\"".to_owned())
}

/// Text from the journal as one line of the draft: controls and non-characters gone, at
/// most `MAX_TEXT` characters, and markdown that would act (a link, an HTML comment hiding
/// what follows) written so it reads as text.
fn one_line(s: &str) -> String {
    let flat = crate::text::one_line(s.trim());
    let kept: String = flat.chars().filter(|c| !matches!(c, '\u{fffe}' | '\u{ffff}')).take(MAX_TEXT).collect();
    kept.replace("<!--", "&lt;!--").replace('[', "\\[").replace(']', "\\]")
}

/// The longest piece of journal text written into a draft (a title, a search, a note).
const MAX_TEXT: usize = 200;

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::Stamp;
    use crate::journal::{Event, Place};

    fn at(event: Event) -> Record {
        Record { at: Stamp::now(), event }
    }

    fn place() -> Place {
        Place {
            runbook: "os/x".into(),
            title: "X [y](../z.md)".into(),
            section: "s".into(),
            section_title: "S".into(),
            ..Place::default()
        }
    }

    #[test]
    fn journal_text_never_breaks_the_draft() {
        let hostile = "<!-- hide [me](../db.md) --- `x` ``` \u{1b}[2J \u{fffe}".repeat(30);
        let records = vec![
            at(Event::Search { query: hostile.clone(), results: Some(0) }),
            at(Event::Search { query: "disk full".into(), results: Some(3) }),
            at(Event::Open { place: place() }),
            at(Event::Copy { place: place(), command: "grep '<!--' a.html\n```\necho done".into() }),
            at(Event::Note { place: None, step_id: None, text: hostile.clone() }),
            at(Event::Alert {
                name: "High CPU usage".into(),
                labels: Default::default(),
                status: "firing".into(),
                starts_at: None,
                summary: None,
                text: None,
            }),
        ];
        let d = draft("s1", &records, &Contacts::Ids(vec!["platform".into()]));
        let origin = crate::runbook::Origin { root: 0, rel_path: "d.md".into(), file: "d.md".into() };
        let (rb, findings) = crate::runbook::parse_text(&d.text, origin);
        let errors: Vec<_> = findings.iter().filter(|f| f.severity == crate::problem::Level::Error).collect();
        assert!(errors.is_empty(), "{errors:?}\n{}", d.text);
        assert!(!d.text.contains('\u{1b}'));
        let links: usize = rb.sections.iter().map(|s| crate::runbook::text_links(&s.blocks).len()).sum();
        assert_eq!(links, 0, "no link made of journal text: {}", d.text);
        assert!(!d.text.contains("\nalerts:"), "an alert name with spaces is not listed as one");
        // The markers are seen by check --strict, on the Verify and Rollback lines.
        let lines: Vec<usize> = findings.iter().filter(|f| f.code == "placeholder").filter_map(|f| f.line).collect();
        let line_of = |needle: &str| d.text.lines().position(|l| l.contains(needle)).map(|i| i + 1);
        assert!(lines.contains(&line_of("how the responder knows it worked").unwrap_or(0)), "{lines:?}\n{}", d.text);
        assert!(lines.contains(&line_of("how to undo each step").unwrap_or(0)), "{lines:?}");
        // The command keeps its text whole inside a longer fence.
        assert!(d.text.contains("  ````sh\n  grep '<!--' a.html\n  ```\n  echo done\n  ````\n"), "{}", d.text);
    }
}
