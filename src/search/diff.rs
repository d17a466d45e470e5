//! What changed since the index was written: the walk's files against the manifest, by size
//! and modification time, and by content hash for a file modified too close to the last
//! refresh to trust its time (git's "racy" files). Reads only the racy files; writes nothing.

use std::collections::HashSet;

use super::manifest::{Manifest, ManifestView, Stamp, content_hash, write_key};
use crate::runbook::library::Candidate;

/// A file modified this close to the last refresh may have changed within the same mtime
/// tick, so its content hash is compared too.
const RACY_NS: i128 = 2_000_000_000;

/// Now, in the manifest's unit (nanoseconds since the epoch, as the walk gives mtimes).
pub(super) fn now_ns() -> i128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as i128)
}

/// Whether `c` still holds what `stamp` says, for a manifest written at `written_ns`. Sets
/// `restamp` when a racy file was read, found unchanged, and is old enough now that a new
/// stamp on the manifest spares the next runs from reading it.
fn is_same(stamp: &Stamp, c: &Candidate, written_ns: i128, now: i128, restamp: &mut bool) -> bool {
    if stamp.size != c.size || stamp.mtime_ns != c.mtime_ns || stamp.ctime_ns != c.ctime_ns {
        return false;
    }
    let touched = c.mtime_ns.max(c.ctime_ns);
    if touched < written_ns - RACY_NS {
        return true;
    }
    let same = c.read().is_ok_and(|b| content_hash(&b) == stamp.hash);
    *restamp |= same && touched < now - RACY_NS;
    same
}

/// The warm path's check: `Some` when the walk found exactly the files of the manifest, each
/// unchanged; the flag says a new stamp is due (see `is_same`). `None` at the first change.
pub(super) fn unchanged(view: &ManifestView<'_>, candidates: &[Candidate]) -> Option<bool> {
    if view.files.len() != candidates.len() {
        return None;
    }
    let now = now_ns();
    let mut restamp = false;
    let mut key = String::new();
    for c in candidates {
        write_key(&mut key, c.root, &c.rel_path);
        let listed = view.files.get(key.as_str())?;
        if !is_same(&listed.stamp, c, view.written_ns, now, &mut restamp) {
            return None;
        }
    }
    Some(restamp)
}

/// A file to index again: its key, and where it is in the walk's list (not a copy of it: a
/// cold build changes every file).
#[derive(Debug)]
pub(super) struct Changed {
    pub key: String,
    pub at: usize,
}

/// What a refresh has to do.
#[derive(Debug)]
pub(super) struct Diff {
    /// Files added or changed.
    pub changed: Vec<Changed>,
    /// Keys of files that are gone.
    pub removed: Vec<String>,
    /// A new stamp on the manifest is due (see `is_same`).
    pub restamp: bool,
}

impl Diff {
    /// Whether no file has to be indexed or removed.
    pub(crate) fn is_empty_change(&self) -> bool {
        self.changed.is_empty() && self.removed.is_empty()
    }
}

/// Compare the walk with the manifest.
pub(super) fn changes(candidates: &[Candidate], manifest: &Manifest) -> Diff {
    let now = now_ns();
    let mut changed = Vec::new();
    // Which manifest files the walk still finds (no need to know on a cold build).
    let mut present = HashSet::with_capacity(if manifest.files.is_empty() { 0 } else { candidates.len() });
    let mut restamp = false;
    let mut key = String::new();
    for (at, c) in candidates.iter().enumerate() {
        write_key(&mut key, c.root, &c.rel_path);
        let old = manifest.files.get(key.as_str());
        let same = old.is_some_and(|old| is_same(&old.stamp, c, manifest.written_ns, now, &mut restamp));
        if !same {
            changed.push(Changed { key: key.clone(), at });
        }
        if old.is_some() {
            present.insert(key.clone());
        }
    }
    let removed = manifest.files.keys().filter(|k| !present.contains(*k)).cloned().collect();
    Diff { changed, removed, restamp }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::search::manifest::FileState;

    fn candidate(rel_path: &str, size: u64, mtime_ns: i128) -> Candidate {
        let file = PathBuf::from("/no/such/root").join(rel_path);
        Candidate { root: 0, rel_path: rel_path.into(), file, size, mtime_ns, ctime_ns: mtime_ns }
    }

    #[test]
    fn size_and_time_decide_for_old_files_and_gone_files_are_removed() {
        let old = now_ns() - 10 * RACY_NS;
        let mut manifest = Manifest { written_ns: old + 5 * RACY_NS, ..Default::default() };
        for (key, size) in [("0/same.md", 1), ("0/grown.md", 2), ("0/gone.md", 3)] {
            let state =
                FileState { stamp: Stamp { size, mtime_ns: old, ctime_ns: old, hash: 0 }, ..FileState::default() };
            manifest.files.insert(key.into(), state);
        }
        // An edit that kept the size and put the old mtime back still moved the change time.
        let mut touched = candidate("touched.md", 4, old);
        touched.ctime_ns = old + 3;
        let state =
            FileState { stamp: Stamp { size: 4, mtime_ns: old, ctime_ns: old, hash: 0 }, ..FileState::default() };
        manifest.files.insert("0/touched.md".into(), state);
        let walk = [candidate("same.md", 1, old), candidate("grown.md", 9, old), candidate("new.md", 1, old), touched];
        let diff = changes(&walk, &manifest);
        let changed: Vec<&str> = diff.changed.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(
            (changed, diff.removed, diff.restamp),
            (vec!["0/grown.md", "0/new.md", "0/touched.md"], vec!["0/gone.md".into()], false)
        );
    }

    #[test]
    fn a_racy_file_is_compared_by_content_and_restamped_once_old_enough() {
        let dir = tempfile::TempDir::new().expect("tempdir");
        std::fs::write(dir.path().join("racy.md"), b"text").expect("write");
        let now = now_ns();
        let mut c = candidate("racy.md", 4, now);
        c.file = dir.path().join("racy.md");
        let stamp = Stamp { size: 4, mtime_ns: now, ctime_ns: now, hash: content_hash(b"text") };
        let mut restamp = false;
        // Modified as the manifest was written: the content decides, and no new stamp is due yet.
        assert!(is_same(&stamp, &c, now, now, &mut restamp) && !restamp);
        assert!(!is_same(&Stamp { hash: content_hash(b"other"), ..stamp }, &c, now, now, &mut restamp));
        assert!(is_same(&stamp, &c, now, now + 2 * RACY_NS, &mut restamp) && restamp);
        let mut restamp = false;
        c.file = dir.path().join("vanished.md");
        assert!(!is_same(&stamp, &c, now, now + 2 * RACY_NS, &mut restamp) && !restamp);
    }
}
