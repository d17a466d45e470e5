//! Painting the guide screen: header, breadcrumb, the section (or page) with the selection
//! highlighted and kept in view, and the footer. The scroll offset is settled here, where the
//! drawn height is known; nothing else in the state changes.

use std::collections::BTreeSet;
use std::ops::Range;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::lines::{Rendered, Renderer, StepState};
use super::{Guide, GuideScreen, Item, Jump, View};
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
    let area = Rect { x: a.content.x + 1, width: a.content.width.saturating_sub(1), ..a.content };
    frame.render_widget(Paragraph::new(visible_lines(g, &rendered, t, usize::from(area.height))), area);
    if let Some(f) = g.find.as_ref().filter(|f| f.editing) {
        frame.render_widget(
            Paragraph::new(Line::from(vec![Span::styled("/", t.key()), Span::raw(f.query.text.clone())])),
            a.footer,
        );
        return;
    }
    footer(frame, a.footer, t, look.status, footer_keys(g));
}

/// How the content fills its rows: the lines that scroll, how many rows they get, the answer
/// lines kept in view below them, and whether a row says what is out of view.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Plan {
    scrolled: Range<usize>,
    rows: usize,
    pinned: Option<Range<usize>>,
    indicator: bool,
}

/// Content that fits is shown whole. Content that does not gets a row saying what is out of
/// view; and when a question's answers end the section and fit in two thirds of the rows,
/// they stay in view at the bottom while the text above them scrolls.
fn plan(rendered: &Rendered, height: usize) -> Plan {
    let nonblank = |r: Range<usize>| {
        let end =
            r.clone().rev().find(|&i| rendered.lines.get(i).is_some_and(|l| l.width() > 0)).map_or(r.start, |i| i + 1);
        r.start..end
    };
    let all = nonblank(0..rendered.lines.len());
    if all.end <= height {
        return Plan { scrolled: 0..rendered.lines.len(), rows: height, pinned: None, indicator: false };
    }
    let answers = rendered.items.iter().filter(|(i, _)| matches!(i, Item::Answer(_))).map(|(_, r)| r);
    let span = answers.fold(None, |acc: Option<Range<usize>>, r| {
        Some(acc.map_or(r.clone(), |a| a.start.min(r.start)..a.end.max(r.end)))
    });
    if let Some(span) = span.filter(|s| s.end == all.end && (s.end - s.start) * 3 <= height * 2) {
        let rows = height.saturating_sub(span.end - span.start + 1);
        return Plan { scrolled: nonblank(0..span.start), rows, pinned: Some(span), indicator: true };
    }
    Plan { scrolled: all, rows: height.saturating_sub(1), pinned: None, indicator: true }
}

/// The content's lines for `height` rows: scrolled (settling the asked-for move), with the
/// selection and find matches marked, pinned answers and the out-of-view row.
fn visible_lines(g: &Guide, rendered: &Rendered, t: Theme, height: usize) -> Vec<Line<'static>> {
    let p = plan(rendered, height);
    let selected =
        g.selected_item().and_then(|it| rendered.items.iter().find(|(i, _)| *i == it)).map(|(_, r)| r.clone());
    if let Some(jump) = g.jump.take()
        && let Some(line) = jump_line(g, jump, rendered)
    {
        g.scroll.request(Move::Line(line));
    }
    let keep = selected.clone().filter(|r| r.end <= p.scrolled.end);
    let top = g.scroll.settle(p.scrolled.len(), p.rows, keep);
    let shown = top..(top + p.rows).min(p.scrolled.end);
    let mut order: Vec<usize> = shown.clone().collect();
    if p.indicator {
        // The out-of-view row (and pinned answers) always sit at the same rows.
        order.resize(p.rows, usize::MAX);
    }
    let mut lines: Vec<Line<'static>> =
        order.iter().map(|&i| rendered.lines.get(i).cloned().unwrap_or_default()).collect();
    if p.indicator {
        lines.push(out_of_view(rendered, t, &shown, p.scrolled.end, p.pinned.is_some()));
        order.push(usize::MAX);
    }
    if let Some(pin) = &p.pinned {
        lines.extend(rendered.lines.get(pin.clone()).unwrap_or_default().iter().cloned());
        order.extend(pin.clone());
    }
    let q = find_query(g);
    for (l, i) in lines.iter_mut().zip(order) {
        if selected.as_ref().is_some_and(|r| r.contains(&i)) {
            l.style = t.selected();
        }
        if let Some(q) = &q
            && i != usize::MAX
            && line_text(l).to_lowercase().contains(q)
        {
            l.style = l.style.patch(t.mark());
        }
    }
    lines
}

