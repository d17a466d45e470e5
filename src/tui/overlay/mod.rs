//! Overlays: popups over a screen (help, escalation, outline, problems, risky-step
//! confirmation, note, handoff report, resume offer). Each owns its state; `update` turns a
//! key into a `Reply` for the `App`, which carries out what needs the screens (go to a
//! section, check a step, copy). `draw` sizes the popup to its wrapped text.

mod confirm;
pub mod escalation;
mod help;

use std::time::Instant;

use ratatui::Frame;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::action::Action;
use super::chrome::inline_hints;
use super::guide_screen::Guide;
use super::input::Input;
use super::keymap::KeyContext;
use super::layout::{self, Screen};
use super::scroll::{Move, Scroll};
use super::theme::Theme;
use crate::problem::Problem;
use crate::runbook::SectionRole;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    /// The keys of the screen below, scrolled when they do not fit.
    Help {
        scroll: Scroll,
    },
    /// Who to call, scrolled when the list does not fit.
    Escalation {
        scroll: Scroll,
    },
    Outline {
        selected: usize,
    },
    Problems {
        selected: usize,
    },
    /// Confirming the n-th step of the current section, which is risky; the earlier steps
    /// not done yet.
    ConfirmRisk {
        step: usize,
        skipped: Vec<String>,
    },
    /// Typing a note for the journal.
    Note {
        input: Input,
    },
    /// The handoff report, one line per item (reflowed for the width).
    Report {
        text: String,
        scroll: Scroll,
    },
    /// The last session ended abruptly: offer to resume it (what it was).
    ResumeOffer {
        summary: String,
    },
}

/// What the `App` does after an overlay's key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reply {
    Stay,
    Close,
    /// Close, then do this.
    Then(Request),
    /// Stay open and do this.
    Do(Request),
}

/// Work an overlay asks of the screens or the event loop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Request {
    ConfirmStep(usize),
    GoSection(usize),
    /// Go to the Verify or Rollback section (the overlay closes only if there is one).
    GoRole(SectionRole),
    CopyCommand,
    CopyContacts,
    ShowReport,
    CopyReport,
    SaveNote(String),
    Resume,
    Say(&'static str),
}

/// What an overlay's keys need to know of the rest.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Bounds {
    pub sections: usize,
    pub problems: usize,
}

impl Overlay {
    pub(crate) fn key_context(&self) -> KeyContext {
        match self {
            Overlay::ConfirmRisk { .. } | Overlay::ResumeOffer { .. } => KeyContext::Confirm,
            Overlay::Outline { .. } | Overlay::Problems { .. } => KeyContext::List,
            Overlay::Help { .. } | Overlay::Escalation { .. } | Overlay::Report { .. } => KeyContext::Info,
            Overlay::Note { .. } => KeyContext::TextInput,
        }
    }

    pub(crate) fn update(&mut self, action: Action, bounds: Bounds) -> Reply {
        match (self, action) {
            (Overlay::ConfirmRisk { step, .. }, Action::Confirm) => Reply::Then(Request::ConfirmStep(*step)),
            (Overlay::ConfirmRisk { .. }, Action::Activate) => {
                Reply::Do(Request::Say("Press y to confirm, or Esc to cancel"))
            }
            (Overlay::ConfirmRisk { .. }, Action::Rollback) => Reply::Do(Request::GoRole(SectionRole::Rollback)),
            (Overlay::ConfirmRisk { .. }, Action::Copy) => Reply::Do(Request::CopyCommand),
            (Overlay::Outline { selected }, Action::Up) => step(selected, -1, bounds.sections),
            (Overlay::Outline { selected }, Action::Down) => step(selected, 1, bounds.sections),
            (Overlay::Outline { selected }, Action::Activate) => Reply::Then(Request::GoSection(*selected)),
            (Overlay::Problems { selected }, Action::Up) => step(selected, -1, bounds.problems),
            (Overlay::Problems { selected }, Action::Down) => step(selected, 1, bounds.problems),
            (Overlay::Escalation { .. }, Action::Handoff) => Reply::Do(Request::ShowReport),
            (Overlay::Escalation { .. }, Action::Copy) => Reply::Do(Request::CopyContacts),
            (Overlay::Report { .. }, Action::Copy) => Reply::Do(Request::CopyReport),
            (Overlay::Note { input }, Action::Edit(e)) => {
                input.apply(e);
                Reply::Stay
            }
            (Overlay::Note { input }, Action::Activate) => {
                Reply::Then(Request::SaveNote(std::mem::take(&mut input.text)))
            }
            (Overlay::Note { .. }, Action::Escape) => Reply::Close,
            (Overlay::ResumeOffer { .. }, Action::Confirm) => Reply::Then(Request::Resume),
            (Overlay::ResumeOffer { .. }, Action::Escape) => Reply::Close,
            (
                Overlay::Help { scroll } | Overlay::Escalation { scroll } | Overlay::Report { scroll, .. },
                Action::Up | Action::Down | Action::PageUp | Action::PageDown,
            ) => {
                scroll.request(match action {
                    Action::Up => Move::Up(1),
                    Action::Down => Move::Down(1),
                    Action::PageUp => Move::Up(10),
                    _ => Move::Down(10),
                });
                Reply::Stay
            }
            (_, Action::Escape | Action::Activate) | (Overlay::Help { .. }, Action::Help) => Reply::Close,
            _ => Reply::Stay,
        }
    }
}

