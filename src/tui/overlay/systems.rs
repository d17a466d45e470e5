//! The systems view: the team file's systems, and for one of them what it is, who owns it
//! (and how to reach them), what it depends on, what depends on it, and every runbook that
//! names it in `systems:`. It answers "which component is this, who do I call, what else is
//! hit", from the search screen or a guide.

use ratatui::text::{Line, Span};

use crate::runbook::team::Team;
use crate::search::Entry;
use crate::tui::chrome::truncate;
use crate::tui::theme::Theme;

/// One row per system, cut to `width`: `nginx  Web server and reverse proxy`.
pub(crate) fn list(t: Theme, team: &Team, width: usize) -> Vec<Line<'static>> {
    if team.systems.is_empty() {
        return vec![Line::raw("No systems: the runbook folders have no team.yml listing them.")];
    }
    let w = team.systems.keys().map(|id| id.chars().count()).max().unwrap_or(0);
    team.systems
        .values()
        .map(|s| {
            let spans = vec![Span::styled(format!("{:<w$}  ", s.id), t.key()), Span::raw(s.what.clone())];
            Line::from(truncate(spans, width))
        })
        .collect()
}

/// The page of the `n`-th system (in id order).
pub(crate) fn detail(t: Theme, team: &Team, n: usize, entries: &[Entry]) -> Vec<Line<'static>> {
    let Some(s) = team.systems.values().nth(n) else { return list(t, team, usize::MAX) };
    let label = |l: &str| Span::styled(format!("{l:<15}"), t.dim());
    let mut out = vec![
        Line::from(vec![Span::styled(s.id.clone(), t.title()), Span::raw(format!("  {}", s.what))]),
        Line::raw(""),
    ];
    match s.owner.as_ref().map(|o| (o, team.contacts.get(o))) {
        Some((_, Some(c))) => {
            let role = c.role.as_ref().map(|r| format!(" ({r})")).unwrap_or_default();
            out.push(Line::from(vec![label("Owner, call:"), Span::styled(format!("{}{role}", c.name), t.answer())]));
            out.push(Line::from(vec![
                label(""),
                Span::raw(c.reach().unwrap_or_else(|| "(no phone or chat given)".into())),
            ]));
        }
        Some((id, None)) => out.push(Line::from(vec![
            label("Owner:"),
            Span::styled(format!("{id} (not a contact in team.yml)"), t.warn()),
        ])),
        None => out.push(Line::from(vec![label("Owner:"), Span::styled("nobody named in team.yml", t.warn())])),
    }
    let row = |out: &mut Vec<Line<'static>>, name: &str, items: Vec<String>| {
        let text = if items.is_empty() { "-".to_owned() } else { items.join(", ") };
        out.push(Line::from(vec![label(name), Span::raw(text)]));
    };
    row(&mut out, "Hosts:", s.hosts.clone());
    let what =
        |id: &String| team.systems.get(id).map_or_else(|| format!("{id} (unknown)"), |d| format!("{id} ({})", d.what));
    row(&mut out, "Depends on:", s.depends_on.iter().map(what).collect());
    row(&mut out, "Needed by:", team.dependents(&s.id).iter().map(|d| format!("{} ({})", d.id, d.what)).collect());
    row(&mut out, "Dashboards:", s.dashboards.clone());
    row(&mut out, "Logs:", s.logs.clone());
    out.push(Line::raw(""));
    let naming: Vec<&Entry> = entries.iter().filter(|e| e.systems.contains(&s.id)).collect();
    out.push(Line::styled(format!("Runbooks about {} ({}):", s.id, naming.len()), t.heading()));
    for e in naming {
        out.push(Line::from(vec![Span::raw(format!("  {}", e.title)), Span::styled(format!("  {}", e.id), t.dim())]));
    }
    out
}

/// The position of the first of `systems` (a runbook's) that the team file has.
pub(crate) fn position_of(team: &Team, systems: &[String]) -> Option<usize> {
    systems.iter().find_map(|id| team.systems.keys().position(|k| k == id))
}
