//! Painting the search screen: header (index progress, problems), the query with its cursor,
//! the results (two or three lines each, the selection kept in view) and, on wide terminals,
//! a preview of the selected runbook.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::SearchScreen;
use crate::search::Hit;
use crate::tui::action::Action;
use crate::tui::background::{IndexState, MeaningState};
use crate::tui::chrome::{footer, footer_rows, truncate};
use crate::tui::keymap::KeyContext;
use crate::tui::keys;
use crate::tui::layout;
use crate::tui::theme::Theme;

/// What drawing the search screen needs besides the screen.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DrawContext<'a> {
    pub theme: Theme,
    pub index: &'a IndexState,
    pub meaning: &'a MeaningState,
    pub problems: usize,
    /// The status message, shown in the footer instead of the key hints.
    pub status: Option<&'a str>,
    /// Today, for the review-overdue mark.
    pub today: jiff::civil::Date,
    /// How old the runbooks are (`changed 2d ago, synced 3h ago`).
    pub age: Option<&'a str>,
    /// A drill's scenario, kept in view in place of the hint.
    pub drill: Option<&'a str>,
}

pub fn draw(frame: &mut Frame<'_>, s: &SearchScreen, look: DrawContext<'_>) {
    let t = look.theme;
    let a = layout::search(frame.area(), footer_rows(look.status, frame.area().width));
    let hint = match look.drill {
        Some(scenario) => Span::styled(format!("DRILL: \"{scenario}\""), t.warn()),
        None => Span::styled("type what you see", t.dim()),
    };
    let mut header = vec![Span::styled(" runbook ", t.title()), hint];
    match look.index {
        IndexState::Building(p) => {
            let (done, total) =
                (p.done.load(std::sync::atomic::Ordering::Relaxed), p.total.load(std::sync::atomic::Ordering::Relaxed));
            header.push(Span::styled(format!("  indexing {done}/{total}…"), t.warn()));
        }
        IndexState::Ready(_) => {}
        IndexState::Failed => header.push(Span::styled("  search unavailable", t.warn())),
    }
    // The vectors being made: by words until they are (the status line says when ready).
    if let (IndexState::Ready(_), MeaningState::Making(p)) = (look.index, look.meaning) {
        let (done, total) =
            (p.done.load(std::sync::atomic::Ordering::Relaxed), p.total.load(std::sync::atomic::Ordering::Relaxed));
        if total > 0 && done < total {
            header.push(Span::styled(format!("  meaning {done}/{total}…"), t.dim()));
        }
    }
    if s.stale {
        header.push(Span::styled("  no match yet: keep typing", t.warn()));
    }
    if s.results.len() > visible_results(a.results.height) {
        // More results than fit: where the selection is, and that the list goes on.
        let more = if s.selected + 1 < s.results.len() { " ▼" } else { "" };
        header.push(Span::styled(format!("  {}/{}{more}", s.selected + 1, s.results.len()), t.dim()));
    }
    if look.problems > 0 {
        header.push(Span::styled(format!("  ⚠ {} problem(s): F2", look.problems), t.warn()));
    }
    if let Some(age) = look.age {
        // Last: on a narrow terminal it is what gets cut.
        header.push(Span::styled(format!("  {age}"), t.dim()));
    }
    // The hint goes first when the header would not fit (a phone's 60 columns).
    let width: usize = header.iter().map(|s| s.content.width()).sum();
    if width > usize::from(a.header.width) && look.drill.is_none() {
        header.remove(1);
        if let Some(title) = header.first_mut() {
            *title = Span::styled(" runbook", t.title());
        }
    }
    frame.render_widget(Paragraph::new(Line::from(header)), a.header);
    let prompt = "> ";
    frame.render_widget(
        Paragraph::new(Line::from(vec![Span::styled(prompt, t.key()), Span::raw(s.query.text.clone())])),
        a.query,
    );
    let before: String = s.query.text.chars().take(s.query.cursor).collect();
    let x = a.query.x + u16::try_from(prompt.width() + before.width()).unwrap_or(u16::MAX);
    if x < a.query.x + a.query.width {
        frame.set_cursor_position((x, a.query.y));
    }
    results(frame, s, look, a.results);
    if let Some(p) = a.preview {
        preview(frame, s, t, p);
    }
    let keys = keys::hints(
        KeyContext::Search,
        &[(Action::Down, "move"), (Action::Activate, "open"), (Action::Escape, "clear/quit"), (Action::Help, "help")],
    );
    footer(frame, a.footer, t, look.status, &keys);
}

