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
    let sessions = journal::list(&dir);
    let mut out = std::io::stdout().lock();
    if mode == Mode::List {
        for path in &sessions {
            let log = journal::read(path).unwrap_or_default();
            let records = log.records;
            let started = records.first().map_or_else(|| "unknown".to_owned(), |r| r.at.pretty());
            let state = journal::resume::replay(&records);
            let stopped =
                state.place.map(|p| format!("{} > {}", p.title, p.section_title)).unwrap_or_else(|| "-".into());
            let ended = if journal::ended_abruptly(&records) {
                "ended abruptly"
            } else if journal::unfinished(&records).is_some() {
                "quit unfinished"
            } else {
                "quit"
            };
            writeln!(
                out,
                "{}  {started}  {ended:<15}  {}",
                journal::session_id(path),
                crate::text::one_line(&stopped)
            )?;
        }
        return Ok(if sessions.is_empty() { Outcome::Findings } else { Outcome::Success });
    }
    let path = match id {
        Some(id) => sessions
            .iter()
            .find(|p| journal::session_id(p) == id)
            .cloned()
            .with_context(|| format!("no session `{id}`; `runbook journal --list` shows them"))?,
        None => sessions.last().cloned().ok_or(JournalError::Empty(dir))?,
    };
    let log = journal::read(&path)?;
    if mode == Mode::Json {
        crate::output::write_json(&mut out, &log.records)?;
    } else {
        let report = journal::report::for_session(&path, &log, false);
        write!(out, "{}", journal::report::wrapped(&report, journal::report::WIDTH))?;
    }
    Ok(Outcome::Success)
}
