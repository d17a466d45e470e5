//! The session journal: everything the responder did, appended as JSON lines that reach the
//! kernel as each event happens (`writer`: held in memory while the disk refuses them, the
//! file locked while its session runs), so a dropped SSH link or a killed process loses at
//! most the line being written. Read back, capped and untrusted (`reader`), for the handoff
//! report (`runbook journal`) and to resume a session.

mod copies;
pub mod draft;
pub(crate) mod drill;
mod events;
pub mod insights;
mod reader;
pub mod report;
pub(crate) mod resume;
pub(crate) mod stamp;
pub mod suggest;
mod writer;

use std::path::{Path, PathBuf};

pub(crate) use copies::Copies;
pub use copies::Sharing;
pub use events::{Drill, Event, Place, Record, ShellHow, step_id};
pub use reader::{Ending, Log, MAX_BYTES, SessionFile, ending, from_system_log, parse_log, read, running, sessions};
pub(crate) use stamp::Stamp;
pub(crate) use writer::{Health, Journal};

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    #[error("cannot use the journal folder {path}: {source}")]
    Dir { path: PathBuf, source: std::io::Error },
    #[error("cannot write the journal {path}: {source}")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("cannot read the journal {path}: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("no session journal found in {0}; sessions are recorded when you use the interactive `runbook`")]
    Empty(PathBuf),
    #[error("{0} is not a session journal (not a regular file, or larger than 16 MiB)")]
    NotAJournal(PathBuf),
    #[error("the session {0} is running in another terminal; finish it there, or wait until it ends")]
    Running(PathBuf),
}

/// Where drills are recorded: beside the sessions, never among them.
pub(crate) fn drills_dir() -> Option<PathBuf> {
    sessions_dir().and_then(|s| s.parent().map(|p| p.join("drills")))
}

/// `$RUNBOOK_STATE_DIR/sessions`, else `$XDG_STATE_HOME/runbook/sessions` (`~/.local/state`).
pub(crate) fn sessions_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("RUNBOOK_STATE_DIR").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(d).join("sessions"));
    }
    dirs::state_dir()
        .or_else(|| dirs::home_dir().map(|h| h.join(".local/state")))
        .map(|d| d.join("runbook").join("sessions"))
}

/// This machine's name, for the journal.
pub(crate) fn host() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .ok()
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "unknown".into());
    crate::text::one_line(&host)
}

/// The id of a session: its file name without `.jsonl`.
pub(crate) fn session_id(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

/// How a session that ended on purpose says so.
pub(crate) const END_QUIT: &str = "quit";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_with_local_time() {
        let r = Record { at: Stamp::now(), event: Event::SessionEnd { reason: "quit".into(), unfinished: None } };
        let line = serde_json::to_string(&r).unwrap_or_default();
        assert!(line.contains("\"event\":\"session_end\""), "{line}");
        assert_eq!(serde_json::from_str::<Record>(&line).ok(), Some(r.clone()));
        let at = r.at.to_string();
        assert!(at.len() == 25 && matches!(at.as_bytes().get(19), Some(b'+' | b'-')), "{at}");
    }

    #[test]
    fn lines_that_are_not_records_are_counted_not_fatal() {
        let good = r#"{"at":"2026-11-25T03:00:00+01:00","event":"search","query":"disk"}"#;
        let text = [
            good,
            r#"{"at":"not a time","event":"search","query":"x"}"#,
            r#"{"at":"","event":"session_end","reason":"quit"}"#,
            r#"{"at":"2026-11-25T03:00:00+01:00","event":"no_such_event"}"#,
            "garbage \u{1b}[31m",
            "",
            good,
        ]
        .join("\n");
        let log = parse_log(&text);
        assert_eq!((log.records.len(), log.unreadable), (2, 4));
    }
}
