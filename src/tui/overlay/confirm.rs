//! The risky-step dialog: the earlier steps not done yet (first, so they are not missed), the
//! step, what its warning says it changes, the command (never run by the tool), and the keys
//! to confirm, copy or see the rollback.

use ratatui::style::{Modifier, Style};
use ratatui::text::Line;

use crate::runbook::SectionRole;
use crate::tui::chrome::inline_hints;
use crate::tui::guide_screen::Guide;
use crate::tui::theme::Theme;

pub fn lines(t: Theme, guide: Option<&Guide>, step: usize, skipped: &[String]) -> Vec<Line<'static>> {
    let Some(g) = guide else { return Vec::new() };
    let mut lines = Vec::new();
    if !skipped.is_empty() {
        lines.push(Line::styled(format!("Not done yet, and they come first ({}):", skipped.len()), t.danger()));
        lines.extend(skipped.iter().map(|s| Line::styled(format!("  [ ] {s}"), t.warn())));
        lines.push(Line::raw("Going on anyway is your call; the journal will say so."));
        lines.push(Line::raw(""));
    }
    lines.push(Line::styled(g.step_text(step), Style::new().add_modifier(Modifier::BOLD)));
    lines.push(Line::raw(""));
    if let Some(risk) = g.step(step).and_then(|s| s.risk.as_ref()) {
        lines.push(Line::styled(format!("{}: what this changes", risk.kind.label()), t.alert(risk.kind)));
        let text = crate::runbook::blocks_text(&risk.blocks);
        lines.extend(text.lines().map(|l| Line::raw(l.to_owned())));
        lines.push(Line::raw(""));
    }
    if let Some(cmd) = g.step(step).and_then(|s| s.command.as_ref()) {
        lines.push(Line::styled("Command (the tool never runs it):", t.dim()));
        lines.extend(cmd.code.lines().map(|l| Line::styled(format!("  {l}"), t.code())));
        lines.push(Line::raw(""));
    }
    let rollback = g.section_with_role(SectionRole::Rollback).is_some();
    lines.push(inline_hints(t, &[("y", "I understand, mark it done"), ("Esc", "cancel")]));
    lines.push(inline_hints(
        t,
        &[("c", "copy command"), ("r", if rollback { "show the rollback" } else { "(no Rollback section!)" })],
    ));
    lines
}
