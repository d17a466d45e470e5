//! Drawing the overlays: each one's lines, in a bordered popup sized to them and reflowed for
//! the width it gets; text that does not fit scrolls with a row saying what is out of view.

use std::time::Instant;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::{Overlay, confirm, escalation, help, systems};
use crate::problem::Problem;
use crate::runbook::team::Team;
use crate::search::Entry;
use crate::tui::action::Action;
use crate::tui::chrome::hint_line;
use crate::tui::guide_screen::Guide;
use crate::tui::keymap::KeyContext;
use crate::tui::layout::{self, Screen};
use crate::tui::scroll::Scroll;
use crate::tui::theme::Theme;

/// What drawing an overlay needs besides the overlay.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DrawContext<'a> {
    pub theme: Theme,
    pub screen: Screen,
    pub guide: Option<&'a Guide>,
    pub problems: &'a [Problem],
    pub now: Instant,
    pub team: &'a Team,
    /// The index's entries (empty while it is built), for the runbooks naming a system.
    pub entries: &'a [Entry],
    /// What the session did so far: the values given to commands' inputs.
    pub incident: &'a crate::tui::incident::Incident,
}

pub fn draw(frame: &mut Frame<'_>, o: &Overlay, look: DrawContext<'_>) {
    let t = look.theme;
    let (title, lines, selected): (&str, Vec<Line<'static>>, Option<usize>) = match o {
        Overlay::Help { scroll } => {
            let lines = help::lines(t, look.screen, inner_width(frame));
            scrolled_popup(frame, t, " Keys ", lines, scroll);
            return;
        }
        Overlay::Escalation { scroll } => {
            let mut l = vec![hint_line(
                t,
                KeyContext::Info,
                &[(Action::Copy, "copy contacts"), (Action::Handoff, "handoff report"), (Action::Escape, "close")],
            )];
            l.extend(escalation::lines(t, look.guide, look.now));
            scrolled_popup(frame, t, " Escalate ", l, scroll);
            return;
        }
        Overlay::Systems { selected, open: false, .. } => {
            let lines = systems::list(t, look.team, inner_width(frame));
            let title = format!(" Systems {}/{}: Enter opens, Esc closes ", selected + 1, lines.len());
            popup(frame, t, &title, lines, Some(*selected));
            return;
        }
        Overlay::Systems { selected, scroll, .. } => {
            let mut l =
                vec![hint_line(t, KeyContext::Info, &[(Action::Escape, "all systems"), (Action::Down, "scroll")])];
            l.extend(systems::detail(t, look.team, *selected, look.entries));
            scrolled_popup(frame, t, " System ", l, scroll);
            return;
        }
        Overlay::Outline { selected } => {
            let lines = outline(look.guide);
            let title = format!(" Outline {}/{}: ✓ visited, Enter jumps ", selected + 1, lines.len());
            popup(frame, t, &title, lines, Some(*selected));
            return;
        }
        Overlay::Alerts { lines, selected } => {
            let title = format!(" Alerts {}/{}: Enter opens its runbook ", selected + 1, lines.len());
            row_list(frame, t, &title, lines.iter().map(|l| Line::raw(l.clone())).collect(), *selected);
            return;
        }
        Overlay::Problems { selected } => {
            let lines: Vec<Line<'static>> =
                look.problems.iter().map(|p| Line::raw(crate::text::one_line(&p.to_string()))).collect();
            let title = format!(" Problems {}/{} (fix with `runbook check`) ", selected + 1, lines.len());
            popup(frame, t, &title, lines, Some(*selected));
            return;
        }
        Overlay::ConfirmRisk { step, skipped, scroll } => {
            let command = look
                .guide
                .and_then(|g| g.step(*step))
                .and_then(|s| s.command.as_ref())
                .map(|c| look.incident.filled(&c.code, &look.team.facts));
            let body = confirm::body(t, look.guide, *step, skipped);
            let width = inner_width(frame);
            let rows = usize::from(layout::popup(frame.area(), POPUP_WIDTH, u16::MAX).height.saturating_sub(2));
            // Room for the command: all but the header, the keys and two rows of the text.
            let fixed = confirm::fixed(t, look.guide, command.as_deref(), width, rows.saturating_sub(5));
            split_popup(frame, t, " ⚠ Risky step: confirm ", body, fixed, scroll);
            return;
        }
        Overlay::Note { input } => (
            " Note for the handoff (Enter saves, Esc cancels) ",
            vec![
                Line::styled("Attached to the selected step and written to the session journal.", t.dim()),
                Line::from(vec![
                    Span::styled("> ", t.key()),
                    Span::raw(input.text.clone()),
                    Span::styled("█", t.key()),
                ]),
            ],
            None,
        ),
        Overlay::Inputs { pending, input, given, .. } => {
            let mut l = Vec::new();
            if let Some((asked, _)) = pending.first() {
                let what = asked.prompt.clone().unwrap_or_else(|| "asked once; later copies reuse it".to_owned());
                l.push(Line::from(vec![
                    Span::styled(asked.name.clone(), t.key()),
                    Span::styled(format!(": {what}"), t.dim()),
                ]));
            }
            l.push(Line::from(vec![
                Span::styled("> ", t.key()),
                Span::raw(input.text.clone()),
                Span::styled("█", t.key()),
            ]));
            let left = pending.len().saturating_sub(1);
            if left > 0 || !given.is_empty() {
                l.push(Line::styled(format!("{} given, {left} more to go", given.len()), t.dim()));
            }
            (" Value for the command (Enter: next, Esc: cancel) ", l, None)
        }
        Overlay::Broken { problems } => {
            let mut l = vec![Line::styled(
                "The file does not load; the last good version stays below until it does.",
                t.warn(),
            )];
            l.extend(problems.iter().map(|p| Line::raw(crate::text::one_line(p))));
            l.push(Line::styled("Fix it and save: the page reloads. Esc hides this.", t.dim()));
            (" Preview: the file has errors ", l, None)
        }
        Overlay::Report { text, scroll } => {
            let mut l =
                vec![hint_line(t, KeyContext::Info, &[(Action::Copy, "copy report"), (Action::Escape, "close")])];
            l.extend(text.lines().map(|s| Line::raw(s.to_owned())));
            scrolled_popup(frame, t, " Handoff report ", l, scroll);
            return;
        }
        Overlay::Command { text, left, scroll } => {
            command_view(frame, t, text, *left, scroll);
            return;
        }
        Overlay::QuitConfirm { summary } => {
            let l = vec![
                Line::styled(summary.clone(), t.warn()),
                Line::raw("The session stays resumable: the next `runbook` offers to take it up here."),
                Line::raw(""),
                hint_line(t, KeyContext::QuitConfirm, &[(Action::Confirm, "quit anyway"), (Action::Escape, "stay")]),
            ];
            (" Quit with steps not done? ", l, None)
        }
        Overlay::Sessions { items, selected } => {
            let lines: Vec<Line<'static>> = items.iter().map(|(id, line)| Line::raw(format!("{id}  {line}"))).collect();
            let title = format!(" Resume which session? {}/{} ", selected + 1, lines.len());
            popup(frame, t, &title, lines, Some(*selected));
            return;
        }
        Overlay::ResumeOffer { summary, .. } => {
            let mut lines = summary.lines();
            let mut l: Vec<Line<'static>> =
                lines.next().map(|h| Line::styled(h.to_owned(), t.warn())).into_iter().collect();
            l.extend(lines.map(|s| Line::raw(s.to_owned())));
            l.push(Line::raw(""));
            l.push(hint_line(
                t,
                KeyContext::Offer,
                &[
                    (Action::Activate, "resume where you stopped"),
                    (Action::Drop, "drop it"),
                    (Action::Escape, "not now"),
                ],
            ));
            (" Resume? ", l, None)
        }
    };
    popup(frame, t, title, lines, selected);
}

