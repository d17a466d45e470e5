//! Fitting a section into its rows: what scrolls, which answers stay in view below it, and
//! the row that says what is out of view. Drawing calls it with the settled scroll; the
//! arithmetic of the scroll itself is `tui::scroll`.

use std::ops::Range;

use ratatui::text::Line;

use super::lines::Rendered;
use super::{Guide, Item, Jump};
use crate::tui::scroll::Move;
use crate::tui::theme::Theme;

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
pub(super) fn visible_lines(g: &Guide, rendered: &Rendered, t: Theme, height: usize) -> Vec<Line<'static>> {
    let p = plan(rendered, height);
    let selected =
        g.selected_item().and_then(|it| rendered.items.iter().find(|(i, _)| *i == it)).map(|(_, r)| r.clone());
    if let Some(jump) = g.jump.take()
        && let Some(line) = jump_line(g, jump, rendered)
    {
        g.scroll.request(Move::Line(line));
    }
    // The focused link, else the selected answer or step, stays in view.
    let focused = g.link.and_then(|k| rendered.links.get(k)).cloned();
    let keep = focused.or_else(|| selected.clone()).filter(|r| r.end <= p.scrolled.end);
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
    let below = if answers > 0 {
        Some(format!("{answers} more answer(s)"))
    } else if steps > 0 {
        Some(format!("{steps} more step(s)"))
    } else {
        (lines_below > 0).then(|| format!("{lines_below} more line(s)"))
    };
    // Above pinned answers, the arrows choose an answer: only the page keys scroll.
    let keys = if pinned { "  PgUp PgDn scroll" } else { "  ↑↓ PgUp PgDn" };
    crate::tui::chrome::out_of_view(t, shown.start, below, keys)
}

/// The find query, lowercased, if one is typed.
pub(super) fn find_query(g: &Guide) -> Option<String> {
    g.find.as_ref().map(|f| f.query.text.to_lowercase()).filter(|q| !q.is_empty())
}

/// The line a jump lands on: the next (or previous) find match, two lines below the top, or
/// where a section starts.
pub(super) fn jump_line(g: &Guide, jump: Jump, rendered: &Rendered) -> Option<usize> {
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

pub(super) fn line_text(line: &Line<'_>) -> String {
    line.spans.iter().map(|s| s.content.as_ref()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::guide_screen::draw::content;
    use crate::tui::guide_screen::testing::{guide_of, look};
    use crate::tui::incident::Incident;

    fn rows(g: &super::super::Guide, height: usize) -> Vec<String> {
        let incident = Incident::default();
        let look = look(&incident);
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
}
