//! What every screen and overlay draws around its content: lines of key hints (the one
//! builder of them), the footer that shows hints or the status message, and cutting styled
//! text to a width.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::theme::Theme;

/// How a line of hints is spaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spacing {
    /// The footer: every pair padded by a space on each side (` Esc close  F1 help `).
    Padded,
    /// Inside text: pairs three spaces apart (`c copy   Esc close`).
    Inline,
}

/// A line of key hints: each key styled, then what it does; only the pairs that fit `width`.
pub fn hints(t: Theme, pairs: &[(&str, &str)], spacing: Spacing, width: usize) -> Line<'static> {
    let mut spans = Vec::with_capacity(pairs.len() * 2);
    let mut used = 0;
    for (n, (key, what)) in pairs.iter().enumerate() {
        let (k, w) = match spacing {
            Spacing::Padded => (format!(" {key}"), format!(" {what} ")),
            Spacing::Inline => {
                let gap = if n + 1 < pairs.len() { "   " } else { "" };
                ((*key).to_owned(), format!(" {what}{gap}"))
            }
        };
        let cols = k.width() + w.width();
        if used + cols > width {
            break;
        }
        used += cols;
        spans.push(Span::styled(k, t.key()));
        spans.push(Span::raw(w));
    }
    Line::from(spans)
}

/// Hints inside an overlay's text, never cut (the popup wraps them).
pub fn inline_hints(t: Theme, pairs: &[(&str, &str)]) -> Line<'static> {
    hints(t, pairs, Spacing::Inline, usize::MAX)
}

/// A footer of key hints, or the status message when there is one.
pub fn footer(frame: &mut Frame<'_>, area: Rect, t: Theme, status: Option<&str>, keys: &[(&str, &str)]) {
    let line = match status {
        Some(msg) => Line::from(Span::styled(msg.to_owned(), t.warn())),
        None => hints(t, keys, Spacing::Padded, usize::from(area.width)),
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// The row that says what is out of view: lines above, what follows below, and the keys
/// that scroll. Guide sections and scrolled popups say it the same way.
pub fn out_of_view(t: Theme, above: usize, below: Option<String>, keys: &str) -> Line<'static> {
    let mut parts = Vec::new();
    if above > 0 {
        parts.push(format!("▲ {above} line(s) above"));
    }
    parts.extend(below.map(|b| format!("▼ {b}")));
    let keys = if parts.is_empty() { "" } else { keys };
    Line::styled(format!("{}{keys}", parts.join("  ")), t.dim().add_modifier(Modifier::BOLD))
}

/// Cut spans to `width` columns, ending with `…` when cut.
pub fn truncate(spans: Vec<Span<'static>>, width: usize) -> Vec<Span<'static>> {
    let mut out = Vec::new();
    let mut used = 0;
    for s in spans {
        let w = s.content.width();
        if used + w <= width {
            used += w;
            out.push(s);
            continue;
        }
        let cut = crate::text::take_width(&s.content, width.saturating_sub(used + 1));
        let kept = s.content.get(..cut).unwrap_or_default();
        out.push(Span::styled(format!("{kept}…"), s.style));
        break;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(l: &Line<'_>) -> String {
        l.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn hints_keep_only_what_fits() {
        let t = Theme { color: false };
        let pairs = [("Enter", "open"), ("Esc", "quit")];
        assert_eq!(text(&hints(t, &pairs, Spacing::Padded, 80)), " Enter open  Esc quit ");
        assert_eq!(text(&hints(t, &pairs, Spacing::Padded, 15)), " Enter open ");
        assert_eq!(text(&inline_hints(t, &pairs)), "Enter open   Esc quit");
    }

    #[test]
    fn truncation_marks_the_cut() {
        let cut = truncate(vec![Span::raw("disk full on /var")], 8);
        assert_eq!(cut.iter().map(|s| s.content.as_ref()).collect::<String>(), "disk fu…");
        assert_eq!(truncate(vec![Span::raw("ok")], 8).len(), 1);
    }
}