/// The width inside a popup on this screen.
fn inner_width(frame: &Frame<'_>) -> usize {
    usize::from(layout::popup(frame.area(), POPUP_WIDTH, u16::MAX).width.saturating_sub(2)).max(1)
}

const POPUP_WIDTH: u16 = 76;

/// A bordered popup sized to its lines, reflowed for its width (each line continued under its
/// text), with a list selection kept in view.
fn popup(frame: &mut Frame<'_>, t: Theme, title: &str, lines: Vec<Line<'static>>, selected: Option<usize>) {
    // A list keeps one row per entry (the selection indexes them); text is reflowed.
    let lines = if selected.is_some() { lines } else { crate::tui::wrap::reflow(lines, inner_width(frame)) };
    let tall = lines.len();
    let area = layout::popup(frame.area(), POPUP_WIDTH, u16::try_from(tall + 2).unwrap_or(u16::MAX));
    let inner_h = usize::from(area.height.saturating_sub(2));
    let offset = selected.map_or(0, |s| s.saturating_sub(inner_h.saturating_sub(1)));
    let mut lines: Vec<Line<'static>> = lines.into_iter().skip(offset).collect();
    if let Some(l) = selected.and_then(|s| lines.get_mut(s.saturating_sub(offset))) {
        l.style = t.selected();
    }
    frame.render_widget(Clear, area);
    let block = Block::default().borders(Borders::ALL).title(Span::styled(title.to_owned(), t.title()));
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
}

/// A list whose entries each keep one row, cut at the edge (wrapped, a long entry would push
/// the selected one out of the box): what matters is at the start of each entry.
fn row_list(frame: &mut Frame<'_>, t: Theme, title: &str, lines: Vec<Line<'static>>, selected: usize) {
    let area = layout::popup(frame.area(), POPUP_WIDTH, u16::try_from(lines.len() + 2).unwrap_or(u16::MAX));
    let inner_h = usize::from(area.height.saturating_sub(2));
    let offset = selected.saturating_sub(inner_h.saturating_sub(1));
    let mut lines: Vec<Line<'static>> = lines.into_iter().skip(offset).collect();
    if let Some(l) = lines.get_mut(selected.saturating_sub(offset)) {
        l.style = t.selected();
    }
    frame.render_widget(Clear, area);
    let block = Block::default().borders(Borders::ALL).title(Span::styled(title.to_owned(), t.title()));
    frame.render_widget(Paragraph::new(lines).block(block), area);
}

