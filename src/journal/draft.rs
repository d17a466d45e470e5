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
        if b.query.chars().count() >= MIN_SYMPTOM && !symptoms.contains(&b.query) && symptoms.len() < MAX_SYMPTOMS {
            symptoms.push(b.query.clone());
        }
    }
    let alert = records.iter().find_map(|r| match &r.event {
        Event::Alert { name, labels, status, starts_at, summary, .. } => {
            Some((name.clone(), labels.clone(), status.clone(), starts_at.clone(), summary.clone()))
        }
        _ => None,
    });
    let title = match (&alert, symptoms.first()) {
        (Some((name, ..)), _) if !name.is_empty() => name.clone(),
        (_, Some(q)) => capitalised(q),
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
    if let Some((name, ..)) = alert.as_ref().filter(|a| !a.0.is_empty()) {
        let _ = writeln!(t, "alerts: [{}]", yaml(name));
    }
    let _ = writeln!(t, "kind: procedure");
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
        let mut line = format!("- The alert: {name} [{status}] ({})", labels.join(", "));
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

/// A YAML double-quoted string (a JSON string is one), control characters gone.
fn yaml(s: &str) -> String {
    serde_json::to_string(&one_line(s)).unwrap_or_else(|_| "\"\"".to_owned())
}

fn one_line(s: &str) -> String {
    crate::text::one_line(s.trim())
}

fn capitalised(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}
