//! Painting the guide screen: header, breadcrumb, the section (or page) with the selection
//! highlighted and kept in view, and the footer. The scroll offset is settled here, where the
//! drawn height is known; nothing else in the state changes.

use std::collections::BTreeSet;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::lines::{Rendered, Renderer, StepState};
use super::{Guide, GuideScreen, Jump, View};
use crate::runbook::SectionRole;
use crate::tui::chrome::{footer, inline_hints, truncate};
use crate::tui::incident::Incident;
use crate::tui::layout;
use crate::tui::scroll::Move;
use crate::tui::theme::Theme;

/// What drawing the guide needs besides the screen.
#[derive(Debug, Clone, Copy)]
pub struct Look<'a> {
    pub theme: Theme,
    pub incident: &'a Incident,
    /// The status message, shown in the footer instead of the key hints.
    pub status: Option<&'a str>,
}

struct Checked<'a> {
    set: Option<&'a BTreeSet<usize>>,
    offset: usize,
}

impl StepState for Checked<'_> {
    fn checked(&self, n: usize) -> bool {
        self.set.is_some_and(|s| s.contains(&(self.offset + n)))
    }
}

pub fn draw(frame: &mut Frame<'_>, screen: &GuideScreen, look: Look<'_>) {
    let t = look.theme;
    let a = layout::guide(frame.area(), !screen.history.is_empty());
    let g = &screen.guide;
    let mut header = vec![Span::styled(format!(" {} ", g.rb.title), t.title())];
    if let Some(sev) = g.rb.meta.severity {
        header.push(Span::styled(format!(" {} ", sev.as_str()), t.severity(sev)));
    }
    if let Some((done, total)) = screen.progress(look.incident) {
        header.push(Span::styled(format!(" steps {done}/{total}"), if done == total { t.done() } else { t.warn() }));
    }
    frame.render_widget(Paragraph::new(Line::from(truncate(header, usize::from(a.header.width)))), a.header);
    frame.render_widget(Paragraph::new(crumbs(screen, usize::from(a.crumbs.width))).style(t.dim()), a.crumbs);
    let rendered = content(g, look, a.content.width.saturating_sub(2));
    let height = usize::from(a.content.height);
    let selected = g.selected_item().and_then(|it| rendered.items.iter().find(|(i, _)| *i == it)).map(|(_, r)| r);
    if let Some(jump) = g.jump.take()
        && let Some(line) = jump_line(g, jump, &rendered)
    {
        g.scroll.request(Move::Line(line));
    }
    let scroll = g.scroll.settle(rendered.lines.len(), height, selected.cloned());
    let mut lines: Vec<Line<'static>> = rendered.lines.iter().skip(scroll).take(height).cloned().collect();
    if let Some(range) = selected {
        for (i, l) in lines.iter_mut().enumerate() {
            if range.contains(&(i + scroll)) {
                l.style = t.selected();
            }
        }
    }
    if let Some(q) = find_query(g) {
        for l in &mut lines {
            if line_text(l).to_lowercase().contains(&q) {
                l.style = l.style.patch(t.mark());
            }
        }
    }
    let area = Rect { x: a.content.x + 1, width: a.content.width.saturating_sub(1), ..a.content };
    frame.render_widget(Paragraph::new(lines), area);
    if let Some(f) = g.find.as_ref().filter(|f| f.editing) {
        frame.render_widget(
            Paragraph::new(Line::from(vec![Span::styled("/", t.key()), Span::raw(f.query.text.clone())])),
            a.footer,
        );
        return;
    }
    footer(frame, a.footer, t, look.status, footer_keys(g));
}

fn find_query(g: &Guide) -> Option<String> {
    g.find.as_ref().map(|f| f.query.text.to_lowercase()).filter(|q| !q.is_empty())
}

/// The line a jump lands on: the next (or previous) find match, two lines below the top, or
/// where a section starts.
fn jump_line(g: &Guide, jump: Jump, rendered: &Rendered) -> Option<usize> {
    match jump {
        Jump::Section(i) => rendered.section_starts.get(i).copied(),
        Jump::Find { forward } => {
            let q = find_query(g)?;
            let hits: Vec<usize> = rendered
                .lines
                .iter()
                .enumerate()
                .filter(|(_, l)| line_text(l).to_lowercase().contains(&q))
                .map(|(i, _)| i)
                .collect();
            let cur = g.scroll.top() + 2;
            let hit = if forward {
                hits.iter().copied().find(|&i| i > cur).or_else(|| hits.first().copied())
            } else {
                hits.iter().rev().copied().find(|&i| i < cur).or_else(|| hits.last().copied())
            };
            hit.map(|line| line.saturating_sub(2))
        }
    }
}

