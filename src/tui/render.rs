//! What the guide screen shows, as data: the rendered lines of the current section (or the
//! whole page), the selectable items in it, find-in-page, and the escalation view. Shared by
//! drawing and by `update` (which needs line positions to scroll).

use std::time::Instant;

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::app::App;
use super::guide::{Guide, View};
use super::layout;
use super::markdown::{Item, Rendered, Renderer, StepState};
use crate::runbook::{SectionRole, plain_text};

struct Checked<'a> {
    set: Option<&'a std::collections::BTreeSet<usize>>,
    offset: usize,
}

impl StepState for Checked<'_> {
    fn checked(&self, n: usize) -> bool {
        self.set.is_some_and(|s| s.contains(&(self.offset + n)))
    }
}

/// The width the guide content is rendered at.
pub fn content_width(app: &App) -> u16 {
    app.size.0.saturating_sub(2)
}

/// Lines of the guide: one section with its end-of-path panel, or the whole page.
pub fn guide_content(app: &App, g: &Guide) -> Rendered {
    let theme = app.theme;
    let set = app.checked.get(&g.rb.id);
    match g.view {
        View::Sections => {
            let offset = g.global_step(0);
            let state = Checked { set, offset };
            let mut r = Renderer::new(theme, content_width(app), &state);
            if let Some(s) = g.rb.sections.get(g.section) {
                if !s.title.is_empty() {
                    let badge = match s.role {
                        SectionRole::Verify => "  [VERIFY]",
                        SectionRole::Rollback => "  [ROLLBACK]",
                        SectionRole::PreChecks => "  [PRE-CHECKS]",
                        SectionRole::Escalate => "  [ESCALATE]",
                        SectionRole::Normal => "",
                    };
                    r.wrap(vec![Span::styled(format!("{}{badge}", s.title), theme.heading())], Span::raw(""), 0);
                    r.blank();
                }
                r.blocks(&s.blocks, 0);
                if s.choices().next().is_none() {
                    end_of_path(&mut r, g);
                }
            }
            r.out
        }
        View::Pager => {
            let state = Checked { set, offset: 0 };
            let mut r = Renderer::new(theme, content_width(app), &state);
            for s in &g.rb.sections {
                if !s.title.is_empty() {
                    r.wrap(vec![Span::styled(s.title.clone(), theme.heading())], Span::raw(""), 0);
                    r.blank();
                }
                r.blocks(&s.blocks, 0);
            }
            r.out
        }
    }
}

/// What to do when a section asks nothing: next section, back, new search, escalate.
fn end_of_path(r: &mut Renderer<'_>, g: &Guide) {
    let t = r.theme;
    r.blank();
    match g.continue_to() {
        Some(next) => {
            let title = &g.rb.sections[next].title;
            r.push(Line::from(vec![Span::styled("Enter ", t.key()), Span::raw(format!("continue: {title}"))]));
        }
        None if g.next_section().is_none() && !g.rb.sections.iter().any(|s| s.choices().next().is_some()) => {
            r.push(Line::styled("── End of the runbook ──", t.dim()));
        }
        None => r.push(Line::styled("── End of this path ──", t.dim())),
    }
    let escalate = format!("escalate ({} contact(s))", g.rb.meta.escalation.len());
    r.push(t.hints(&[("⌫", "back"), ("s", "new search"), ("e", &escalate)]));
}

/// The selectable items of the current section.
pub fn section_items(app: &App) -> Vec<Item> {
    let Some(g) = &app.guide else { return Vec::new() };
    if g.view == View::Pager {
        return Vec::new();
    }
    guide_content(app, g).items.into_iter().map(|(i, _)| i).collect()
}

/// Keep the scroll within the content and the selected item on screen.
pub fn ensure_visible(app: &mut App) {
    let height =
        usize::from(layout::guide(ratatui::layout::Rect::new(0, 0, app.size.0, app.size.1)).content.height).max(1);
    let Some(g) = &app.guide else { return };
    let rendered = guide_content(app, g);
    let max_scroll = rendered.lines.len().saturating_sub(height);
    if let Some(g) = app.guide.as_mut() {
        g.scroll = g.scroll.min(max_scroll);
    }
    let Some(sel) = app.guide.as_ref().and_then(|g| g.selected) else { return };
    let Some((_, range)) = rendered.items.get(sel) else { return };
    let (start, end) = (range.start, range.end);
    if let Some(g) = app.guide.as_mut() {
        if start < g.scroll {
            g.scroll = start;
        } else if end > g.scroll + height {
            g.scroll = end.saturating_sub(height).min(start);
        }
    }
}

