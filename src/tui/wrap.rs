//! Wrapping styled text: textwrap's word separation, long-word breaking and first-fit, over
//! words that keep their style, so a paragraph of bold, code and links wraps like plain text.
//! The guide's blocks and every overlay's lines wrap here; `hanging` says where a line's
//! continuation starts (under its text, not under its bullet or key).

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use textwrap::WordSeparator;
use textwrap::core::{Fragment, Word};
use textwrap::wrap_algorithms::wrap_first_fit;
use unicode_width::UnicodeWidthStr;

/// Lines of at most `width` columns after their prefix: the first starts with `first`, the
/// rest with `indent` spaces; a newline in the text always breaks.
pub(crate) fn wrap(spans: &[Span<'static>], first: Span<'static>, indent: usize, width: usize) -> Vec<Line<'static>> {
    wrap_widths(spans, first, indent, width, width)
}

/// `wrap` with the first line `first_width` wide and the others `width`.
fn wrap_widths(
    spans: &[Span<'static>],
    first: Span<'static>,
    indent: usize,
    first_width: usize,
    width: usize,
) -> Vec<Line<'static>> {
    // Runs between hard line breaks, each a list of styled words.
    let mut runs: Vec<Vec<Piece>> = vec![Vec::new()];
    for span in spans {
        for (i, text) in span.content.split('\n').enumerate() {
            if i > 0 {
                runs.push(Vec::new());
            }
            let words = textwrap::core::break_words(WordSeparator::AsciiSpace.find_words(text), width.min(first_width));
            if let Some(run) = runs.last_mut() {
                run.extend(words.into_iter().map(|w| Piece::new(w, span.style)));
            }
        }
    }
    let mut lead = Some(first);
    let mut lines = Vec::new();
    for run in &runs {
        // Only the very first line of the text is `first_width` wide.
        let widths = if lines.is_empty() { [first_width as f64, width as f64] } else { [width as f64; 2] };
        for line in wrap_first_fit(run, &widths) {
            let mut out = vec![lead.take().unwrap_or_else(|| Span::raw(" ".repeat(indent)))];
            out.extend(line.iter().map(|p| Span::styled(p.text.clone(), p.style)));
            lines.push(Line::from(out));
        }
    }
    lines
}

/// A command's line cut into pieces of at most `width` columns for reading by eye: at the
/// last space that fits (the space ends the piece), else inside a word, where the piece ends
/// with `…` (the word goes on, no space). Each piece after the first is drawn after `↪`.
pub(crate) fn command_pieces(line: &str, width: usize) -> Vec<String> {
    let width = width.max(2);
    let mut out = Vec::new();
    let mut rest = line;
    while rest.width() > width {
        let fit = crate::text::take_width(rest, width);
        let head = rest.get(..fit).unwrap_or(rest);
        // A space after some text (leading spaces are indentation, not a break).
        let space = head.rfind(' ').filter(|&i| head.get(..i).is_some_and(|h| !h.trim_start().is_empty()));
        let (piece, next) = match space {
            Some(i) => (head.get(..=i).unwrap_or(head).to_owned(), rest.get(i + 1..)),
            None => {
                let cut = crate::text::take_width(rest, width - 1);
                (format!("{}…", rest.get(..cut).unwrap_or(rest)), rest.get(cut..))
            }
        };
        out.push(piece);
        match next {
            Some(r) if r.len() < rest.len() => rest = r,
            _ => return out,
        }
    }
    out.push(rest.to_owned());
    out
}

/// Lines no wider than `width`, each continued under where its text starts (see `hanging`).
pub(crate) fn reflow(lines: Vec<Line<'static>>, width: usize) -> Vec<Line<'static>> {
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        if line.width() <= width {
            out.push(line);
            continue;
        }
        let hang = hanging(&line).min(width / 2);
        let style = line.style;
        let wrapped = wrap_widths(&line.spans, Span::raw(""), hang, width, width.saturating_sub(hang).max(10));
        out.extend(wrapped.into_iter().map(|l| l.style(style)));
    }
    out
}

/// Where a line's continuation starts: under the text after its indent and its marker (`- `,
/// `• `, `[ ] `, `[x] `, `1. `), or after a key column (a first span padded with spaces).
pub(crate) fn hanging(line: &Line<'_>) -> usize {
    let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
    let body = text.trim_start_matches(' ');
    let lead = text.len() - body.len();
    let digits = body.chars().take_while(char::is_ascii_digit).count();
    let marker = ["- ", "• ", "[ ] ", "[x] ", "> "].iter().find(|m| body.starts_with(**m)).map(|m| m.width());
    let numbered = (digits > 0 && body.get(digits..).is_some_and(|r| r.starts_with(". "))).then_some(digits + 2);
    if let Some(m) = marker.or(numbered) {
        return lead + m;
    }
    match line.spans.first() {
        Some(first) if line.spans.len() > 1 && first.content.ends_with("  ") && first.content.width() <= 24 => {
            first.content.width()
        }
        _ => lead,
    }
}

