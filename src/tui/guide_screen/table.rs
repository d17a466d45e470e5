//! Tables: aligned columns when they fit the width, otherwise one record per row
//! ("Header: value" lines), so a wide table stays readable on a 60-column phone screen.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use crate::runbook::{Inline, plain_text};
use crate::tui::theme::Theme;

/// A table's lines at `width` columns.
pub(crate) fn lines(
    theme: Theme,
    width: usize,
    header: &[Vec<Inline>],
    rows: &[Vec<Vec<Inline>>],
    indent: usize,
) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    let head: Vec<String> = header.iter().map(|c| plain_text(c).trim().to_owned()).collect();
    let body: Vec<Vec<String>> =
        rows.iter().map(|r| r.iter().map(|c| plain_text(c).trim().to_owned()).collect()).collect();
    let cols = head.len().max(body.iter().map(Vec::len).max().unwrap_or(0));
    let widths: Vec<usize> = (0..cols)
        .map(|c| std::iter::once(&head).chain(&body).filter_map(|r| r.get(c)).map(|s| s.width()).max().unwrap_or(0))
        .collect();
    let total = widths.iter().sum::<usize>() + 3 * cols.saturating_sub(1) + indent;
    let bold = Style::new().add_modifier(Modifier::BOLD);
    if total <= width {
        let dim = theme.dim();
        let row_line = |cells: &[String], style: Style| {
            let mut spans = vec![Span::raw(" ".repeat(indent))];
            for (c, w) in widths.iter().enumerate() {
                let s = cells.get(c).map_or("", String::as_str);
                if c > 0 {
                    spans.push(Span::styled(" │ ", dim));
                }
                spans.push(Span::styled(format!("{s}{}", " ".repeat(w.saturating_sub(s.width()))), style));
            }
            Line::from(spans)
        };
        let head_line = row_line(&head, bold);
        out.push(head_line);
        let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
        out.push(Line::styled(format!("{}{}", " ".repeat(indent), rule.join("─┼─")), theme.dim()));
        for row in &body {
            let l = row_line(row, Style::new());
            out.push(l);
        }
        return out;
    }
    for (n, row) in body.iter().enumerate() {
        if n > 0 {
            out.push(Line::styled(
                format!("{}{}", " ".repeat(indent), "┄".repeat(width.saturating_sub(indent).min(30))),
                theme.dim(),
            ));
        }
        for (c, cell) in row.iter().enumerate() {
            let label = head.get(c).filter(|h| !h.is_empty()).cloned().unwrap_or_else(|| format!("Column {}", c + 1));
            let first = Span::styled(format!("{}{label}: ", " ".repeat(indent)), bold);
            let wrap_width = width.saturating_sub(indent + 2).max(10);
            out.extend(crate::tui::wrap::wrap(&[Span::raw(cell.clone())], first, indent + 2, wrap_width));
        }
    }
    out
}
