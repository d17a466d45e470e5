//! The session journal: everything the responder did, appended as JSON lines and flushed on
//! every event, so a dropped SSH link or a killed process loses at most the line being
//! written. Read back for the handoff report (`runbook journal`) and to resume a session.

pub mod drill;
mod events;
pub mod insights;
pub mod report;
pub mod resume;
pub mod stamp;

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

pub use events::{Drill, Event, Place, Record, ShellHow};
pub use stamp::Stamp;

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
}

/// Where drills are recorded: beside the sessions, never among them.
pub fn drills_dir() -> Option<PathBuf> {
    sessions_dir().and_then(|s| s.parent().map(|p| p.join("drills")))
}

/// `$RUNBOOK_STATE_DIR/sessions`, else `$XDG_STATE_HOME/runbook/sessions` (`~/.local/state`).
pub fn sessions_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("RUNBOOK_STATE_DIR").filter(|v| !v.is_empty()) {
        return Some(PathBuf::from(d).join("sessions"));
    }
    dirs::state_dir()
        .or_else(|| dirs::home_dir().map(|h| h.join(".local/state")))
        .map(|d| d.join("runbook").join("sessions"))
}

/// This machine's name, for the journal.
pub fn host() -> String {
    let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .ok()
        .filter(|h| !h.is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "unknown".into());
    crate::text::one_line(&host)
}

/// An open journal file, appended to.
#[derive(Debug)]
pub struct Journal {
    file: File,
    pub path: PathBuf,
}

impl Journal {
    /// Start a new session file in `dir` (created user-only).
    pub fn create(dir: &Path) -> Result<Journal, JournalError> {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|source| JournalError::Dir { path: dir.to_owned(), source })?;
        let name = format!("{}-{}.jsonl", jiff::Zoned::now().strftime("%Y%m%dT%H%M%S"), std::process::id());
        Journal::open(&dir.join(name))
    }

    /// Append to an existing session file (resume), or create it.
    pub fn open(path: &Path) -> Result<Journal, JournalError> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(path)
            .map_err(|source| JournalError::Write { path: path.to_owned(), source })?;
        Ok(Journal { file, path: path.to_owned() })
    }

    /// Write one event as one line; the write goes to the kernel before this returns.
    pub fn append(&mut self, event: Event) -> Result<(), JournalError> {
        let record = Record { at: Stamp::now(), event };
        let mut line = serde_json::to_string(&record).unwrap_or_default();
        line.push('\n');
        self.file
            .write_all(line.as_bytes())
            .and_then(|()| self.file.flush())
            .map_err(|source| JournalError::Write { path: self.path.clone(), source })
    }
}

/// A session file as read back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Log {
    pub records: Vec<Record>,
    /// Lines that are not a record (a half-written last line after a kill, a hand edit, a
    /// time that is not a time): skipped, and counted for the report.
    pub unreadable: usize,
}

/// Read a session. A line that does not parse is skipped and counted, never fatal.
pub fn read(path: &Path) -> Result<Log, JournalError> {
    let text = std::fs::read(path).map_err(|source| JournalError::Read { path: path.to_owned(), source })?;
    Ok(parse_log(&String::from_utf8_lossy(&text)))
}

/// The records of a journal's text (see [`read`]).
pub fn parse_log(text: &str) -> Log {
    let mut log = Log::default();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        match serde_json::from_str(line) {
            Ok(record) => log.records.push(record),
            Err(_) => log.unreadable += 1,
        }
    }
    log
}

/// Session files, oldest first.
pub fn list(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "jsonl")).collect())
        .unwrap_or_default();
    files.sort();
    files
}

/// The id of a session: its file name without `.jsonl`.
pub fn session_id(path: &Path) -> String {
    path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default()
}

/// How a session that ended on purpose says so.
pub const END_QUIT: &str = "quit";

/// Whether the session did not end by the responder quitting (killed, link dropped).
pub fn ended_abruptly(records: &[Record]) -> bool {
    !records.is_empty()
        && !matches!(records.last().map(|r| &r.event), Some(Event::SessionEnd { reason, .. }) if reason == END_QUIT)
}

/// What the responder left undone when they quit (a procedure's steps), if they quit so.
pub fn unfinished(records: &[Record]) -> Option<&str> {
    match records.last().map(|r| &r.event) {
        Some(Event::SessionEnd { reason, unfinished: Some(left) }) if reason == END_QUIT => Some(left),
        _ => None,
    }
}

/// Whether the next start offers to take the session up again: it was cut off, or quit in
/// the middle of a procedure.
pub fn resumable(records: &[Record]) -> bool {
    ended_abruptly(records) || unfinished(records).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_truncated_last_line_is_tolerated() {
        let dir = tempfile::TempDir::new().unwrap();
        let mut j = Journal::create(dir.path()).unwrap();
        j.append(Event::Search { query: "disk full".into(), results: Some(3) }).unwrap();
        j.append(Event::Note { place: None, step: None, text: "tried df".into() }).unwrap();
        let path = j.path.clone();
        drop(j);
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(b"{\"at\":\"2026-11-25T03:00:00+00:00\",\"event\":\"no").unwrap();
        let log = read(&path).unwrap();
        assert_eq!((log.records.len(), log.unreadable), (2, 1));
        assert!(ended_abruptly(&log.records));
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).map(|m| m.permissions().mode() & 0o777).unwrap_or(0);
        assert_eq!(mode, 0o600, "readable by the user only");
    }

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
