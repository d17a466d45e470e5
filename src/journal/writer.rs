//! Writing a session's journal so that nothing the responder did is lost or claimed saved
//! when it was not. Every event is a line that goes to the kernel before `append` returns,
//! or is held in memory (bounded) and written again at the next append or retry; a torn
//! last line (a full disk, a kill mid-write) is closed before anything is added after it; the
//! file is checked to be the one this session opened before each write, and recreated with
//! this session's lines when it vanished or was replaced; and the file is locked while the
//! session runs, so a second process never takes it for an abandoned session.

use std::collections::VecDeque;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};

use super::{Event, JournalError, Record, Stamp};

/// The most held in memory while the disk refuses writes; older held events are dropped past
/// it (and that is said).
const HELD_BYTES: usize = 4 * 1024 * 1024;

/// How the journal stands after a write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Health {
    /// Everything is on disk.
    Saved,
    /// `held` events are in memory only, because `why`; they are written when the disk takes
    /// them. `lost` were dropped when the memory held too much.
    Held { held: usize, lost: usize, why: String },
}

/// An open journal file, appended to, locked for this process.
#[derive(Debug)]
pub(crate) struct Journal {
    pub path: PathBuf,
    file: Option<File>,
    /// The file's identity (device, inode) when this session opened it.
    identity: (u64, u64),
    /// Every line of this session that is on disk (to recreate a vanished file).
    written: Vec<String>,
    held: VecDeque<String>,
    held_bytes: usize,
    lost: usize,
    why: String,
    /// Said once: the file vanished or was replaced, and was written again.
    pub recreated: Option<PathBuf>,
    /// The last line appended (for the journal's copies).
    last: String,
}

