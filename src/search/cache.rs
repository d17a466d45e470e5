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

/// Why a cache folder is not used.
#[derive(Debug, thiserror::Error)]
pub(super) enum Unsafe {
    #[error("cannot create the cache folder {0}: {1}")]
    Create(PathBuf, io::Error),
    #[error("the cache folder {0} is a symbolic link: not followed")]
    Link(PathBuf),
    #[error("the cache folder {0} belongs to another user: not used")]
    NotOwned(PathBuf),
    #[error("the cache folder {0} is writable by others: not used")]
    Open(PathBuf),
    #[error("{0} is not a folder")]
    NotFolder(PathBuf),
}

/// The index folder, made user-only if need be, and only when it is safe to use: a real
/// folder (never through a link: its name is predictable, so another user could aim it), ours,
/// and writable by nobody else.
pub(super) fn prepare(dir: &Path) -> Result<(), Unsafe> {
    use std::os::unix::fs::DirBuilderExt;
    if let Some(parent) = dir.parent() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(parent)
            .map_err(|e| Unsafe::Create(parent.to_owned(), e))?;
    }
    match std::fs::DirBuilder::new().mode(0o700).create(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(Unsafe::Create(dir.to_owned(), e)),
    }
    safe(dir)
}

/// Whether an existing cache folder may be used: a real folder (not a link), ours, not
/// writable by others. Creates nothing.
pub(super) fn safe(dir: &Path) -> Result<(), Unsafe> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::symlink_metadata(dir).map_err(|e| Unsafe::Create(dir.to_owned(), e))?;
    if meta.file_type().is_symlink() {
        return Err(Unsafe::Link(dir.to_owned()));
    }
    if !meta.is_dir() {
        return Err(Unsafe::NotFolder(dir.to_owned()));
    }
    if meta.uid() != rustix::process::geteuid().as_raw() {
        return Err(Unsafe::NotOwned(dir.to_owned()));
    }
    if meta.mode() & 0o022 != 0 {
        return Err(Unsafe::Open(dir.to_owned()));
    }
    Ok(())
}

/// The folder's lock taken: `None` while another process holds it. The lock file is opened
/// without following a link and never truncated. Released when the file is dropped.
pub(super) fn lock(dir: &Path) -> io::Result<Option<File>> {
    use std::os::unix::fs::OpenOptionsExt;
    let lock = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW)
        .open(dir.join(LOCK))?;
    Ok(lock.try_lock().is_ok().then_some(lock))
}

/// Whether a file name is one the index or this module writes: tantivy's meta files, its
/// segment files (`<32 hex digits>.<component>`), its locks, the segments' stamps, and a
/// meaning vectors' temporary file a killed write left (`meaning.bin.<pid>-<n>.tmp`; the
/// vectors themselves are kept: they stay right for an index built again).
fn ours(name: &str) -> bool {
    const META: &[&str] = &["meta.json", ".managed.json", ".tantivy-meta.lock", ".tantivy-writer.lock"];
    const PARTS: &[&str] = &["idx", "pos", "fast", "fieldnorm", "term", "store", "del", "temp"];
    if META.contains(&name) || name.starts_with("segments.stamp") || super::payload::is_manifest_name(name) {
        return true;
    }
    let left = name.strip_prefix("meaning.bin.").and_then(|n| n.strip_suffix(".tmp"));
    if left.is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit() || b == b'-')) {
        return true;
    }
    name.split_once('.').is_some_and(|(id, ext)| {
        id.len() == 32
            && id.bytes().all(|b| b.is_ascii_hexdigit())
            && (PARTS.contains(&ext) || ext.split('.').next().is_some_and(|e| PARTS.contains(&e)))
    })
}

/// Remove the index's files from the folder (a corrupt or old index): only regular files of
/// the names it writes, never a link, a folder or anything else, which it did not create.
pub(super) fn clear(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let regular = entry.file_type().is_ok_and(|t| t.is_file());
        if regular && entry.file_name().to_str().is_some_and(ours) {
            let _ = std::fs::remove_file(entry.path());
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
    fn a_killed_write_of_the_vectors_is_ours_to_clear_and_the_vectors_are_kept() {
        assert!(ours("meaning.bin.4242-0.tmp"));
        assert!(!ours("meaning.bin"), "the vectors stay right for an index built again");
        for other in ["meaning.bin..tmp", "meaning.bin.x.tmp", "meaning.bin.1.tmp.bak", "notes.tmp"] {
            assert!(!ours(other), "{other}");
        }
    }

    #[test]
    fn one_process_holds_the_lock_and_clearing_removes_only_the_index() {
        let base = tempfile::TempDir::new().expect("tempdir");
        let dir = base.path().join("index-x");
        prepare(&dir).expect("a fresh folder is safe");
        let held = lock(&dir).ok().flatten();
        assert!(held.is_some());
        assert!(lock(&dir).is_ok_and(|second| second.is_none()), "a second lock while the first is held");
        std::fs::create_dir_all(dir.join("old")).expect("mkdir");
        std::fs::write(dir.join("meta.json"), b"{}").expect("write");
        std::fs::write(dir.join("0123456789abcdef0123456789abcdef.fast"), b"x").expect("write");
        std::fs::write(dir.join("notes.txt"), b"not ours").expect("write");
        std::os::unix::fs::symlink(base.path().join("elsewhere"), dir.join("meta.json.bak")).expect("link");
        clear(&dir);
        let mut left: Vec<_> = std::fs::read_dir(&dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.file_name().into_string().unwrap_or_default())
            .collect();
        left.sort();
        assert_eq!(left, ["meta.json.bak", "notes.txt", "old", LOCK], "only the index's own files go");
        drop(held);
        assert!(lock(&dir).is_ok_and(|again| again.is_some()));
    }

    #[test]
    fn a_cache_folder_through_a_link_or_open_to_others_is_refused_and_the_lock_never_truncates() {
        use std::os::unix::fs::PermissionsExt;
        let base = tempfile::TempDir::new().expect("tempdir");
        let target = base.path().join("target");
        std::fs::create_dir(&target).expect("mkdir");
        std::fs::write(target.join("precious"), b"keep").expect("write");
        let aimed = base.path().join("index-aimed");
        std::os::unix::fs::symlink(&target, &aimed).expect("link");
        assert!(matches!(prepare(&aimed), Err(Unsafe::Link(_))));
        let open = base.path().join("index-open");
        std::fs::create_dir(&open).expect("mkdir");
        std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o777)).expect("chmod");
        assert!(matches!(prepare(&open), Err(Unsafe::Open(_))));
        // A lock file that is a link to someone's file: not followed, the file untouched.
        let dir = base.path().join("index-ok");
        prepare(&dir).expect("safe");
        std::os::unix::fs::symlink(target.join("precious"), dir.join(LOCK)).expect("link");
        assert!(lock(&dir).is_err());
        assert_eq!(std::fs::read(target.join("precious")).expect("read"), b"keep");
    }
}
