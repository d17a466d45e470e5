//! Watching the file an author previews (`runbook preview`): the only user of `notify`. The
//! folder is watched rather than the file, because editors save by writing a new file and
//! renaming it over the old one; a change counts once the file has been quiet for a moment,
//! since one save is several events.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use notify::{RecursiveMode, Watcher};

/// How long a file must be quiet after a change before it is read again.
const QUIET: Duration = Duration::from_millis(120);

/// A watch on one file's folder; it calls back for each change to the file.
pub(crate) struct Watch {
    _watcher: notify::RecommendedWatcher,
}

impl std::fmt::Debug for Watch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Watch").finish_non_exhaustive()
    }
}

impl Watch {
    /// Watch `file` (its folder must exist); `changed` is called, on the watcher's thread,
    /// for every event that touches it.
    pub(crate) fn new(file: &Path, changed: impl Fn() + Send + 'static) -> Result<Watch, notify::Error> {
        let dir: PathBuf =
            file.parent().filter(|p| !p.as_os_str().is_empty()).map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        let name = file.file_name().map(ToOwned::to_owned).unwrap_or_default();
        let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
            let ours = event.is_ok_and(|e| {
                !matches!(e.kind, notify::EventKind::Access(_))
                    && e.paths.iter().any(|p| p.file_name() == Some(name.as_os_str()))
            });
            if ours {
                changed();
            }
        })?;
        watcher.watch(&dir, RecursiveMode::NonRecursive)?;
        Ok(Watch { _watcher: watcher })
    }
}

/// One save is several events: a change counts once the file has been quiet for a moment.
#[derive(Debug, Default)]
pub(crate) struct Quiet {
    last: Option<Instant>,
}

impl Quiet {
    /// A change was seen.
    pub(crate) fn touch(&mut self, now: Instant) {
        self.last = Some(now);
    }

    /// When the change seen will have been quiet long enough.
    pub(crate) fn deadline(&self) -> Option<Instant> {
        self.last.map(|t| t + QUIET)
    }

    /// Whether a change is due to be read (once).
    pub(crate) fn due(&mut self, now: Instant) -> bool {
        match self.deadline() {
            Some(at) if now >= at => {
                self.last = None;
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    #[test]
    fn a_save_is_seen_and_other_files_are_not() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.md");
        std::fs::write(&file, "# A\n").unwrap();
        let seen = Arc::new(AtomicUsize::new(0));
        let count = Arc::clone(&seen);
        let _w = Watch::new(&file, move || {
            count.fetch_add(1, Ordering::SeqCst);
        })
        .unwrap();
        std::fs::write(dir.path().join("other.md"), "# B\n").unwrap();
        std::thread::sleep(Duration::from_millis(300));
        assert_eq!(seen.load(Ordering::SeqCst), 0, "another file is not this one");
        // An editor's save: a new file renamed over the old one.
        std::fs::write(dir.path().join(".a.md.swp"), "# A2\n").unwrap();
        std::fs::rename(dir.path().join(".a.md.swp"), &file).unwrap();
        for _ in 0..50 {
            std::thread::sleep(Duration::from_millis(50));
            if seen.load(Ordering::SeqCst) > 0 {
                return;
            }
        }
        panic!("the save was not seen");
    }

    #[test]
    fn a_change_is_due_once_it_has_been_quiet() {
        let t0 = Instant::now();
        let mut q = Quiet::default();
        assert!(!q.due(t0) && q.deadline().is_none());
        q.touch(t0);
        q.touch(t0 + Duration::from_millis(100));
        assert!(!q.due(t0 + Duration::from_millis(150)), "a later event restarts the wait");
        assert_eq!(q.deadline(), Some(t0 + Duration::from_millis(220)));
        assert!(q.due(t0 + Duration::from_millis(230)));
        assert!(!q.due(t0 + Duration::from_millis(500)), "one save is reported once");
    }
}