/// Line where section `id` starts in the pager view.
pub fn pager_offset(app: &App, g: &Guide, id: &str) -> usize {
    let mut probe = g.clone();
    probe.view = View::Pager;
    let rendered = guide_content(app, &probe);
    let Some(title) = g.rb.section(id).map(|s| s.title.clone()).filter(|t| !t.is_empty()) else { return 0 };
    rendered.lines.iter().position(|l| line_text(l) == title).unwrap_or(0)
}

pub fn line_text(line: &Line<'_>) -> String {
    line.spans.iter().map(|s| s.content.as_ref()).collect()
}

/// The next (or previous) line containing the find query, from the current scroll.
pub fn find_next(app: &App, forward: bool) -> Option<usize> {
    let g = app.guide.as_ref()?;
    let q = g.find.as_ref()?.query.text.to_lowercase();
    if q.is_empty() {
        return None;
    }
    let lines = guide_content(app, g).lines;
    let hits: Vec<usize> =
        lines.iter().enumerate().filter(|(_, l)| line_text(l).to_lowercase().contains(&q)).map(|(i, _)| i).collect();
    let cur = g.scroll + 2;
    if forward {
        hits.iter().copied().find(|&i| i > cur).or_else(|| hits.first().copied())
    } else {
        hits.iter().rev().copied().find(|&i| i < cur).or_else(|| hits.last().copied())
    }
}

/// The escalation view's lines for the open runbook.
pub fn escalation_lines(app: &App, now: Instant) -> Vec<Line<'static>> {
    let t = app.theme;
    let Some(g) = &app.guide else {
        return vec![Line::raw("Open a runbook first: each runbook says who to call.")];
    };
    let mins = g.minutes_open(now);
    let mut out = vec![
        Line::from(vec![Span::styled(g.rb.title.clone(), t.title())]),
        Line::styled(format!("Opened {mins} min ago. Call in this order:"), t.dim()),
        Line::raw(""),
    ];
    if g.rb.meta.escalation.is_empty() {
        out.push(Line::raw("This runbook names no contacts. Use the escalation runbook or your team's on-call list."));
    }
    for (n, e) in g.rb.meta.escalation.iter().enumerate() {
        out.push(Line::from(vec![Span::styled(format!("{}. {}", n + 1, e.name), Style::new().patch(t.answer()))]));
        out.push(Line::raw(format!("   contact: {}", e.contact.as_deref().unwrap_or("(none given)"))));
        if let Some(w) = &e.when {
            out.push(Line::raw(format!("   when: {w}")));
        }
        if let Some(after) = e.after_minutes {
            let after_u = u64::try_from(after).unwrap_or(0);
            if mins >= after_u {
                out.push(Line::styled(
                    format!("   ⚠ {after} min have passed since you opened this runbook: call now"),
                    t.danger(),
                ));
            } else {
                out.push(Line::styled(
                    format!("   call after {after} min (in {} min) if not resolved", after_u - mins),
                    t.warn(),
                ));
            }
        }
        out.push(Line::raw(""));
    }
    out
}

/// The escalation contacts as plain text (copied with `c`).
pub fn escalation_text(app: &App, now: Instant) -> Option<String> {
    app.guide.as_ref()?;
    let text: Vec<String> = escalation_lines(app, now).iter().map(line_text).collect();
    Some(text.join("\n").trim().to_owned())
}

/// Steps done / total for the header ("3/8").
pub fn progress(app: &App, g: &Guide) -> Option<(usize, usize)> {
    let total = g.total_steps();
    (total > 0).then(|| (app.checked.get(&g.rb.id).map_or(0, |s| s.len()), total))
}

/// A step's text as plain text (for the confirmation dialog).
pub fn step_text(g: &Guide, n: usize) -> String {
    g.step(n).map(|s| plain_text(&s.text)).unwrap_or_default()
}
