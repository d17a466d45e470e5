//! Drawing the overlays: help, escalation, outline, problems, risky-step confirmation, note,
//! handoff report, resume offer. Popups are sized to their wrapped text and the screen.

use std::time::Instant;

use ratatui::Frame;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::app::{App, Overlay};
use super::layout;
use super::render::{escalation_lines, step_text};

pub fn draw(frame: &mut Frame<'_>, app: &App, o: Overlay, now: Instant) {
    let t = app.theme;
    let (title, lines, selected): (&str, Vec<Line<'static>>, Option<usize>) = match o {
        Overlay::Help => (" Keys ", super::help::lines(app), None),
        Overlay::Escalation => {
            let mut l = escalation_lines(app, now);
            l.push(t.hints(&[("c", "copy contacts"), ("h", "handoff report"), ("Esc", "close")]));
            (" Escalate ", l, None)
        }
        Overlay::Outline { selected } => {
            let g = app.guide.as_ref();
            let lines = g
                .map(|g| {
                    g.rb.sections
                        .iter()
                        .enumerate()
                        .map(|(i, s)| {
                            let mark = if i == g.section {
                                "▶ "
                            } else if g.visited.contains(&i) {
                                "✓ "
                            } else {
                                "  "
                            };
                            let indent = "  ".repeat(usize::from(s.level.saturating_sub(1)));
                            let title = if s.title.is_empty() { "(introduction)".to_owned() } else { s.title.clone() };
                            Line::raw(format!("{mark}{indent}{title}"))
                        })
                        .collect()
                })
                .unwrap_or_default();
            (" Outline: ✓ visited, Enter jumps ", lines, Some(selected))
        }
        Overlay::Problems { selected } => {
            let lines = app.problems.iter().map(|p| Line::raw(crate::text::one_line(&p.to_string()))).collect();
            (" Problems loading runbooks (fix with `runbook check`) ", lines, Some(selected))
        }
        Overlay::ConfirmRisk { step } => (" ⚠ Risky step: confirm ", confirm_lines(app, step), None),
        Overlay::Note => (
            " Note for the handoff (Enter saves, Esc cancels) ",
            vec![
                Line::styled("Attached to the selected step and written to the session journal.", t.dim()),
                Line::from(vec![
                    Span::styled("> ", t.key()),
                    Span::raw(app.note.text.clone()),
                    Span::styled("█", t.key()),
                ]),
            ],
            None,
        ),
        Overlay::Report { scroll } => {
            let text = app.report.clone().unwrap_or_default();
            let mut l: Vec<Line<'static>> = text.lines().skip(scroll).map(|s| Line::raw(s.to_owned())).collect();
            l.insert(0, t.hints(&[("c", "copy report"), ("↑↓ PgUp PgDn", "scroll"), ("Esc", "close")]));
            (" Handoff report ", l, None)
        }
        Overlay::ResumeOffer => {
            let mut l = vec![Line::styled("Your last session ended abruptly.", t.warn())];
            l.extend(app.resume_summary.clone().unwrap_or_default().lines().map(|s| Line::raw(s.to_owned())));
            l.push(Line::raw(""));
            l.push(Line::from(vec![
                Span::styled("y", t.key()),
                Span::raw(" resume where you stopped   "),
                Span::styled("Esc", t.key()),
                Span::raw(" start fresh"),
            ]));
            (" Resume? ", l, None)
        }
    };
    let inner_w = usize::from(frame.area().width.saturating_sub(4).min(74)).max(1);
    let tall: usize = lines.iter().map(|l| l.width().div_ceil(inner_w).max(1)).sum();
    let area = layout::popup(frame.area(), 76, u16::try_from(tall + 2).unwrap_or(u16::MAX));
    let inner_h = usize::from(area.height.saturating_sub(2));
    let offset = selected.map_or(0, |s| s.saturating_sub(inner_h.saturating_sub(1)));
    let mut lines: Vec<Line<'static>> = lines.into_iter().skip(offset).collect();
    if let Some(s) = selected
        && let Some(l) = lines.get_mut(s - offset)
    {
        l.style = t.selected();
    }
    frame.render_widget(Clear, area);
    let block = Block::default().borders(Borders::ALL).title(Span::styled(title, t.title()));
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
}

fn confirm_lines(app: &App, step: usize) -> Vec<Line<'static>> {
    let t = app.theme;
    let Some(g) = &app.guide else { return Vec::new() };
    let mut lines = vec![Line::styled(step_text(g, step), Style::new().add_modifier(Modifier::BOLD)), Line::raw("")];
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
    let rollback = g.section_with_role(crate::runbook::SectionRole::Rollback).is_some();
    lines.push(t.hints(&[("y", "I understand, mark it done"), ("Esc", "cancel")]));
    lines.push(
        t.hints(&[("c", "copy command"), ("r", if rollback { "show the rollback" } else { "(no Rollback section!)" })]),
    );
    lines
}