/// A popup of text that may not fit: reflowed, scrolled (settling the asked-for move), with a
/// last row saying what is out of view.
fn scrolled_popup(frame: &mut Frame<'_>, t: Theme, title: &str, lines: Vec<Line<'static>>, scroll: &Scroll) {
    let lines = crate::tui::wrap::reflow(lines, inner_width(frame));
    let rows = usize::from(layout::popup(frame.area(), POPUP_WIDTH, u16::MAX).height.saturating_sub(2));
    if lines.len() <= rows {
        popup(frame, t, title, lines, None);
        return;
    }
    let shown = rows.saturating_sub(1);
    let top = scroll.settle(lines.len(), shown, None);
    let below = lines.len().saturating_sub(top + shown);
    let mut view: Vec<Line<'static>> = lines.into_iter().skip(top).take(shown).collect();
    let more = (below > 0).then(|| format!("{below} more line(s)"));
    view.push(crate::tui::chrome::out_of_view(t, top, more, "  ↑↓ PgUp PgDn"));
    popup(frame, t, title, view, None);
}

/// A popup whose `fixed` lines (already fitted to its width) always show at its bottom, and
/// whose `body` (reflowed) scrolls above them with a row saying what is out of view.
fn split_popup(
    frame: &mut Frame<'_>,
    t: Theme,
    title: &str,
    body: Vec<Line<'static>>,
    fixed: Vec<Line<'static>>,
    scroll: &Scroll,
) {
    let body = crate::tui::wrap::reflow(body, inner_width(frame));
    let rows = usize::from(layout::popup(frame.area(), POPUP_WIDTH, u16::MAX).height.saturating_sub(2));
    let body_rows = rows.saturating_sub(fixed.len() + 1);
    if body.len() + 1 + fixed.len() <= rows {
        let mut lines = body;
        lines.push(Line::raw(""));
        lines.extend(fixed);
        popup(frame, t, title, lines, None);
        return;
    }
    let shown = body_rows.saturating_sub(1).max(1);
    let top = scroll.settle(body.len(), shown, None);
    let below = body.len().saturating_sub(top + shown);
    let mut lines: Vec<Line<'static>> = body.into_iter().skip(top).take(shown).collect();
    let more = (below > 0).then(|| format!("{below} more line(s)"));
    lines.push(crate::tui::chrome::out_of_view(t, top, more, "  ↑↓ PgUp PgDn"));
    lines.extend(fixed);
    popup(frame, t, title, lines, None);
}

/// The command view: the whole screen, no border (a long-press selection takes only the
/// command), a first row saying what it is and the keys, the command unwrapped from column
/// `left`, and a last row saying what is out of view.
fn command_view(frame: &mut Frame<'_>, t: Theme, text: &str, left: usize, scroll: &Scroll) {
    let area = frame.area();
    frame.render_widget(Clear, area);
    let width = usize::from(area.width);
    let lines: Vec<String> = text.lines().map(|l| crate::text::one_line(&l.replace('\t', "    "))).collect();
    let widest = lines.iter().map(|l| crate::text::width(l)).max().unwrap_or(0);
    // No further than the widest line's end.
    let left = left.min(widest.saturating_sub(width));
    let rows = usize::from(area.height.saturating_sub(3));
    let top = scroll.settle(lines.len(), rows.max(1), None);
    let mut out = vec![
        hint_line(
            t,
            KeyContext::Command,
            &[(Action::Copy, "copy"), (Action::ScrollRight, "scroll"), (Action::Escape, "back")],
        ),
        Line::styled("The command, inputs filled (the tool never runs it):", t.dim()),
    ];
    out.extend(
        lines
            .iter()
            .skip(top)
            .take(rows)
            .map(|l| Line::styled(crate::text::columns(l, left, width).to_owned(), t.code())),
    );
    let mut more = Vec::new();
    if left > 0 {
        more.push(format!("◀ {left} column(s) left"));
    }
    if widest > left + width {
        more.push(format!("▶ {} more column(s)", widest - left - width));
    }
    let below = lines.len().saturating_sub(top + rows);
    if top > 0 || below > 0 {
        more.push(format!("lines {}-{} of {}", top + 1, (top + rows).min(lines.len()), lines.len()));
    }
    let status = Line::styled(more.join("  "), t.dim());
    let body = Rect { height: area.height.saturating_sub(1), ..area };
    frame.render_widget(Paragraph::new(out), body);
    let last = Rect { y: area.y + area.height.saturating_sub(1), height: area.height.min(1), ..area };
    frame.render_widget(Paragraph::new(status), last);
}

/// Every section of the open runbook, the current one and the visited ones marked.
fn outline(guide: Option<&Guide>) -> Vec<Line<'static>> {
    let Some(g) = guide else { return Vec::new() };
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
}