fn results(frame: &mut Frame<'_>, s: &SearchScreen, look: DrawContext<'_>, area: Rect) {
    let t = look.theme;
    if area.height == 0 {
        return;
    }
    if s.results.is_empty() {
        let msg = match look.index {
            IndexState::Building(_) => "Building the index… results appear as soon as it is ready.",
            IndexState::Failed => {
                "The search index could not be built (F2 says why). `runbook list` and `runbook show ID` still work."
            }
            IndexState::Ready(_) if s.query.text.trim().is_empty() => "No runbooks found in the runbook folders.",
            IndexState::Ready(_) => {
                "No runbook matches. Try other words: the error message, the system name, what users see."
            }
        };
        frame.render_widget(Paragraph::new(msg).wrap(Wrap { trim: true }).style(t.dim()), area);
        return;
    }
    let per = lines_per_result(area.height);
    let visible = visible_results(area.height);
    let offset = s.selected.saturating_sub(visible - 1);
    let mut lines: Vec<Line<'static>> = Vec::new();
    for (i, hit) in s.results.iter().enumerate().skip(offset).take(visible) {
        let mut entry = hit_lines(t, hit, usize::from(area.width), per, look.today);
        if s.stale {
            for l in &mut entry {
                l.style = t.dim();
            }
        }
        if i == s.selected {
            for (n, l) in entry.iter_mut().enumerate() {
                l.style = t.selected();
                l.spans.insert(0, Span::styled(if n == 0 { "▶" } else { " " }, t.selected()));
            }
        } else {
            for l in &mut entry {
                l.spans.insert(0, Span::raw(" "));
            }
        }
        lines.extend(entry);
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// Lines each result takes: three (title, meta, snippet) when there is room, else two.
fn lines_per_result(height: u16) -> usize {
    if height >= 12 { 3 } else { 2 }
}

/// How many results fit in `height` rows.
fn visible_results(height: u16) -> usize {
    (usize::from(height) / lines_per_result(height)).max(1)
}

fn hit_lines(t: Theme, hit: &Hit, width: usize, per: usize, today: jiff::civil::Date) -> Vec<Line<'static>> {
    let mut first = vec![Span::styled(hit.entry.title.clone(), Style::new().add_modifier(Modifier::BOLD))];
    let mut meta = Vec::new();
    if let Some(sev) = hit.entry.severity {
        meta.push(Span::styled(sev.as_str(), t.severity(sev)));
    }
    if hit.entry.review_overdue(today) {
        meta.push(Span::styled(" review overdue", t.warn()));
    }
    if !hit.entry.systems.is_empty() {
        meta.push(Span::styled(format!(" {}", hit.entry.systems.join(", ")), t.dim()));
    }
    if let Some(s) = &hit.section_title {
        meta.push(Span::styled(format!(" › {s}"), t.dim()));
    }
    let snippet = snippet_spans(t, hit);
    if per == 2 {
        first.push(Span::raw("  "));
        first.extend(meta);
        vec![
            Line::from(truncate(first, width.saturating_sub(2))),
            Line::from(truncate(snippet, width.saturating_sub(3))),
        ]
    } else {
        let mut second = vec![Span::raw("  ")];
        second.extend(meta);
        if second.len() == 1 {
            second.push(Span::styled(hit.entry.id.clone(), t.dim()));
        }
        let w = width.saturating_sub(2);
        vec![
            Line::from(truncate(first, w)),
            Line::from(truncate(second, w)),
            Line::from(truncate(snippet, width.saturating_sub(3))),
        ]
    }
}

/// The snippet with the query's words marked; marks that do not fall on the text are skipped.
fn snippet_spans(t: Theme, hit: &Hit) -> Vec<Span<'static>> {
    let s = &hit.snippet;
    let mut out = vec![Span::raw("  ")];
    let mut pos = 0;
    for m in &s.marks {
        let (Some(before), Some(marked)) = (s.text.get(pos..m.start), s.text.get(m.clone())) else { continue };
        out.push(Span::styled(before.to_owned(), t.dim()));
        out.push(Span::styled(marked.to_owned(), t.mark()));
        pos = m.end;
    }
    out.push(Span::styled(s.text.get(pos..).unwrap_or_default().to_owned(), t.dim()));
    out
}

fn preview(frame: &mut Frame<'_>, s: &SearchScreen, t: Theme, area: Rect) {
    let block = Block::default().borders(Borders::LEFT).border_style(t.dim()).title(Span::styled(" preview ", t.dim()));
    let Some(hit) = s.results.get(s.selected) else {
        frame.render_widget(block, area);
        return;
    };
    let e = &hit.entry;
    let mut lines = vec![
        Line::styled(e.title.clone(), t.title()),
        Line::styled(format!("{} · {}", e.id, e.kind.as_str()), t.dim()),
        Line::raw(""),
    ];
    if !e.summary.is_empty() {
        lines.push(Line::raw(e.summary.clone()));
        lines.push(Line::raw(""));
    }
    if !e.symptoms.is_empty() {
        lines.push(Line::styled("Symptoms", Style::new().add_modifier(Modifier::BOLD)));
        lines.extend(e.symptoms.iter().map(|s| Line::raw(format!("• {s}"))));
        lines.push(Line::raw(""));
    }
    if let Some(s) = &hit.section_title {
        lines.push(Line::from(vec![
            Span::styled("Best match: ", Style::new().add_modifier(Modifier::BOLD)),
            Span::raw(s.clone()),
        ]));
    }
    frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: false }), area);
}