impl Journal {
    /// Start a new session file in `dir` (created user-only), locked.
    pub(crate) fn create(dir: &Path) -> Result<Journal, JournalError> {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|source| JournalError::Dir { path: dir.to_owned(), source })?;
        let name = format!("{}-{}.jsonl", jiff::Zoned::now().strftime("%Y%m%dT%H%M%S"), std::process::id());
        let path = dir.join(name);
        let file = OpenOptions::new()
            .create_new(true)
            .read(true)
            .append(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW)
            .open(&path)
            .map_err(|source| JournalError::Write { path: path.clone(), source })?;
        Journal::locked(path, file, Vec::new())
    }

    /// Take up an existing session file (resume): refused when another process holds it;
    /// a torn last line is closed first.
    pub(crate) fn open(path: &Path) -> Result<Journal, JournalError> {
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
            .open(path)
            .map_err(|source| JournalError::Write { path: path.to_owned(), source })?;
        let meta = file.metadata().map_err(|source| JournalError::Read { path: path.to_owned(), source })?;
        if !meta.is_file() || meta.len() > super::reader::MAX_BYTES {
            return Err(JournalError::NotAJournal(path.to_owned()));
        }
        let mut bytes = Vec::new();
        let _ = (&mut file).take(super::reader::MAX_BYTES).read_to_end(&mut bytes);
        let text = String::from_utf8_lossy(&bytes);
        let written = text.lines().map(|l| format!("{l}\n")).collect();
        let mut j = Journal::locked(path.to_owned(), file, written)?;
        if !text.is_empty() && !text.ends_with('\n') {
            // Close the torn line first, so the next record is a line of its own.
            j.held.push_back("\n".into());
            j.held_bytes += 1;
        }
        Ok(j)
    }

    fn locked(path: PathBuf, file: File, written: Vec<String>) -> Result<Journal, JournalError> {
        if file.try_lock().is_err() {
            return Err(JournalError::Running(path));
        }
        let meta = file.metadata().map_err(|source| JournalError::Read { path: path.clone(), source })?;
        Ok(Journal {
            path,
            file: Some(file),
            identity: (meta.dev(), meta.ino()),
            written,
            held: VecDeque::new(),
            held_bytes: 0,
            lost: 0,
            why: String::new(),
            recreated: None,
            last: String::new(),
        })
    }

    /// The last line appended, as written (a JSON record and its newline).
    pub(crate) fn last_line(&self) -> &str {
        &self.last
    }

    /// Record one event, now: written, or held until the disk takes it.
    pub(crate) fn append(&mut self, event: Event) -> Health {
        let record = Record { at: Stamp::now(), event };
        let mut line = serde_json::to_string(&record).unwrap_or_default();
        line.push('\n');
        self.last.clone_from(&line);
        self.held_bytes += line.len();
        self.held.push_back(line);
        while self.held_bytes > HELD_BYTES && self.held.len() > 1 {
            if let Some(old) = self.held.pop_front() {
                self.held_bytes = self.held_bytes.saturating_sub(old.len());
                self.lost += 1;
            }
        }
        self.flush()
    }

    /// Write what is held; how the journal stands.
    pub(crate) fn flush(&mut self) -> Health {
        if let Err(e) = self.check_file() {
            self.why = e.to_string();
            return self.health();
        }
        while let Some(line) = self.held.front().cloned() {
            match self.write_line(&line) {
                Ok(()) => {
                    self.held.pop_front();
                    self.held_bytes = self.held_bytes.saturating_sub(line.len());
                    if line != "\n" {
                        self.written.push(line);
                    }
                }
                Err(e) => {
                    self.why = e.to_string();
                    break;
                }
            }
        }
        self.health()
    }

    /// How the journal stands.
    pub(crate) fn health(&self) -> Health {
        if self.held.iter().all(|l| l == "\n") && self.lost == 0 {
            return Health::Saved;
        }
        let held = self.held.iter().filter(|l| *l != "\n").count();
        Health::Held { held, lost: self.lost, why: self.why.clone() }
    }

    /// Whether events wait to be written.
    pub(crate) fn holding(&self) -> bool {
        !self.held.is_empty()
    }

    /// One line, whole: a torn line left by a failed write is closed first.
    fn write_line(&mut self, line: &str) -> std::io::Result<()> {
        let file = self.file.as_mut().ok_or_else(|| std::io::Error::other("the journal file is not open"))?;
        let len = file.metadata()?.len();
        if len > 0 && line != "\n" {
            let mut last = [0u8; 1];
            file.seek(SeekFrom::Start(len - 1))?;
            file.read_exact(&mut last)?;
            if last[0] != b'\n' {
                file.write_all(b"\n")?;
            }
        }
        file.write_all(line.as_bytes())?;
        file.flush()
    }

    /// The path still names the file this session opened; when it vanished or was replaced,
    /// this session's lines are written to a new file (at the same path when it is free).
    fn check_file(&mut self) -> std::io::Result<()> {
        let same =
            std::fs::symlink_metadata(&self.path).is_ok_and(|m| m.is_file() && (m.dev(), m.ino()) == self.identity);
        if same && self.file.is_some() {
            return Ok(());
        }
        let path = if std::fs::symlink_metadata(&self.path).is_err() {
            self.path.clone()
        } else {
            // Something else took its name: never write into it.
            let stem = self.path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            self.path.with_file_name(format!("{stem}-recovered-{}.jsonl", std::process::id()))
        };
        let mut file = OpenOptions::new()
            .create_new(true)
            .read(true)
            .append(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW)
            .open(&path)?;
        let _ = file.try_lock();
        for line in &self.written {
            file.write_all(line.as_bytes())?;
        }
        let meta = file.metadata()?;
        self.identity = (meta.dev(), meta.ino());
        self.file = Some(file);
        self.recreated = Some(path.clone());
        self.path = path;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn note(text: &str) -> Event {
        Event::Note { place: None, step_id: None, text: text.into() }
    }

    fn lines(path: &Path) -> Vec<String> {
        std::fs::read_to_string(path).unwrap_or_default().lines().map(str::to_owned).collect()
    }

    #[test]
    fn a_write_that_fails_is_held_said_and_written_once_the_disk_takes_it() {
        let dir = tempfile::TempDir::new().unwrap();
        let mut j = Journal::create(dir.path()).unwrap();
        assert_eq!(j.append(note("one")), Health::Saved);
        // The disk refuses writes: a handle that cannot write stands in for a full disk.
        let good = j.file.replace(File::open(&j.path).unwrap());
        for n in ["two", "three"] {
            match j.append(note(n)) {
                Health::Held { held, lost: 0, why } => assert!(held >= 1 && !why.is_empty()),
                other => panic!("claimed {other:?} while nothing could be written"),
            }
        }
        assert_eq!(lines(&j.path).len(), 1, "nothing more on disk");
        j.file = good;
        assert_eq!(j.append(note("four")), Health::Saved);
        let texts: Vec<String> = read_texts(&j.path);
        assert_eq!(texts, ["one", "two", "three", "four"], "held events written, in order");
    }

    fn read_texts(path: &Path) -> Vec<String> {
        let log = super::super::read(path).unwrap();
        log.records
            .into_iter()
            .filter_map(|r| match r.event {
                Event::Note { text, .. } => Some(text),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_torn_last_line_is_closed_before_the_next_record() {
        let dir = tempfile::TempDir::new().unwrap();
        let mut j = Journal::create(dir.path()).unwrap();
        j.append(note("one"));
        let path = j.path.clone();
        OpenOptions::new().append(true).open(&path).unwrap().write_all(b"{\"at\":\"2026-11-25T03:0").unwrap();
        j.append(note("two"));
        drop(j);
        let log = super::super::read(&path).unwrap();
        assert_eq!((read_texts(&path), log.unreadable), (vec!["one".to_owned(), "two".to_owned()], 1));
        // A resumed session's first record is not swallowed by a torn line either.
        OpenOptions::new().append(true).open(&path).unwrap().write_all(b"{\"torn").unwrap();
        let mut again = Journal::open(&path).unwrap();
        again.append(note("three"));
        assert_eq!(read_texts(&path), ["one", "two", "three"]);
    }

    #[test]
    fn a_journal_deleted_or_replaced_under_the_session_is_written_again() {
        let dir = tempfile::TempDir::new().unwrap();
        let mut j = Journal::create(dir.path()).unwrap();
        j.append(note("one"));
        let path = j.path.clone();
        std::fs::remove_file(&path).unwrap();
        j.append(note("two"));
        assert_eq!(j.recreated.as_deref(), Some(path.as_path()));
        assert_eq!(read_texts(&path), ["one", "two"], "recreated with this session's lines");
        // Replaced by another file: that file is left alone, the session goes on elsewhere.
        std::fs::remove_file(&path).unwrap();
        std::fs::write(&path, "someone else's\n").unwrap();
        j.recreated = None;
        j.append(note("three"));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "someone else's\n");
        let moved = j.recreated.clone().unwrap();
        assert_ne!(moved, path);
        assert_eq!(read_texts(&moved), ["one", "two", "three"]);
    }

    #[test]
    fn a_session_file_is_locked_while_its_session_runs() {
        let dir = tempfile::TempDir::new().unwrap();
        let j = Journal::create(dir.path()).unwrap();
        assert!(super::super::running(&j.path), "held by this session");
        assert!(matches!(Journal::open(&j.path), Err(JournalError::Running(_))), "a second taker is refused");
        let path = j.path.clone();
        drop(j);
        assert!(!super::super::running(&path));
        assert!(Journal::open(&path).is_ok());
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).map(|m| m.permissions().mode() & 0o777).unwrap_or(0);
        assert_eq!(mode, 0o600, "readable by the user only");
    }
}
