//! `runbook journal`: the latest session (or one by id) as a handoff report in markdown,
//! the list of sessions, or the raw events as JSON.

use std::io::Write;

use anyhow::Context as _;

use super::Outcome;
use crate::journal::{self, JournalError};

/// What to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Report,
    List,
    Json,
}

pub fn run(id: Option<&str>, mode: Mode) -> anyhow::Result<Outcome> {
    let dir = journal::sessions_dir().context("cannot tell where the session journal lives (no home folder)")?;
    let sessions = journal::sessions(&dir);
    let mut out = std::io::stdout().lock();
    if mode == Mode::List {
        for f in &sessions {
            let started = f.started.map_or_else(|| "-".to_owned(), |t| t.pretty());
            let detail = match (&f.ending, &f.place) {
                (journal::Ending::Unreadable(why), _) => why.clone(),
                (_, Some(p)) => format!("{} > {}", p.title, p.section_title),
                (_, None) => "-".into(),
            };
            writeln!(out, "{}  {started}  {:<15}  {}", f.id, f.ending.label(), crate::text::one_line(&detail))?;
        }
        return Ok(if sessions.is_empty() { Outcome::Findings } else { Outcome::Success });
    }
    let chosen = match id {
        Some(id) => sessions
            .iter()
            .find(|f| f.id == id)
            .with_context(|| format!("no session `{id}`; `runbook journal --list` shows them"))?,
        // The latest session in which something happened (by the start it recorded), else
        // the latest readable one.
        None => {
            let readable = || sessions.iter().rev().filter(|f| !matches!(f.ending, journal::Ending::Unreadable(_)));
            readable().find(|f| f.active).or_else(|| readable().next()).ok_or(JournalError::Empty(dir))?
        }
    };
    let log = journal::read(&chosen.path)?;
    if mode == Mode::Json {
        crate::output::write_json(&mut out, &log.records)?;
    } else {
        let report = journal::report::for_session(&chosen.path, &log, false);
        write!(out, "{}", journal::report::wrapped(&report, journal::report::WIDTH))?;
        let later = sessions.iter().rev().take_while(|f| f.id != chosen.id).count();
        if id.is_none() && later > 0 {
            let _ = writeln!(
                std::io::stderr(),
                "runbook: {later} later session(s) recorded nothing to report; `runbook journal --list` shows every one"
            );
        }
    }
    Ok(Outcome::Success)
}
