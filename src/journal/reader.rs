//! Reading journals back, trusting none: a session file is opened without following a link
//! or blocking (a FIFO answers nothing), must be a regular file, and is read up to a cap; a
//! line that is not a record is counted, never fatal. Sessions are listed by the start they
//! recorded (not by file name), each with how it ended: running in another terminal (its
//! lock is held), quit, quit with a procedure unfinished, cut off, dropped, or not a journal.

use std::fs::OpenOptions;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use super::{END_QUIT, Event, JournalError, Place, Record, Stamp};

/// Larger than any session's journal (a long night is a few hundred KB): a bigger file is
/// not read.
pub const MAX_BYTES: u64 = 16 * 1024 * 1024;

/// A session file as read back.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Log {
    pub records: Vec<Record>,
    /// Lines that are not a record (a half-written last line after a kill, a hand edit, a
    /// time that is not a time): skipped, and counted for the report.
    pub unreadable: usize,
    /// The file it was read from (`read`), to name the session.
    pub path: Option<std::path::PathBuf>,
}

/// Read a session: a regular file of at most `MAX_BYTES`, not through a link.
pub fn read(path: &Path) -> Result<Log, JournalError> {
    use crate::files::{Links, ReadError};
    match crate::files::read(path, MAX_BYTES, Links::Refuse) {
        Ok(bytes) => Ok(Log { path: Some(path.to_owned()), ..parse_log(&String::from_utf8_lossy(&bytes)) }),
        Err(ReadError::Open(source) | ReadError::Read(source)) => {
            Err(JournalError::Read { path: path.to_owned(), source })
        }
        Err(ReadError::NotRegular | ReadError::TooLarge { .. }) => Err(JournalError::NotAJournal(path.to_owned())),
    }
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

/// Sessions from the system log (see `copies`): `journalctl -t runbook -o json` output (one
/// JSON object per line, the record in `RUNBOOK_RECORD`), or syslog lines holding
/// `RUNBOOK_SESSION=<id> <record>`; grouped by session, in the order read. Other lines are
/// counted as unreadable in the first session.
pub fn from_system_log(text: &str) -> Vec<Log> {
    let mut sessions: Vec<(String, Log)> = Vec::new();
    let mut by_id: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut unreadable = 0;
    // journalctl writes a field with bytes that are not printable as an array of numbers.
    let field = |v: &serde_json::Value| -> Option<String> {
        match v {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Array(bytes) => {
                let b: Option<Vec<u8>> = bytes.iter().map(|x| x.as_u64().and_then(|n| u8::try_from(n).ok())).collect();
                Some(String::from_utf8_lossy(&b?).into_owned())
            }
            _ => None,
        }
    };
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let entry = if line.trim_start().starts_with('{') {
            serde_json::from_str::<serde_json::Value>(line).ok().and_then(|v| {
                let session = field(v.get("RUNBOOK_SESSION")?)?;
                let record = field(v.get("RUNBOOK_RECORD")?)?;
                Some((session, record))
            })
        } else {
            line.split_once("RUNBOOK_SESSION=").and_then(|(_, rest)| {
                let (session, record) = rest.split_once(' ')?;
                Some((session.to_owned(), record.to_owned()))
            })
        };
        let Some((session, record)) = entry else {
            unreadable += 1;
            continue;
        };
        let session = crate::text::one_line(&session);
        let i = match by_id.get(&session) {
            Some(i) => *i,
            None => {
                let path = Some(std::path::PathBuf::from(format!("{session}.jsonl")));
                by_id.insert(session.clone(), sessions.len());
                sessions.push((session, Log { path, ..Log::default() }));
                sessions.len() - 1
            }
        };
        if let Some((_, log)) = sessions.get_mut(i) {
            match serde_json::from_str(&record) {
                Ok(r) => log.records.push(r),
                Err(_) => log.unreadable += 1,
            }
        }
    }
    let mut logs: Vec<Log> = sessions.into_iter().map(|(_, l)| l).collect();
    if let Some(first) = logs.first_mut() {
        first.unreadable += unreadable;
    }
    logs
}

#[cfg(test)]
mod system_log_tests {
    use super::*;

