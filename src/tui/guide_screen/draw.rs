//! Painting the guide screen: header, breadcrumb, the section (or page) with the selection
//! highlighted and kept in view, and the footer. The scroll offset is settled here, where the
//! drawn height is known; nothing else in the state changes.

use std::collections::BTreeMap;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::lines::{Rendered, Renderer, StepState};
use super::view::visible_lines;
use super::{Enter, Guide, GuideScreen, View};
use crate::runbook::SectionRole;
use crate::tui::action::Action;
use crate::tui::chrome::{footer, footer_rows, inline_hints, truncate};
use crate::tui::incident::Incident;
use crate::tui::keymap::KeyContext;
use crate::tui::keys;
use crate::tui::layout;
use crate::tui::theme::Theme;

/// What drawing the guide needs besides the screen.
#[derive(Debug, Clone, Copy)]
pub(crate) struct DrawContext<'a> {
    pub theme: Theme,
    pub incident: &'a Incident,
    /// The team file's facts: commands show them in place of their inputs' examples.
    pub facts: &'a BTreeMap<String, String>,
    /// The status message, shown in the footer instead of the key hints.
    pub status: Option<&'a str>,
    /// Today, for the review-overdue mark.
    pub today: jiff::civil::Date,
}

/// What the incident says of the open runbook's steps, for drawing them.
struct Checked<'a> {
    runbook: &'a str,
    incident: &'a Incident,
    facts: &'a BTreeMap<String, String>,
}

impl StepState for Checked<'_> {
    fn checked(&self, step: &crate::runbook::Step) -> bool {
        self.incident.is_checked(self.runbook, &step.id)
    }

    fn input(&self, name: &str, label: Option<&str>) -> Option<String> {
        self.incident.value(name, label, self.facts).map(str::to_owned)
    }
}

