//! `runbook [SYMPTOM...]`: the interactive TUI on a terminal; plain output when stdout is not
//! a terminal (search results for a symptom, else the list).

use std::io::IsTerminal;

use anyhow::Context as _;

use super::{Context, Outcome};
use crate::output::ColorMode;

/// The TUI opened on alerts (`runbook alert`): one alert's runbook at once, several listed.
pub(crate) fn run_with_alerts(cx: &Context, alerts: Vec<crate::alert::Found>) -> anyhow::Result<Outcome> {
    start(cx, "", crate::tui::Resume::Never, alerts)
}

pub fn run(cx: &Context, query: &str, resume: Option<&str>) -> anyhow::Result<Outcome> {
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        // list and search say the notice themselves.
        return if query.trim().is_empty() {
            super::list::run(cx, false)
        } else {
            super::search::run(cx, query, 10, false, false)
        };
    }
    let resume = match resume {
        None => crate::tui::Resume::Offer,
        Some("") => crate::tui::Resume::Latest,
        Some(id) => crate::tui::Resume::Id(id.to_owned()),
    };
    start(cx, query, resume, Vec::new())
}

fn start(
    cx: &Context,
    query: &str,
    resume: crate::tui::Resume,
    alerts: Vec<crate::alert::Found>,
) -> anyhow::Result<Outcome> {
    let color = cx.color == ColorMode::Always;
    let notice = cx.notice.as_ref().map(|_| super::BUILT_IN_SHORT.to_owned());
    crate::tui::run(crate::tui::Options {
        copy: cx.copy,
        roots: cx.roots.clone(),
        color,
        query: query.to_owned(),
        resume,
        alerts,
        sharing: cx.sharing.clone(),
        meaning: cx.meaning,
        notice,
        name: cx.name.clone(),
        // The kit is as old as the binary: nothing to say about it.
        age: cx.notice.is_none(),
        preview: None,
        drill: None,
    })
    .context("the terminal UI failed")?;
    Ok(Outcome::Success)
}
