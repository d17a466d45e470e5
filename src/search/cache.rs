//! The cache folder an index lives in: where it is for a set of roots, the lock that lets one
//! process at a time write it, and emptying it for a fresh index. Nothing here knows what
//! an index is; `store` decides when to lock and when to start afresh.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

/// The lock file, the one entry `clear` keeps (a process waiting on it holds it open).
const LOCK: &str = "runbook.lock";

/// Where to keep the index.
#[derive(Debug, Clone)]
pub enum Cache {
    /// `$RUNBOOK_CACHE_DIR`, else the XDG cache dir (`~/.cache/runbook`).
    Default,
    /// A given folder (tests, benchmarks).
    At(PathBuf),
    /// Build in memory only.
    Off,
}

impl Cache {
    /// The cache folder for `roots`; `None` to build in memory.
    pub(super) fn dir(&self, roots: &[PathBuf]) -> Option<PathBuf> {
        let base = match self {
            Cache::Default => std::env::var_os("RUNBOOK_CACHE_DIR")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .or_else(|| dirs::cache_dir().map(|d| d.join("runbook")))?,
            Cache::At(p) => p.clone(),
            Cache::Off => return None,
        };
        Some(dir_for(&base, roots))
    }
}

/// The cache folder for a set of roots: `<base>/index-<16 hex digits>`, the XXH3-64 hash (a
/// published, frozen algorithm: the same name from every build and every Rust release) of
/// the roots' canonical paths, sorted, each followed by a NUL byte.
fn dir_for(base: &Path, roots: &[PathBuf]) -> PathBuf {
    let mut canon: Vec<PathBuf> = roots.iter().map(|r| r.canonicalize().unwrap_or_else(|_| r.clone())).collect();
    canon.sort();
    let mut key = Vec::new();
    for root in &canon {
        key.extend_from_slice(root.as_os_str().as_encoded_bytes());
        key.push(0);
    }
    base.join(format!("index-{:016x}", xxhash_rust::xxh3::xxh3_64(&key)))
}

/// The folder made if need be, and its lock taken: `None` while another process holds it.
/// The lock is released when the file is dropped.
pub(super) fn lock(dir: &Path) -> io::Result<Option<File>> {
    std::fs::create_dir_all(dir)?;
    let lock = File::create(dir.join(LOCK))?;
    Ok(lock.try_lock().is_ok().then_some(lock))
}

/// Remove everything in the folder but the lock (a corrupt or old index), as far as it goes.
pub(super) fn clear(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        if entry.file_name() != LOCK {
            let p = entry.path();
            let _ = if p.is_dir() { std::fs::remove_dir_all(&p) } else { std::fs::remove_file(&p) };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_name_of_a_cache_folder_never_changes() {
        // Names that last on disk must not change between builds or releases.
        let dir = dir_for(Path::new("/c"), &[PathBuf::from("/no/such/root")]);
        assert_eq!(dir, Path::new("/c/index-6773ab3495c5307b"), "XXH3-64 of the root and a NUL byte");
        let two = [PathBuf::from("/no/b"), PathBuf::from("/no/a")];
        let swapped = [PathBuf::from("/no/a"), PathBuf::from("/no/b")];
        assert_eq!(dir_for(Path::new("/c"), &two), dir_for(Path::new("/c"), &swapped));
        assert_ne!(dir_for(Path::new("/c"), &two), dir);
        assert_eq!(Cache::Off.dir(&two), None);
    }

    #[test]
    fn one_process_holds_the_lock_and_clearing_keeps_it() {
        let base = tempfile::TempDir::new().expect("tempdir");
        let dir = base.path().join("index-x");
        let held = lock(&dir).ok().flatten();
        assert!(held.is_some());
        assert!(lock(&dir).is_ok_and(|second| second.is_none()), "a second lock while the first is held");
        std::fs::create_dir_all(dir.join("old")).expect("mkdir");
        std::fs::write(dir.join("meta.json"), b"{}").expect("write");
        clear(&dir);
        let left: Vec<_> = std::fs::read_dir(&dir).into_iter().flatten().flatten().map(|e| e.file_name()).collect();
        assert_eq!(left, [LOCK]);
        drop(held);
        assert!(lock(&dir).is_ok_and(|again| again.is_some()));
    }
}
