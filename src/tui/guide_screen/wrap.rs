//! Wrapping styled text for the guide screen: textwrap's word separation, long-word breaking
//! and first-fit, over words that keep their style, so a paragraph of bold, code and links
//! wraps like plain text.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use textwrap::WordSeparator;
use textwrap::core::{Fragment, Word};
use textwrap::wrap_algorithms::wrap_first_fit;
use unicode_width::UnicodeWidthStr;

/// Lines of at most `width` columns after their prefix: the first starts with `first`, the
/// rest with `indent` spaces; a newline in the text always breaks.
pub fn wrap(spans: &[Span<'static>], first: Span<'static>, indent: usize, width: usize) -> Vec<Line<'static>> {
    // Runs between hard line breaks, each a list of styled words.
    let mut runs: Vec<Vec<Piece>> = vec![Vec::new()];
    for span in spans {
        for (i, text) in span.content.split('\n').enumerate() {
            if i > 0 {
                runs.push(Vec::new());
            }
            let words = textwrap::core::break_words(WordSeparator::AsciiSpace.find_words(text), width);
            if let Some(run) = runs.last_mut() {
                run.extend(words.into_iter().map(|w| Piece::new(w, span.style)));
            }
        }
    }
    let mut lead = Some(first);
    let mut lines = Vec::new();
    for run in &runs {
        for line in wrap_first_fit(run, &[width as f64]) {
            let mut out = vec![lead.take().unwrap_or_else(|| Span::raw(" ".repeat(indent)))];
            out.extend(line.iter().map(|p| Span::styled(p.text.clone(), p.style)));
            lines.push(Line::from(out));
        }
    }
    lines
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
    fn long_words_break_and_hard_breaks_hold() {
        let lines = wrapped("/var/lib/docker/overlay2/abcdefghijklmnop ok\nnext", 20, 0);
        assert_eq!(lines, ["> /var/lib/docker/over", "lay2/abcdefghijklmno", "p ok", "next"]);
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
