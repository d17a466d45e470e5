//! Drawing: `draw(&App)` paints the current screen and overlay. No state changes here.

use std::time::Instant;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use unicode_width::UnicodeWidthStr;

use super::app::{App, IndexState, Screen};
use super::layout;
use super::render::{guide_content, progress};
use crate::search::Hit;

pub fn draw(frame: &mut Frame<'_>, app: &App, now: Instant) {
    match app.screen {
        Screen::Search => search(frame, app, now),
        Screen::Guide => guide(frame, app, now),
    }
    if let Some(o) = app.overlay {
        super::ui_overlay::draw(frame, app, o, now);
    }
}

/// A footer of key hints, or the status message when there is one.
fn footer(frame: &mut Frame<'_>, area: Rect, app: &App, keys: &[(&str, &str)], now: Instant) {
    let t = app.theme;
    let line = if let Some(msg) = app.status_text(now) {
        Line::from(Span::styled(msg.to_owned(), t.warn()))
    } else {
        let mut spans = Vec::new();
        let mut used = 0;
        for (k, label) in keys {
            let w = k.width() + label.width() + 3;
            if used + w > usize::from(area.width) {
                break;
            }
            spans.push(Span::styled(format!(" {k}"), t.key()));
            spans.push(Span::raw(format!(" {label} ")));
            used += w;
        }
        Line::from(spans)
    };
    frame.render_widget(Paragraph::new(line), area);
}

fn search(frame: &mut Frame<'_>, app: &App, now: Instant) {
    let t = app.theme;
    let a = layout::search(frame.area());
    let mut header = vec![Span::styled(" runbook ", t.title()), Span::styled("type what you see", t.dim())];
    match &app.index {
        IndexState::Building(p) => {
            let (done, total) =
                (p.done.load(std::sync::atomic::Ordering::Relaxed), p.total.load(std::sync::atomic::Ordering::Relaxed));
            header.push(Span::styled(format!("  indexing {done}/{total}…"), t.warn()));
        }
        IndexState::Ready(_) => {}
        IndexState::Failed(_) => header.push(Span::styled("  search unavailable", t.warn())),
    }
    if !app.problems.is_empty() {
        header.push(Span::styled(format!("  ⚠ {} problem(s): F2", app.problems.len()), t.warn()));
    }
    frame.render_widget(Paragraph::new(Line::from(header)), a.header);
    let prompt = "> ";
    frame.render_widget(
        Paragraph::new(Line::from(vec![Span::styled(prompt, t.key()), Span::raw(app.query.text.clone())])),
        a.query,
    );
    let before: String = app.query.text.chars().take(app.query.cursor).collect();
    let x = a.query.x + u16::try_from(prompt.width() + before.width()).unwrap_or(u16::MAX);
    if x < a.query.x + a.query.width {
        frame.set_cursor_position((x, a.query.y));
    }
    results(frame, app, a.results);
    if let Some(p) = a.preview {
        preview(frame, app, p);
    }
    footer(frame, a.footer, app, &[("↑↓", "move"), ("Enter", "open"), ("Esc", "clear/quit"), ("F1", "help")], now);
}

