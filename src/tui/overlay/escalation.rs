//! Who to call for the open runbook, in order, and whether it is time: as a list of plain
//! lines with a tone each, so the popup styles them and `c` copies the same words.

use std::time::Instant;

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::tui::guide_screen::Guide;
use crate::tui::theme::Theme;

/// How a line of the escalation view is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tone {
    Title,
    Dim,
    Plain,
    Contact,
    CallNow,
    CallLater,
}

fn contacts(guide: Option<&Guide>, now: Instant) -> Vec<(Tone, String)> {
    let Some(g) = guide else {
        return vec![(Tone::Plain, "Open a runbook first: each runbook says who to call.".into())];
    };
    let mins = g.minutes_open(now);
    let mut out = vec![
        (Tone::Title, g.rb.title.clone()),
        (Tone::Dim, format!("Opened {mins} min ago. Call in this order:")),
        (Tone::Plain, String::new()),
    ];
    if g.rb.meta.escalation.is_empty() {
        out.push((
            Tone::Plain,
            "This runbook names no contacts. Use the escalation runbook or your team's on-call list.".into(),
        ));
    }
    for (n, e) in g.rb.meta.escalation.iter().enumerate() {
        let role = e.role.as_ref().map(|r| format!(" ({r})")).unwrap_or_default();
        out.push((Tone::Contact, format!("{}. {}{role}", n + 1, e.name)));
        out.push((Tone::Plain, format!("   contact: {}", e.contact.as_deref().unwrap_or("(none given)"))));
        if let Some(w) = &e.when {
            out.push((Tone::Plain, format!("   when: {w}")));
        }
        if let Some(after) = e.after_minutes {
            let after_u = u64::try_from(after).unwrap_or(0);
            if mins >= after_u {
                out.push((
                    Tone::CallNow,
                    format!("   ⚠ {after} min have passed since you opened this runbook: call now"),
                ));
            } else {
                let left = after_u.saturating_sub(mins);
                out.push((Tone::CallLater, format!("   call after {after} min (in {left} min) if not resolved")));
            }
        }
        out.push((Tone::Plain, String::new()));
    }
    out
}

/// The escalation view's lines for the open runbook.
pub(crate) fn lines(t: Theme, guide: Option<&Guide>, now: Instant) -> Vec<Line<'static>> {
    contacts(guide, now)
        .into_iter()
        .map(|(tone, text)| match tone {
            Tone::Title => Line::from(vec![Span::styled(text, t.title())]),
            Tone::Dim => Line::styled(text, t.dim()),
            Tone::Plain => Line::raw(text),
            Tone::Contact => Line::from(vec![Span::styled(text, Style::new().patch(t.answer()))]),
            Tone::CallNow => Line::styled(text, t.danger()),
            Tone::CallLater => Line::styled(text, t.warn()),
        })
        .collect()
}

/// The escalation contacts as plain text (copied with `c`).
pub fn text(guide: &Guide, now: Instant) -> String {
    let lines: Vec<String> = contacts(Some(guide), now).into_iter().map(|(_, text)| text).collect();
    lines.join("\n").trim().to_owned()
}
