//! Watching the file an author previews (`runbook preview`): the only user of `notify`. The
//! folder is watched rather than the file, because editors save by writing a new file and
//! renaming it over the old one; a change counts once the file has been quiet for a moment,
//! since one save is several events.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

/// How long a file must be quiet after a change before it is read again.
const QUIET: Duration = Duration::from_millis(120);

pub struct Watch {
    _watcher: notify::RecommendedWatcher,
    events: Receiver<notify::Result<notify::Event>>,
    name: std::ffi::OsString,
    /// When the last change to the file was seen, until it is reported.
    pending: Option<Instant>,
}

impl std::fmt::Debug for Watch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watch").field("name", &self.name).field("pending", &self.pending).finish_non_exhaustive()
    }
}

impl Watch {
    /// Watch `file` (its folder must exist).
    pub fn new(file: &Path) -> Result<Watch, notify::Error> {
        let dir: PathBuf =
            file.parent().filter(|p| !p.as_os_str().is_empty()).map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let name = file.file_name().map(ToOwned::to_owned).unwrap_or_default();
        let (tx, events) = channel();
        let mut watcher = notify::recommended_watcher(tx)?;
        watcher.watch(&dir, RecursiveMode::NonRecursive)?;
        Ok(Watch { _watcher: watcher, events, name, pending: None })
    }

    /// Whether the file changed since the last call and has been quiet since.
    pub fn changed(&mut self, now: Instant) -> bool {
        while let Ok(event) = self.events.try_recv() {
            let ours = event.is_ok_and(|e| {
                !matches!(e.kind, notify::EventKind::Access(_))
                    && e.paths.iter().any(|p| p.file_name() == Some(self.name.as_os_str()))
            });
            if ours {
                self.pending = Some(now);
            }
        }
        match self.pending {
            Some(at) if now.saturating_duration_since(at) >= QUIET => {
                self.pending = None;
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_save_is_seen_once_it_is_quiet_and_other_files_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "# A\n").unwrap();
        let mut w = Watch::new(&file).unwrap();
        std::fs::write(dir.path().join("other.md"), "# B\n").unwrap();
        std::thread::sleep(Duration::from_millis(300));
        assert!(!w.changed(Instant::now()), "another file is not this one");
        // An editor's save: a new file renamed over the old one.
        std::fs::write(dir.path().join(".a.md.swp"), "# A2\n").unwrap();
        std::fs::rename(dir.path().join(".a.md.swp"), &file).unwrap();
        let mut seen = false;
        for _ in 0..50 {
            std::thread::sleep(Duration::from_millis(50));
            if w.changed(Instant::now()) {
                seen = true;
                break;
            }
        }
        assert!(seen, "the save was not seen");
        std::thread::sleep(Duration::from_millis(200));
        assert!(!w.changed(Instant::now()), "one save is reported once");
    }
}