fn results(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let t = app.theme;
    if area.height == 0 {
        return;
    }
    if app.results.is_empty() {
        let msg = match &app.index {
            IndexState::Building(_) => "Building the index… results appear as soon as it is ready.",
            IndexState::Failed(_) => {
                "The search index could not be built (F2 says why). `runbook list` and `runbook show ID` still work."
            }
            IndexState::Ready(_) if app.query.text.trim().is_empty() => "No runbooks found in the runbook folders.",
            IndexState::Ready(_) => {
                "No runbook matches. Try other words: the error message, the system name, what users see."
            }
        };
        frame.render_widget(Paragraph::new(msg).wrap(Wrap { trim: true }).style(t.dim()), area);
        return;
    }
    let per = if area.height >= 12 { 3 } else { 2 };
    let visible = (usize::from(area.height) / per).max(1);
    let offset = app.selected.saturating_sub(visible - 1);
    let mut lines: Vec<Line<'static>> = Vec::new();
    for (i, hit) in app.results.iter().enumerate().skip(offset).take(visible) {
        let mut entry = hit_lines(app, hit, usize::from(area.width), per);
        if i == app.selected {
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

fn hit_lines(app: &App, hit: &Hit, width: usize, per: usize) -> Vec<Line<'static>> {
    let t = app.theme;
    let mut first = vec![Span::styled(hit.entry.title.clone(), Style::new().add_modifier(Modifier::BOLD))];
    let mut meta = Vec::new();
    if let Some(sev) = &hit.entry.severity {
        meta.push(Span::styled(sev.clone(), t.severity(sev)));
    }
    if !hit.entry.systems.is_empty() {
        meta.push(Span::styled(format!(" {}", hit.entry.systems.join(", ")), t.dim()));
    }
    if let Some(s) = &hit.section_title {
        meta.push(Span::styled(format!(" › {s}"), t.dim()));
    }
    let snippet = snippet_spans(app, hit);
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

fn snippet_spans(app: &App, hit: &Hit) -> Vec<Span<'static>> {
    let s = &hit.snippet;
    let mut out = vec![Span::raw("  ")];
    let mut pos = 0;
    for m in &s.marks {
        if m.start < pos || m.end > s.text.len() || !s.text.is_char_boundary(m.start) || !s.text.is_char_boundary(m.end)
        {
            continue;
        }
        out.push(Span::styled(s.text[pos..m.start].to_owned(), app.theme.dim()));
        out.push(Span::styled(s.text[m.clone()].to_owned(), app.theme.mark()));
        pos = m.end;
    }
    out.push(Span::styled(s.text[pos..].to_owned(), app.theme.dim()));
    out
}

/// Cut spans to `width` columns, ending with `…` when cut.
fn truncate(spans: Vec<Span<'static>>, width: usize) -> Vec<Span<'static>> {
    let mut out = Vec::new();
    let mut used = 0;
    for s in spans {
        let w = s.content.width();
        if used + w <= width {
            used += w;
            out.push(s);
            continue;
        }
        let cut = super::markdown::take_width(&s.content, width.saturating_sub(used + 1));
        out.push(Span::styled(format!("{}…", &s.content[..cut]), s.style));
        break;
    }
    out
}

fn preview(frame: &mut Frame<'_>, app: &App, area: Rect) {
    let t = app.theme;
    let block = Block::default().borders(Borders::LEFT).border_style(t.dim()).title(Span::styled(" preview ", t.dim()));
    let Some(hit) = app.results.get(app.selected) else {
        frame.render_widget(block, area);
        return;
    };
    let e = &hit.entry;
    let mut lines = vec![
        Line::styled(e.title.clone(), t.title()),
        Line::styled(format!("{} · {}", e.id, e.kind), t.dim()),
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

fn guide(frame: &mut Frame<'_>, app: &App, now: Instant) {
    let t = app.theme;
    let a = layout::guide(frame.area());
    let Some(g) = &app.guide else { return };
    let mut header = vec![Span::styled(format!(" {} ", g.rb.title), t.title())];
    if let Some(sev) = g.rb.meta.severity {
        header.push(Span::styled(format!(" {} ", sev.as_str()), t.severity(sev.as_str())));
    }
    if let Some((done, total)) = progress(app, g) {
        header.push(Span::styled(format!(" steps {done}/{total}"), if done == total { t.done() } else { t.warn() }));
    }
    frame.render_widget(Paragraph::new(Line::from(truncate(header, usize::from(a.header.width)))), a.header);
    frame.render_widget(Paragraph::new(crumbs(app, usize::from(a.crumbs.width))).style(t.dim()), a.crumbs);
    let rendered = guide_content(app, g);
    let height = usize::from(a.content.height);
    let max_scroll = rendered.lines.len().saturating_sub(height);
    let scroll = g.scroll.min(max_scroll);
    let mut lines: Vec<Line<'static>> = rendered.lines.into_iter().skip(scroll).take(height).collect();
    if let Some(sel) = g.selected
        && let Some((_, range)) = rendered.items.get(sel)
    {
        for (i, l) in lines.iter_mut().enumerate() {
            if range.contains(&(i + scroll)) {
                l.style = t.selected();
            }
        }
    }
    if let Some(q) = g.find.as_ref().map(|f| f.query.text.to_lowercase()).filter(|q| !q.is_empty()) {
        for l in &mut lines {
            if super::render::line_text(l).to_lowercase().contains(&q) {
                l.style = l.style.patch(t.mark());
            }
        }
    }
    let content = Rect { x: a.content.x + 1, width: a.content.width.saturating_sub(1), ..a.content };
    frame.render_widget(Paragraph::new(lines), content);
    if let Some(f) = g.find.as_ref().filter(|f| f.editing) {
        frame.render_widget(
            Paragraph::new(Line::from(vec![Span::styled("/", t.key()), Span::raw(f.query.text.clone())])),
            a.footer,
        );
        return;
    }
    let sec = g.rb.sections.get(g.section);
    let has_answers = sec.is_some_and(|s| s.choices().next().is_some());
    let has_steps = sec.is_some_and(|s| s.steps().next().is_some());
    let keys: &[(&str, &str)] = if g.view == super::guide::View::Pager {
        &[("PgUp/PgDn", "scroll"), ("/", "find"), ("⌫", "back"), ("?", "help")]
    } else if has_answers && has_steps {
        &[("Space", "check"), ("c", "copy"), ("1-9", "answer"), ("⌫", "back"), ("e", "escalate"), ("?", "help")]
    } else if has_answers {
        &[("1-9", "answer"), ("⌫", "back"), ("e", "escalate"), ("?", "help")]
    } else if has_steps {
        &[("↑↓", "step"), ("Space", "check"), ("c", "copy"), ("r", "rollback"), ("e", "escalate"), ("?", "help")]
    } else {
        &[("Enter", "continue"), ("⌫", "back"), ("e", "escalate"), ("?", "help")]
    };
    footer(frame, a.footer, app, keys, now);
}

/// The path taken: runbook and section titles, cut from the left when too long.
fn crumbs(app: &App, width: usize) -> String {
    let mut parts: Vec<String> = app
        .history
        .iter()
        .map(|p| {
            p.guide.rb.sections.get(p.guide.section).map_or_else(
                || p.guide.rb.title.clone(),
                |s| if s.title.is_empty() { p.guide.rb.title.clone() } else { s.title.clone() },
            )
        })
        .collect();
    if let Some(g) = &app.guide {
        if app.history.is_empty() {
            parts.push(g.rb.title.clone());
        }
        parts.push(g.rb.sections.get(g.section).map_or_else(|| g.rb.title.clone(), |s| s.title.clone()));
    }
    parts.dedup();
    let mut text = format!(" {}", parts.join(" › "));
    while text.width() > width && parts.len() > 1 {
        parts.remove(0);
        text = format!(" … › {}", parts.join(" › "));
    }
    text
}