pub fn draw(frame: &mut Frame<'_>, screen: &GuideScreen, look: DrawContext<'_>) {
    let t = look.theme;
    let alert = look.incident.alert();
    let footer_height = footer_rows(look.status, frame.area().width);
    let a = layout::guide(frame.area(), !screen.history.is_empty(), alert.is_some(), footer_height);
    let g = &screen.guide;
    let mut header = vec![Span::styled(format!(" {} ", g.rb.title), t.title())];
    if let Some(sev) = g.rb.meta.severity {
        header.push(Span::styled(format!(" {} ", sev.as_str()), t.severity(sev)));
    }
    if g.rb.meta.review_due().is_some_and(|due| due < look.today) {
        header.push(Span::styled(" review overdue", t.warn()));
    }
    if let Some((done, total)) = screen.progress(look.incident) {
        header.push(Span::styled(format!(" steps {done}/{total}"), if done == total { t.done() } else { t.warn() }));
    }
    if let Some(alert) = alert {
        let line = vec![Span::styled(format!(" ⚠ {alert}"), t.warn())];
        frame.render_widget(Paragraph::new(Line::from(truncate(line, usize::from(a.alert.width)))), a.alert);
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
    footer(frame, a.footer, t, look.status, &footer_keys(g, look.incident));
}

/// The footer's keys: first what Enter does here (the same `Guide::enter` the key does),
/// then the keys of what the section holds, each written as the table of keys writes it.
fn footer_keys(g: &Guide, incident: &Incident) -> Vec<(&'static str, &'static str)> {
    let sec = g.rb.sections.get(g.section);
    let has_answers = sec.is_some_and(|s| s.choices().next().is_some());
    let has_steps = sec.is_some_and(|s| s.steps().next().is_some());
    let mut wanted: Vec<(Action, &'static str)> =
        g.enter(incident).hint().map(|h| (Action::Activate, h)).into_iter().collect();
    let (back, escalate, help) = ((Action::Back, "back"), (Action::Escalation, "escalate"), (Action::Help, "help"));
    let rest: &[(Action, &str)] = if g.view == View::Pager {
        &[(Action::PageDown, "scroll"), (Action::Find, "find"), back, help]
    } else if has_answers && has_steps {
        &[(Action::Toggle, "check"), (Action::Copy, "copy"), (Action::Answer(0), "answer"), back, escalate, help]
    } else if has_answers {
        &[(Action::Answer(0), "answer"), back, escalate, help]
    } else if has_steps {
        &[
            (Action::Down, "step"),
            (Action::Toggle, "check"),
            (Action::Copy, "copy"),
            (Action::Rollback, "rollback"),
            escalate,
            help,
        ]
    } else {
        &[back, escalate, help]
    };
    wanted.extend_from_slice(rest);
    keys::hints(KeyContext::Guide, &wanted)
}

/// Lines of the guide: one section with its end-of-path panel, or the whole page.
pub(super) fn content(g: &Guide, look: DrawContext<'_>, width: u16) -> Rendered {
    let theme = look.theme;
    let state = Checked { runbook: &g.rb.id, incident: look.incident, facts: look.facts };
    match g.view {
        View::Sections => {
            let mut r = Renderer::new(theme, width, &state);
            r.focus = g.link;
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
                    end_of_path(&mut r, g, look.incident);
                }
            }
            r.out
        }
        View::Pager => {
            let mut r = Renderer::new(theme, width, &state);
            r.focus = g.link;
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

/// What to do when a section asks nothing: next section, back, new search, escalate. What
/// Enter does comes from `Guide::enter`, as the footer's and the key's do.
fn end_of_path(r: &mut Renderer<'_>, g: &Guide, incident: &Incident) {
    let t = r.theme;
    r.blank();
    let title = |i: usize| g.rb.sections.get(i).map(|s| s.title.clone()).unwrap_or_default();
    match (g.enter(incident), g.continue_to()) {
        (Enter::Continue(next), _) => {
            r.push(Line::from(vec![Span::styled("Enter ", t.key()), Span::raw(format!("continue: {}", title(next)))]));
        }
        (Enter::Check(_), Some(next)) => r.push(Line::from(vec![
            Span::styled("Enter ", t.key()),
            Span::raw(format!("check the step, then continue: {}", title(next))),
        ])),
        _ if g.next_section().is_none() && !g.rb.sections.iter().any(|s| s.choices().next().is_some()) => {
            r.push(Line::styled("── End of the runbook ──", t.dim()));
        }
        _ => r.push(Line::styled("── End of this path ──", t.dim())),
    }
    let escalate = format!("escalate ({} contact(s))", g.rb.meta.escalation.len());
    let pairs = keys::hints(
        KeyContext::Guide,
        &[(Action::Back, "back"), (Action::NewSearch, "new search"), (Action::Escalation, &escalate)],
    );
    r.push(inline_hints(t, &pairs));
}

/// Whether a heading only repeats the runbook's title (which the header shows).
fn same_title(heading: &str, title: &str) -> bool {
    heading.trim().eq_ignore_ascii_case(title.trim())
}

/// The path taken: the sections (or runbooks) before this one and this section, cut from the
/// left when too long. Shown only when there is a path: the header names the runbook.
fn crumbs(screen: &GuideScreen, width: usize) -> String {
    // A section that only repeats its runbook's title is that runbook's introduction: named
    // so in the open runbook (the header has the title), by the title in another.
    let title = |g: &Guide| match g.rb.sections.get(g.section) {
        Some(s) if !s.title.is_empty() && !same_title(&s.title, &g.rb.title) => s.title.clone(),
        _ if g.rb.id == screen.guide.rb.id => "Introduction".to_owned(),
        _ => g.rb.title.clone(),
    };
    let mut parts: Vec<String> = screen.history.iter().map(title).collect();
    parts.push(title(&screen.guide));
    // The answers on the way there were inferred from the search, not given: say so.
    if let Some(p) = screen.inferred.checked_sub(1).and_then(|last| parts.get_mut(last)) {
        p.push_str(" (path from your search)");
    }
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
    use crate::tui::guide_screen::Item;
    use crate::tui::guide_screen::testing::{guide_of, look};
    use crate::tui::guide_screen::view::line_text;
    use ratatui::style::Modifier;

    const TEXT: &str = "# Mixed\n\nSee [Fix](#fix) first, **then [the *fine* part](#fine)**.\n\n## Check\n\nRead [the docs](https://example.com/a) and [Fix](#fix).\n\n> [!WARNING]\n> Ask [the owner](#fine) first.\n\n- [ ] Look at the [disk](#fix)\n\n  ```\n  df -h\n  ```\n\n> - [ ] a task in a quote is shown, not checked\n> - [x] [Nested answer](#fix)\n\n- [ ] Look at memory\n\nWhat do you see?\n\n* [Full](#fix)\n* [Fine](#fine)\n\n- [ ] One more step\n\n## Fix\n\nText.\n\n## Fine\n\nText.\n";

    /// Drawing finds each item where the model says it is, in the model's order.
    #[test]
    fn drawn_items_are_the_models_items() {
        let g = guide_of(TEXT, "check");
        let incident = Incident::default();
        let look = look(&incident);
        for width in [20, 58, 118] {
            let drawn: Vec<Item> = content(&g, look, width).items.into_iter().map(|(i, _)| i).collect();
            assert_eq!(drawn, g.items(), "at width {width}");
        }
        assert_eq!(g.items(), [Item::Step(0), Item::Step(1), Item::Answer(0), Item::Answer(1), Item::Step(2)]);
    }

    /// Drawing meets the model's links in the model's order, each on the lines it records,
    /// and draws the focused one selected.
    #[test]
    fn drawn_links_are_the_models_links() {
        let mut g = guide_of(TEXT, "check");
        let incident = Incident::default();
        let look = look(&incident);
        let labels: Vec<String> = g.links().into_iter().map(|l| l.label).collect();
        assert_eq!(
            labels,
            ["the docs", "Fix", "the owner", "disk", "Nested answer"],
            "a warning before its step, then the step"
        );
        for (k, label) in labels.iter().enumerate() {
            g.link = Some(k);
            let r = content(&g, look, 24);
            assert_eq!(r.links.len(), labels.len());
            let lines: String = r.links[k].clone().map(|i| line_text(&r.lines[i])).collect();
            assert!(lines.contains(label.as_str()), "{label} in {lines:?}");
            let selected: String = r
                .lines
                .iter()
                .flat_map(|l| &l.spans)
                .filter(|s| s.style.add_modifier.contains(Modifier::REVERSED))
                .map(|s| s.content.as_ref())
                .collect();
            assert_eq!(selected.trim(), label.as_str(), "only the focused link is drawn selected");
        }
        g.view = View::Pager;
        let page: Vec<String> = g.links().into_iter().map(|l| l.label).collect();
        assert_eq!(page[..2], ["Fix", "the fine part"], "one link per destination run: {page:?}");
        assert_eq!(content(&g, look, 58).links.len(), page.len());
    }
}