    #[test]
    fn entries_read_back_by_session_whatever_form_journalctl_gives() {
        let rec = |q: &str| format!(r#"{{"at":"2026-12-06T03:00:00+00:00","event":"search","query":"{q}"}}"#);
        let bytes: Vec<String> = rec("b").bytes().map(|b| b.to_string()).collect();
        let text = [
            serde_json::json!({"RUNBOOK_SESSION": "s1", "RUNBOOK_RECORD": rec("a")}).to_string(),
            format!(r#"{{"RUNBOOK_SESSION":"s2","RUNBOOK_RECORD":[{}]}}"#, bytes.join(",")),
            serde_json::json!({"RUNBOOK_SESSION": "s1", "RUNBOOK_RECORD": null}).to_string(),
            format!("Dec 06 03:00:01 vm runbook[42]: RUNBOOK_SESSION=s1 {}", rec("c")),
            "garbage".to_owned(),
        ]
        .join("\n");
        let logs = from_system_log(&text);
        let queries = |l: &Log| -> Vec<String> {
            l.records
                .iter()
                .filter_map(|r| match &r.event {
                    crate::journal::Event::Search { query, .. } => Some(query.clone()),
                    _ => None,
                })
                .collect()
        };
        assert_eq!(logs.len(), 2);
        assert_eq!(queries(&logs[0]), ["a", "c"]);
        assert_eq!(queries(&logs[1]), ["b"]);
        assert_eq!(logs[0].unreadable, 2, "the null field and the garbage line are counted");
    }
}

/// How a session ended, as far as its journal and its lock tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// Another process holds its lock: it is running now.
    Running,
    Quit,
    /// Quit with these steps not done.
    Unfinished(String),
    /// Killed or cut off: the signal it recorded, or none.
    Cut(Option<String>),
    /// The responder chose not to take it up again.
    Dropped,
    /// Not a journal: why.
    Unreadable(String),
}

impl Ending {
    pub(crate) fn label(&self) -> &'static str {
        match self {
            Ending::Running => "running now",
            Ending::Quit => "quit",
            Ending::Unfinished(_) => "quit unfinished",
            Ending::Cut(_) => "ended abruptly",
            Ending::Dropped => "dropped",
            Ending::Unreadable(_) => "not a journal",
        }
    }
}

/// One session file and what it holds.
#[derive(Debug, Clone)]
pub struct SessionFile {
    pub path: PathBuf,
    pub id: String,
    /// The start it recorded (its first record's time).
    pub started: Option<Stamp>,
    pub ending: Ending,
    /// Where the responder was last.
    pub place: Option<Place>,
    /// How many steps were checked.
    pub done: usize,
    /// Whether anything happened in it beyond starting and ending.
    pub active: bool,
}

impl SessionFile {
    /// Whether the next start may offer it: cut off or quit unfinished, somewhere to go back
    /// to, and no process running it.
    pub(crate) fn resumable(&self) -> bool {
        matches!(self.ending, Ending::Cut(_) | Ending::Unfinished(_)) && self.place.is_some()
    }
}

/// The sessions in `dir`, oldest first by the start they recorded; files with no readable
/// record first of all, so that none is ever taken for the latest session.
pub fn sessions(dir: &Path) -> Vec<SessionFile> {
    let mut out: Vec<SessionFile> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "jsonl"))
                .map(|p| session_file(&p))
                .collect()
        })
        .unwrap_or_default();
    out.sort_by(|a, b| {
        let key = |s: &SessionFile| (s.started.and_then(Stamp::timestamp), s.id.clone());
        key(a).cmp(&key(b))
    });
    out
}

fn session_file(path: &Path) -> SessionFile {
    let id = super::session_id(path);
    let log = read(path);
    let records = log.as_ref().map(|l| l.records.as_slice()).unwrap_or_default();
    let started = records.first().map(|r| r.at);
    let state = super::resume::replay(records);
    let (place, done) = (state.place, state.checked.values().map(|c| c.len()).sum());
    let active = records.iter().any(|r| !matches!(r.event, Event::SessionStart { .. } | Event::SessionEnd { .. }));
    let ending = match &log {
        Err(e) => Ending::Unreadable(e.to_string()),
        Ok(l) if l.records.is_empty() => Ending::Unreadable("no readable record".into()),
        Ok(_) if running(path) => Ending::Running,
        Ok(l) => ending(&l.records),
    };
    SessionFile { path: path.to_owned(), id, started, ending, place, done, active }
}

/// How the records say the session ended (its lock not looked at): dropped when the last
/// thing after its last resume was to drop it, else by its last end record.
pub fn ending(records: &[Record]) -> Ending {
    let mut since_resume = records.iter().rev().take_while(|r| !matches!(r.event, Event::Resumed { .. }));
    if since_resume.any(|r| matches!(r.event, Event::Dropped { .. })) {
        return Ending::Dropped;
    }
    match records.last().map(|r| &r.event) {
        Some(Event::SessionEnd { reason, unfinished: Some(left) }) if reason == END_QUIT => {
            Ending::Unfinished(left.clone())
        }
        Some(Event::SessionEnd { reason, unfinished: None }) if reason == END_QUIT => Ending::Quit,
        Some(Event::SessionEnd { reason, .. }) => Ending::Cut(Some(reason.clone())),
        _ => Ending::Cut(None),
    }
}

/// Whether another process holds the session's lock (it is running in another terminal).
pub fn running(path: &Path) -> bool {
    let Ok(file) = OpenOptions::new().read(true).custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK).open(path) else {
        return false;
    };
    file.try_lock_shared().is_err()
}
