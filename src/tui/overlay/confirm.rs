//! The risky-step dialog, in two parts. What scrolls: the earlier steps not done yet (first,
//! so they are not missed), the step, and what its warning says it changes. What always
//! shows, at any size: the command as it will be copied (its inputs filled, the same text
//! `c` copies) and the keys to confirm, copy or see the rollback.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use crate::runbook::SectionRole;
use crate::tui::action::Action;
use crate::tui::chrome::hint_line;
use crate::tui::guide_screen::Guide;
use crate::tui::keymap::KeyContext;
use crate::tui::theme::Theme;

/// The part that scrolls.
pub(crate) fn body(t: Theme, guide: Option<&Guide>, step: usize, skipped: &[String]) -> Vec<Line<'static>> {
    let Some(g) = guide else { return Vec::new() };
    let mut lines = Vec::new();
    if !skipped.is_empty() {
        lines.push(Line::styled(format!("Not done yet, and they come first ({}):", skipped.len()), t.danger()));
        lines.extend(skipped.iter().map(|s| Line::styled(format!("  [ ] {s}"), t.warn())));
        lines.push(Line::raw("Going on anyway is your call; the journal will say so."));
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled(g.step_text(step), Style::new().add_modifier(Modifier::BOLD)));
    if let Some(risk) = g.step(step).and_then(|s| s.risk.as_ref()) {
        lines.push(Line::raw(""));
        lines.push(Line::styled(format!("{}: what this changes", risk.kind.label()), t.alert(risk.kind)));
        let text = crate::runbook::blocks_text(&risk.blocks);
        lines.extend(text.lines().map(|l| Line::raw(l.to_owned())));
    }
    lines
}

/// The part always shown: `command` (already filled) cut to `width` for reading by eye, at
/// most `room` rows of it (the rest said, and `w` shows it whole), then the keys.
pub(crate) fn fixed(
    t: Theme,
    guide: Option<&Guide>,
    command: Option<&str>,
    width: usize,
    room: usize,
) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    match command {
        Some(cmd) => {
            lines.push(Line::styled("Command (the tool never runs it):", t.dim()));
            let mut rows: Vec<Line<'static>> = Vec::new();
            for raw in cmd.trim_end_matches('\n').split('\n') {
                let raw = raw.replace('\t', "    ");
                for (i, piece) in
                    crate::tui::wrap::command_pieces(&raw, width.saturating_sub(2)).into_iter().enumerate()
                {
                    let lead = if i == 0 { "  " } else { "↪ " };
                    rows.push(Line::from(vec![Span::styled(lead, t.dim()), Span::styled(piece, t.code())]));
                }
            }
            if rows.len() > room.max(1) {
                let keep = room.saturating_sub(1).max(1);
                let more = rows.len() - keep;
                rows.truncate(keep);
                rows.push(Line::styled(format!("  ▼ {more} more line(s): w shows the whole command"), t.warn()));
            }
            lines.extend(rows);
        }
        None => lines.push(Line::styled("This step has no command: it is yours to do.", t.dim())),
    }
    let rollback = guide.and_then(|g| g.section_with_role(SectionRole::Rollback)).is_some();
    let confirm = KeyContext::Confirm;
    lines.push(hint_line(t, confirm, &[(Action::Confirm, "I understand, mark it done"), (Action::Escape, "cancel")]));
    let rollback = if rollback { "rollback" } else { "(no Rollback section!)" };
    let more = [(Action::Copy, "copy"), (Action::ShowCommand, "whole command"), (Action::Rollback, rollback)];
    lines.push(hint_line(t, confirm, &more));
    lines
}