fn footer_keys(g: &Guide) -> &'static [(&'static str, &'static str)] {
    let sec = g.rb.sections.get(g.section);
    let has_answers = sec.is_some_and(|s| s.choices().next().is_some());
    let has_steps = sec.is_some_and(|s| s.steps().next().is_some());
    if g.view == View::Pager {
        &[("PgUp/PgDn", "scroll"), ("/", "find"), ("⌫", "back"), ("?", "help")]
    } else if has_answers && has_steps {
        &[("Space", "check"), ("c", "copy"), ("1-9", "answer"), ("⌫", "back"), ("e", "escalate"), ("?", "help")]
    } else if has_answers {
        &[("1-9", "answer"), ("⌫", "back"), ("e", "escalate"), ("?", "help")]
    } else if has_steps {
        &[("↑↓", "step"), ("Space", "check"), ("c", "copy"), ("r", "rollback"), ("e", "escalate"), ("?", "help")]
    } else {
        &[("Enter", "continue"), ("⌫", "back"), ("e", "escalate"), ("?", "help")]
    }
}

/// Lines of the guide: one section with its end-of-path panel, or the whole page.
fn content(g: &Guide, look: Look<'_>, width: u16) -> Rendered {
    let theme = look.theme;
    let set = look.incident.checked_in(&g.rb.id);
    match g.view {
        View::Sections => {
            let state = Checked { set, offset: g.global_step(0) };
            let mut r = Renderer::new(theme, width, &state);
            if let Some(s) = g.rb.sections.get(g.section) {
                if !s.title.is_empty() && !same_title(&s.title, &g.rb.title) {
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
            let mut r = Renderer::new(theme, width, &state);
            for (i, s) in g.rb.sections.iter().enumerate() {
                r.out.section_starts.push(r.out.lines.len());
                // The header already says the title: a first heading that repeats it is left out.
                let repeats_title = i == 0 && same_title(&s.title, &g.rb.title);
                if !s.title.is_empty() && !repeats_title {
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
    match g.continue_to().and_then(|next| g.rb.sections.get(next)) {
        Some(next) => {
            r.push(Line::from(vec![Span::styled("Enter ", t.key()), Span::raw(format!("continue: {}", next.title))]));
        }
        None if g.next_section().is_none() && !g.rb.sections.iter().any(|s| s.choices().next().is_some()) => {
            r.push(Line::styled("── End of the runbook ──", t.dim()));
        }
        None => r.push(Line::styled("── End of this path ──", t.dim())),
    }
    let escalate = format!("escalate ({} contact(s))", g.rb.meta.escalation.len());
    r.push(inline_hints(t, &[("⌫", "back"), ("s", "new search"), ("e", &escalate)]));
}

fn line_text(line: &Line<'_>) -> String {
    line.spans.iter().map(|s| s.content.as_ref()).collect()
}

/// Whether a heading only repeats the runbook's title (which the header shows).
fn same_title(heading: &str, title: &str) -> bool {
    heading.trim().eq_ignore_ascii_case(title.trim())
}

/// The path taken: the sections (or runbooks) before this one and this section, cut from the
/// left when too long. Shown only when there is a path: the header names the runbook.
fn crumbs(screen: &GuideScreen, width: usize) -> String {
    let title = |g: &Guide| {
        g.rb.sections.get(g.section).map_or_else(
            || g.rb.title.clone(),
            |s| if s.title.is_empty() { g.rb.title.clone() } else { s.title.clone() },
        )
    };
    let mut parts: Vec<String> = screen.history.iter().map(title).collect();
    parts.push(title(&screen.guide));
    parts.dedup();
    let mut text = format!(" {}", parts.join(" › "));
    while text.width() > width && parts.len() > 1 {
        parts.remove(0);
        text = format!(" … › {}", parts.join(" › "));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runbook::{Origin, parse_text};
    use crate::tui::guide_screen::Item;
    use std::sync::Arc;
    use std::time::Instant;

    const TEXT: &str = "# Mixed\n\n## Check\n\n- [ ] Look at the disk\n\n  ```\n  df -h\n  ```\n\n> - [ ] a task in a quote is shown, not checked\n> - [x] [Nested answer](#fix)\n\n- [ ] Look at memory\n\nWhat do you see?\n\n* [Full](#fix)\n* [Fine](#fine)\n\n- [ ] One more step\n\n## Fix\n\nText.\n\n## Fine\n\nText.\n";

    /// Drawing finds each item where the model says it is, in the model's order.
    #[test]
    fn drawn_items_are_the_models_items() {
        let origin = Origin { root: 0, rel_path: "mixed.md".into(), file: "mixed.md".into() };
        let (rb, _) = parse_text(TEXT, origin);
        let g = super::super::Guide::new(Arc::new(rb), "runbooks".into(), Some("check"), Instant::now());
        let incident = Incident::default();
        let look = Look { theme: Theme { color: false }, incident: &incident, status: None };
        for width in [20, 58, 118] {
            let drawn: Vec<Item> = content(&g, look, width).items.into_iter().map(|(i, _)| i).collect();
            assert_eq!(drawn, g.items(), "at width {width}");
        }
        assert_eq!(g.items(), [Item::Step(0), Item::Step(1), Item::Answer(0), Item::Answer(1), Item::Step(2)]);
    }
}