/// The row that says what is out of view: lines above, and below the answers or steps (or
/// lines) still to come.
fn out_of_view(rendered: &Rendered, t: Theme, shown: &Range<usize>, end: usize, pinned: bool) -> Line<'static> {
    let below: Vec<Item> =
        rendered.items.iter().filter(|(_, r)| r.start >= shown.end && r.start < end).map(|(i, _)| *i).collect();
    let answers = below.iter().filter(|i| matches!(i, Item::Answer(_))).count();
    let steps = below.len() - answers;
    let lines_below = end.saturating_sub(shown.end);
    let mut parts = Vec::new();
    if shown.start > 0 {
        parts.push(format!("▲ {} line(s) above", shown.start));
    }
    if answers > 0 {
        parts.push(format!("▼ {answers} more answer(s)"));
    } else if steps > 0 {
        parts.push(format!("▼ {steps} more step(s)"));
    } else if lines_below > 0 {
        parts.push(format!("▼ {lines_below} more line(s)"));
    }
    // Above pinned answers, the arrows choose an answer: only the page keys scroll.
    let keys = match (parts.is_empty(), pinned) {
        (true, _) => "",
        (false, true) => "  PgUp PgDn scroll",
        (false, false) => "  ↑↓ PgUp PgDn",
    };
    Line::styled(format!("{}{keys}", parts.join("  ")), t.dim().add_modifier(Modifier::BOLD))
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
    use std::sync::Arc;
    use std::time::Instant;

    const TEXT: &str = "# Mixed\n\n## Check\n\n- [ ] Look at the disk\n\n  ```\n  df -h\n  ```\n\n> - [ ] a task in a quote is shown, not checked\n> - [x] [Nested answer](#fix)\n\n- [ ] Look at memory\n\nWhat do you see?\n\n* [Full](#fix)\n* [Fine](#fine)\n\n- [ ] One more step\n\n## Fix\n\nText.\n\n## Fine\n\nText.\n";

    fn guide_of(text: &str, section: &str) -> super::super::Guide {
        let origin = Origin { root: 0, rel_path: "t.md".into(), file: "t.md".into() };
        let (rb, _) = parse_text(text, origin);
        super::super::Guide::new(Arc::new(rb), "runbooks".into(), Some(section), Instant::now())
    }

    fn rows(g: &super::super::Guide, height: usize) -> Vec<String> {
        let incident = Incident::default();
        let look = Look { theme: Theme { color: false }, incident: &incident, status: None };
        let rendered = content(g, look, 58);
        visible_lines(g, &rendered, look.theme, height).iter().map(line_text).collect()
    }

    /// A question with a long text and seven answers at a phone's 17 content rows: the
    /// question and every answer are on screen, and a row says what text is out of view.
    #[test]
    fn a_long_questions_answers_stay_in_view() {
        let text = format!(
            "# T\n\n## Where is the slowness? {{#q}}\n\n{}\n{}",
            (1..=12).map(|n| format!("Line {n} of the explanation.\n\n")).collect::<String>(),
            (1..=7).map(|n| format!("- [Answer number {n}](#a)\n")).collect::<String>()
        );
        let g = guide_of(&(text + "\n## A {#a}\n\nText.\n"), "q");
        let shown = rows(&g, 17);
        assert_eq!(shown.len(), 17);
        assert!(shown[0].contains("Where is the slowness?"), "{shown:#?}");
        for n in 1..=7 {
            assert!(shown.iter().any(|l| l.contains(&format!("[{n}] Answer number {n}"))), "{shown:#?}");
        }
        assert!(shown.iter().any(|l| l.contains("more line(s)") && l.contains("PgUp PgDn scroll")), "{shown:#?}");
        g.scroll.request(Move::Bottom);
        let end = rows(&g, 17);
        assert!(end.iter().any(|l| l.contains("Line 12 of the explanation")), "{end:#?}");
        assert!(end.iter().any(|l| l.contains("line(s) above")), "{end:#?}");
        assert!(end.iter().any(|l| l.contains("[7] Answer number 7")), "{end:#?}");
    }

    #[test]
    fn content_that_fits_has_no_out_of_view_row_and_long_steps_say_how_many_follow() {
        let g = guide_of("# T\n\n## S {#s}\n\n- [ ] one\n- [ ] two\n", "s");
        assert!(!rows(&g, 17).iter().any(|l| l.contains('▼') || l.contains('▲')));
        let steps: String = (1..=20).map(|n| format!("- [ ] step {n}\n")).collect();
        let g = guide_of(&format!("# T\n\n## S {{#s}}\n\n{steps}"), "s");
        let shown = rows(&g, 10);
        assert_eq!(shown.len(), 10);
        assert!(shown[9].contains("▼") && shown[9].contains("more step(s)"), "{shown:#?}");
    }

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
