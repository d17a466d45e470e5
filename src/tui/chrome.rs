//! What every screen and overlay draws around its content: lines of key hints (the one
//! builder of them), the footer that shows hints or the status message, and cutting styled
//! text to a width.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::action::Action;
use super::keymap::KeyContext;
use super::theme::Theme;

/// How a line of hints is spaced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Spacing {
    /// The footer: every pair padded by a space on each side (` Esc close  F1 help `).
    Padded,
    /// Inside text: pairs three spaces apart (`c copy   Esc close`).
    Inline,
}

/// A line of key hints: each key styled, then what it does; only the pairs that fit `width`.
/// In the footer the last pair (help) is kept and the ones before it are dropped from the end.
pub(crate) fn hints(t: Theme, pairs: &[(&str, &str)], spacing: Spacing, width: usize) -> Line<'static> {
    let texts: Vec<(String, String)> = pairs
        .iter()
        .enumerate()
        .map(|(n, (key, what))| match spacing {
            Spacing::Padded => (format!(" {key}"), format!(" {what} ")),
            Spacing::Inline => {
                let gap = if n + 1 < pairs.len() { "   " } else { "" };
                ((*key).to_owned(), format!(" {what}{gap}"))
            }
        })
        .collect();
    let cols = |(k, w): &(String, String)| k.width() + w.width();
    let mut keep: Vec<usize> = (0..texts.len()).collect();
    if spacing == Spacing::Padded {
        while keep.len() > 1 && keep.iter().filter_map(|&i| texts.get(i)).map(cols).sum::<usize>() > width {
            keep.remove(keep.len() - 2);
        }
    }
    let mut spans = Vec::with_capacity(pairs.len() * 2);
    let mut used = 0;
    for (k, w) in keep.iter().filter_map(|&i| texts.get(i)) {
        if used + k.width() + w.width() > width {
            break;
        }
        used += k.width() + w.width();
        spans.push(Span::styled(k.clone(), t.key()));
        spans.push(Span::raw(w.clone()));
    }
    Line::from(spans)
}

/// Hints inside an overlay's text, never cut (the popup wraps them).
pub(crate) fn inline_hints(t: Theme, pairs: &[(&str, &str)]) -> Line<'static> {
    hints(t, pairs, Spacing::Inline, usize::MAX)
}

/// A line of hints for actions of a place, their keys from the one table of keys.
pub(crate) fn hint_line(t: Theme, cx: KeyContext, wanted: &[(Action, &str)]) -> Line<'static> {
    inline_hints(t, &super::keys::hints(cx, wanted))
}

/// The most rows a status message takes; a longer one is cut, marked `…`.
pub(crate) const STATUS_ROWS: u16 = 2;

/// The rows the footer needs at `width`: a status message is wrapped at words, never cut
/// mid-word, onto a second row when one is not enough.
pub(crate) fn footer_rows(status: Option<&str>, width: u16) -> u16 {
    match status {
        Some(msg) => {
            u16::try_from(status_lines(msg, usize::from(width)).len()).unwrap_or(STATUS_ROWS).clamp(1, STATUS_ROWS)
        }
        None => 1,
    }
}

/// A status message wrapped to `width` at words, at most `STATUS_ROWS` lines.
fn status_lines(msg: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = textwrap::wrap(msg, width.max(1)).into_iter().map(|l| l.into_owned()).collect();
    if lines.len() > usize::from(STATUS_ROWS) {
        lines.truncate(usize::from(STATUS_ROWS));
        if let Some(last) = lines.last_mut() {
            let keep = crate::text::take_width(last, width.saturating_sub(1));
            last.truncate(keep);
            last.push('…');
        }
    }
    lines
}

/// A footer of key hints, or the status message when there is one (wrapped onto the rows
/// `footer_rows` gave the area).
pub(crate) fn footer(frame: &mut Frame<'_>, area: Rect, t: Theme, status: Option<&str>, keys: &[(&str, &str)]) {
    let lines: Vec<Line<'static>> = match status {
        Some(msg) => {
            status_lines(msg, usize::from(area.width)).into_iter().map(|l| Line::styled(l, t.warn())).collect()
        }
        None => vec![hints(t, keys, Spacing::Padded, usize::from(area.width))],
    };
    frame.render_widget(Paragraph::new(lines), area);
}

/// The row that says what is out of view: lines above, what follows below, and the keys
/// that scroll. Guide sections and scrolled popups say it the same way.
pub(crate) fn out_of_view(t: Theme, above: usize, below: Option<String>, keys: &str) -> Line<'static> {
    let mut parts = Vec::new();
    if above > 0 {
        parts.push(format!("▲ {above} line(s) above"));
    }
    parts.extend(below.map(|b| format!("▼ {b}")));
    let keys = if parts.is_empty() { "" } else { keys };
    Line::styled(format!("{}{keys}", parts.join("  ")), t.dim().add_modifier(Modifier::BOLD))
}

/// Cut spans to `width` columns, ending with `…` when cut.
pub(crate) fn truncate(spans: Vec<Span<'static>>, width: usize) -> Vec<Span<'static>> {
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
        assert_eq!(text(&hints(t, &pairs, Spacing::Padded, 15)), " Esc quit ", "the last (help) is kept");
        let four = [("Enter", "open"), ("c", "copy"), ("e", "escalate"), ("?", "help")];
        assert_eq!(text(&hints(t, &four, Spacing::Padded, 30)), " Enter open  c copy  ? help ");
        assert_eq!(text(&inline_hints(t, &pairs)), "Enter open   Esc quit");
    }

    #[test]
    fn a_long_status_wraps_at_words_onto_a_second_row() {
        let msg = "Risky step confirmed with 2 earlier step(s) not done; the journal says so. Rollback: r";
        let lines = status_lines(msg, 60);
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines.iter().all(|l| l.width() <= 60));
        assert_eq!(lines.join(" "), msg, "no word cut");
        assert_eq!(footer_rows(Some(msg), 60), 2);
        assert_eq!(footer_rows(Some("Saved"), 60), 1);
        assert_eq!(footer_rows(None, 60), 1);
        let long = "word ".repeat(100);
        let cut = status_lines(&long, 60);
        assert_eq!(cut.len(), 2);
        assert!(cut[1].ends_with('…') && cut[1].width() <= 60, "{cut:?}");
    }

    #[test]
    fn truncation_marks_the_cut() {
        let cut = truncate(vec![Span::raw("disk full on /var")], 8);
        assert_eq!(cut.iter().map(|s| s.content.as_ref()).collect::<String>(), "disk fu…");
        assert_eq!(truncate(vec![Span::raw("ok")], 8).len(), 1);
    }
}