/// A word with its trailing spaces and its style. The spaces count towards the line's width
/// (a word that fits only without its space goes to the next line), and spaces alone never
/// start a line: they stay at the end of the one before.
#[derive(Debug)]
struct Piece {
    text: String,
    style: Style,
    width: f64,
    spaces: f64,
}

impl Piece {
    fn new(w: Word<'_>, style: Style) -> Piece {
        let text = format!("{}{}", w.word, w.whitespace);
        let all = text.width() as f64;
        if w.word.is_empty() {
            Piece { text, style, width: 0.0, spaces: all }
        } else {
            Piece { text, style, width: all, spaces: 0.0 }
        }
    }
}

impl Fragment for Piece {
    fn width(&self) -> f64 {
        self.width
    }

    fn whitespace_width(&self) -> f64 {
        self.spaces
    }

    fn penalty_width(&self) -> f64 {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrapped(text: &str, width: usize, indent: usize) -> Vec<String> {
        let lines = wrap(&[Span::raw(text.to_owned())], Span::raw("> "), indent, width);
        lines.iter().map(|l| l.spans.iter().map(|s| s.content.as_ref()).collect()).collect()
    }

    #[test]
    fn words_wrap_at_the_width_with_the_indent() {
        let text = "check the disk usage of every mounted filesystem";
        assert_eq!(
            wrapped(text, 22, 2),
            ["> check the disk usage ", "  of every mounted ", "  filesystem"],
            "a word that fits only without its space moves on"
        );
    }

    #[test]
    fn commands_break_at_spaces_and_mark_a_break_inside_a_word() {
        let cmd = "journalctl -u nginx --since -1h --no-pager | tail";
        let pieces = command_pieces(cmd, 20);
        assert!(pieces.iter().all(|p| p.width() <= 20), "{pieces:?}");
        assert_eq!(pieces.concat(), cmd, "joined, the pieces are the command: {pieces:?}");
        assert!(pieces.iter().all(|p| !p.ends_with('…')), "every break at a space: {pieces:?}");
        assert_eq!(pieces[0], "journalctl -u nginx ");
        // A word longer than the line: broken, and the break says so.
        let url = "curl https://partner.example.com/api/v2/orders/status";
        let pieces = command_pieces(url, 20);
        assert_eq!(pieces[0], "curl ");
        assert!(pieces[1].ends_with('…') && pieces[1].width() == 20, "{pieces:?}");
        assert_eq!(pieces.iter().map(|p| p.trim_end_matches('…')).collect::<String>(), url);
        assert_eq!(command_pieces("df -h", 20), ["df -h"]);
        let indented = command_pieces("    indented_very_long_word", 10);
        assert_eq!(indented, ["    inden…", "ted_very_…", "long_word"], "leading spaces are no break");
    }

    #[test]
    fn long_words_break_and_hard_breaks_hold() {
        let lines = wrapped("/var/lib/docker/overlay2/abcdefghijklmnop ok\nnext", 20, 0);
        assert_eq!(lines, ["> /var/lib/docker/over", "lay2/abcdefghijklmno", "p ok", "next"]);
    }

    #[test]
    fn overlay_lines_continue_under_their_text() {
        let item = Line::raw("- [x] Shrink the journal to 500 MB (Disk full > Shrink the journal)");
        let keyed = Line::from(vec![
            Span::raw(format!("{:<20}", "Ctrl-E")),
            Span::raw("who to escalate to for the selected runbook"),
        ]);
        let text = |ls: Vec<Line<'static>>| ls.iter().map(|l| l.to_string()).collect::<Vec<_>>();
        assert_eq!(
            text(reflow(vec![item], 40)),
            ["- [x] Shrink the journal to 500 MB ", "  (Disk full > Shrink the journal)"]
        );
        let k = text(reflow(vec![keyed], 44));
        assert_eq!(k, ["Ctrl-E              who to escalate to for ", "                    the selected runbook"]);
        assert_eq!(hanging(&Line::raw("  [ ] Say what you clean up")), 6);
        assert_eq!(hanging(&Line::raw("12. twelfth")), 4);
        assert_eq!(hanging(&Line::raw("plain text")), 0);
    }

    #[test]
    fn styles_survive_the_wrap() {
        let bold = Style::new().add_modifier(ratatui::style::Modifier::BOLD);
        let spans = [Span::raw("run "), Span::styled("systemctl status nginx", bold)];
        let lines = wrap(&spans, Span::raw(""), 0, 14);
        let styled: Vec<&str> =
            lines.iter().flat_map(|l| &l.spans).filter(|s| s.style == bold).map(|s| s.content.as_ref()).collect();
        assert_eq!(styled, ["systemctl ", "status ", "nginx"]);
    }
}