/// Move a list selection by one, within `len` entries.
fn step(selected: &mut usize, by: isize, len: usize) -> Reply {
    *selected = if by < 0 { selected.saturating_sub(1) } else { (*selected + 1).min(len.saturating_sub(1)) };
    Reply::Stay
}

/// What drawing an overlay needs besides the overlay.
#[derive(Debug, Clone, Copy)]
pub struct Look<'a> {
    pub theme: Theme,
    pub screen: Screen,
    pub guide: Option<&'a Guide>,
    pub problems: &'a [Problem],
    pub now: Instant,
}

pub fn draw(frame: &mut Frame<'_>, o: &Overlay, look: Look<'_>) {
    let t = look.theme;
    let (title, lines, selected): (&str, Vec<Line<'static>>, Option<usize>) = match o {
        Overlay::Help { scroll } => {
            let lines = help::lines(t, look.screen, inner_width(frame));
            scrolled_popup(frame, t, " Keys ", lines, scroll);
            return;
        }
        Overlay::Escalation { scroll } => {
            let mut l = vec![inline_hints(t, &[("c", "copy contacts"), ("h", "handoff report"), ("Esc", "close")])];
            l.extend(escalation::lines(t, look.guide, look.now));
            scrolled_popup(frame, t, " Escalate ", l, scroll);
            return;
        }
        Overlay::Outline { selected } => {
            let lines = outline(look.guide);
            let title = format!(" Outline {}/{}: ✓ visited, Enter jumps ", selected + 1, lines.len());
            popup(frame, t, &title, lines, Some(*selected));
            return;
        }
        Overlay::Problems { selected } => {
            let lines: Vec<Line<'static>> =
                look.problems.iter().map(|p| Line::raw(crate::text::one_line(&p.to_string()))).collect();
            let title = format!(" Problems {}/{} (fix with `runbook check`) ", selected + 1, lines.len());
            popup(frame, t, &title, lines, Some(*selected));
            return;
        }
        Overlay::ConfirmRisk { step, skipped } => {
            (" ⚠ Risky step: confirm ", confirm::lines(t, look.guide, *step, skipped), None)
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
        Overlay::Report { text, scroll } => {
            let mut l = vec![inline_hints(t, &[("c", "copy report"), ("Esc", "close")])];
            l.extend(text.lines().map(|s| Line::raw(s.to_owned())));
            scrolled_popup(frame, t, " Handoff report ", l, scroll);
            return;
        }
        Overlay::ResumeOffer { summary } => {
            let mut l = vec![Line::styled("Your last session ended abruptly.", t.warn())];
            l.extend(summary.lines().map(|s| Line::raw(s.to_owned())));
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
    let lines = if selected.is_some() { lines } else { super::wrap::reflow(lines, inner_width(frame)) };
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

/// A popup of text that may not fit: reflowed, scrolled (settling the asked-for move), with a
/// last row saying what is out of view.
fn scrolled_popup(frame: &mut Frame<'_>, t: Theme, title: &str, lines: Vec<Line<'static>>, scroll: &Scroll) {
    let lines = super::wrap::reflow(lines, inner_width(frame));
    let rows = usize::from(layout::popup(frame.area(), POPUP_WIDTH, u16::MAX).height.saturating_sub(2));
    if lines.len() <= rows {
        popup(frame, t, title, lines, None);
        return;
    }
    let shown = rows.saturating_sub(1);
    let top = scroll.settle(lines.len(), shown, None);
    let below = lines.len().saturating_sub(top + shown);
    let mut view: Vec<Line<'static>> = lines.into_iter().skip(top).take(shown).collect();
    let mut parts = Vec::new();
    if top > 0 {
        parts.push(format!("▲ {top} above"));
    }
    if below > 0 {
        parts.push(format!("▼ {below} more"));
    }
    view.push(Line::styled(format!("{}  ↑↓ PgUp PgDn", parts.join("  ")), t.dim().add_modifier(Modifier::BOLD)));
    popup(frame, t, title, view, None);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_selection_stays_in_bounds() {
        let bounds = Bounds { sections: 3, problems: 0 };
        let mut o = Overlay::Outline { selected: 0 };
        assert_eq!(o.update(Action::Up, bounds), Reply::Stay);
        for _ in 0..5 {
            o.update(Action::Down, bounds);
        }
        assert_eq!(o, Overlay::Outline { selected: 2 });
        assert_eq!(o.update(Action::Activate, bounds), Reply::Then(Request::GoSection(2)));
        let mut p = Overlay::Problems { selected: 0 };
        p.update(Action::Down, bounds);
        assert_eq!(p, Overlay::Problems { selected: 0 }, "no problems: nothing to move to");
    }

    #[test]
    fn a_risky_step_is_confirmed_only_with_y() {
        let bounds = Bounds { sections: 1, problems: 0 };
        let mut o = Overlay::ConfirmRisk { step: 4, skipped: Vec::new() };
        assert!(matches!(o.update(Action::Activate, bounds), Reply::Do(Request::Say(_))));
        assert_eq!(o.update(Action::Toggle, bounds), Reply::Stay);
        assert_eq!(o.update(Action::Confirm, bounds), Reply::Then(Request::ConfirmStep(4)));
        assert_eq!(o.update(Action::Escape, bounds), Reply::Close);
    }

    #[test]
    fn a_note_is_handed_over_once() {
        let bounds = Bounds { sections: 1, problems: 0 };
        let mut o = Overlay::Note { input: Input::new("restarted nginx") };
        assert_eq!(o.update(Action::Activate, bounds), Reply::Then(Request::SaveNote("restarted nginx".into())));
    }
}
