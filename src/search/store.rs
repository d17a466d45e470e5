//! Where the index lives and how it stays fresh. The index is a cache in the user's cache dir,
//! keyed by the set of roots; a manifest of (size, mtime, hash) per file rides in tantivy's
//! commit payload, so index and manifest change atomically together. Only added, changed and
//! removed files are re-indexed. When the cache is missing, corrupt, from another version,
//! locked by another process or not writable, the index is built in memory instead: opening
//! never fails.
//!
//! The warm path (nothing changed) reads no runbook: the library's walk (`discover`, which
//! stats the files in parallel), the manifest from the commit payload (a compact text
//! format), and the index files, memory-mapped.

use std::collections::HashSet;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};

use rayon::prelude::*;
use tantivy::schema::document::Document;
use tantivy::{Index, IndexWriter, TantivyDocument, Term};

use super::manifest::{FileState, Manifest, ManifestView, Stamp};
use super::schema::{Fields, build_schema, document, file_key, register_tokenizers};
use crate::problem::Problem;
use crate::runbook::library::{Candidate, discover, parse_guarded, read_capped};

/// A file modified this close to the last refresh may have changed within the same mtime
/// tick, so its content hash is compared too (git's "racy" files).
const RACY_NS: i128 = 2_000_000_000;
/// Memory for tantivy's indexing threads, all together (each flushes a segment when full).
const WRITER_MEMORY: usize = 64 * 1024 * 1024;
/// A refresh of fewer files than this uses one indexing thread and the minimum memory.
const SMALL_REFRESH: usize = 64;
/// Parsed documents waiting for an indexing thread, at most (bounds memory when parsing
/// runs ahead of indexing).
const IN_FLIGHT_MAX: usize = 256;

/// Where the index ended up and what refreshing it did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// In the cache dir, shared between runs.
    Disk,
    /// In memory for this run only (cache unusable; see `RefreshStats::fallback`).
    Memory,
}

#[derive(Debug, Clone, Default)]
pub struct RefreshStats {
    pub files: usize,
    pub reindexed: usize,
    pub removed: usize,
    /// Why the disk cache was not used, when it was not.
    pub fallback: Option<String>,
}

/// Progress of a build, readable from another thread (the TUI shows it).
#[derive(Debug, Default)]
pub struct Progress {
    pub total: AtomicUsize,
    pub done: AtomicUsize,
}

#[derive(Debug)]
pub(super) struct Opened {
    pub index: Index,
    pub fields: Fields,
    /// Problems found in the runbooks (this run's, or kept with the index), by file.
    pub problems: Vec<Problem>,
    pub location: Location,
    pub stats: RefreshStats,
    pub walk_problems: Vec<Problem>,
}

/// The cache folder for a set of roots: `$XDG_CACHE_HOME/runbook/index-<16 hex digits>`, the
/// XXH3-64 hash (a published, frozen algorithm: the same name from every build and every
/// Rust release) of the roots' canonical paths, sorted, each followed by a NUL byte.
pub fn cache_dir_for(base: &Path, roots: &[PathBuf]) -> PathBuf {
    let mut canon: Vec<PathBuf> = roots.iter().map(|r| r.canonicalize().unwrap_or_else(|_| r.clone())).collect();
    canon.sort();
    let mut key = Vec::new();
    for root in &canon {
        key.extend_from_slice(root.as_os_str().as_encoded_bytes());
        key.push(0);
    }
    base.join(format!("index-{:016x}", xxhash_rust::xxh3::xxh3_64(&key)))
}

/// The content hash kept in the manifest, to tell whether a racy file changed: XXH3-64, so
/// a manifest written by one build reads the same in the next.
fn hash_bytes(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

fn now_ns() -> i128 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos() as i128)
}

/// Open (or build) the index for `roots`, using `cache` as the cache folder when given.
pub fn open(roots: &[PathBuf], cache: Option<&Path>, progress: &Progress) -> Opened {
    let (candidates, walk_problems) = discover(roots);
    let Some(dir) = cache else {
        return in_memory(&candidates, walk_problems, progress, "no cache folder".into());
    };
    match open_on_disk(dir, &candidates, progress) {
        Ok((index, fields, problems, stats)) => {
            Opened { index, fields, problems, location: Location::Disk, stats, walk_problems }
        }
        Err(why) => in_memory(&candidates, walk_problems, progress, why),
    }
}

fn in_memory(candidates: &[Candidate], walk_problems: Vec<Problem>, progress: &Progress, why: String) -> Opened {
    let (schema, fields) = build_schema();
    let index = Index::create_in_ram(schema);
    register_tokenizers(&index);
    let mut manifest = Manifest { written_ns: now_ns(), ..Default::default() };
    let stats = match new_writer(&index, candidates.len()) {
        Ok(mut writer) => {
            let n = index_files(&writer, &fields, candidates, &mut manifest, progress);
            let _ = writer.commit();
            RefreshStats { files: candidates.len(), reindexed: n, removed: 0, fallback: Some(why) }
        }
        Err(e) => RefreshStats {
            files: candidates.len(),
            fallback: Some(format!("{why}; in-memory index failed: {e}")),
            ..Default::default()
        },
    };
    Opened { index, fields, problems: manifest.problems(), location: Location::Memory, stats, walk_problems }
}

/// A writer sized for `n` documents: two indexing threads for a build, one for a refresh.
fn new_writer(index: &Index, n: usize) -> tantivy::Result<IndexWriter<Tracked>> {
    let threads = std::thread::available_parallelism().map_or(1, |p| p.get()).clamp(1, 2);
    if n < SMALL_REFRESH || threads == 1 {
        index.writer_with_num_threads(1, WRITER_MEMORY / 4)
    } else {
        index.writer_with_num_threads(threads, WRITER_MEMORY)
    }
}

fn read_manifest(index: &Index) -> Option<Manifest> {
    let metas = index.load_metas().ok()?;
    ManifestView::parse(metas.payload.as_deref()?)?.into_manifest()
}

/// The warm path: an existing, current index that needs no change is only read, never locked.
/// `None` when files changed (or the index is unusable). The flag says that racy files were
/// read and found unchanged and are old enough now for a new stamp on the manifest to spare
/// later runs from reading them: worth a commit when the lock is free, harmless to skip.
fn open_unchanged(dir: &Path, candidates: &[Candidate]) -> Option<(Index, Vec<Problem>, bool)> {
    let index = Index::open_in_dir(dir).ok()?;
    let metas = index.load_metas().ok()?;
    let view = ManifestView::parse(metas.payload.as_deref()?)?;
    if view.files.len() != candidates.len() {
        return None;
    }
    let now = now_ns();
    let mut restamp = false;
    let mut key = String::new();
    for c in candidates {
        fill_key(&mut key, c);
        let &Stamp { size, mtime_ns, hash } = view.files.get(key.as_str())?;
        if size != c.size || mtime_ns != c.mtime_ns {
            return None;
        }
        if c.mtime_ns >= view.written_ns - RACY_NS {
            if !read_capped(&c.file).is_ok_and(|b| hash_bytes(&b) == hash) {
                return None;
            }
            restamp |= c.mtime_ns < now - RACY_NS;
        }
    }
    let problems = view.problems()?;
    register_tokenizers(&index);
    Some((index, problems, restamp))
}

fn open_on_disk(
    dir: &Path,
    candidates: &[Candidate],
    progress: &Progress,
) -> Result<(Index, Fields, Vec<Problem>, RefreshStats), String> {
    let (_, fields) = build_schema();
    let unchanged = open_unchanged(dir, candidates);
    let as_is = |index: Index, problems: Vec<Problem>| {
        Ok((index, fields, problems, RefreshStats { files: candidates.len(), ..Default::default() }))
    };
    let unchanged = match unchanged {
        Some((index, problems, false)) => return as_is(index, problems),
        other => other,
    };
    std::fs::create_dir_all(dir).map_err(|e| format!("cache folder {} is not writable: {e}", dir.display()))?;
    let lock = File::create(dir.join("runbook.lock"))
        .map_err(|e| format!("cache folder {} is not writable: {e}", dir.display()))?;
    if lock.try_lock().is_err() {
        return match unchanged {
            // Only a new stamp was due: another process is writing it.
            Some((index, problems, _)) => as_is(index, problems),
            None => Err("another runbook process is updating the index".into()),
        };
    }
    drop(unchanged);
    // Under the lock: re-open (another process may have just finished), else start afresh.
    let (index, manifest) = match Index::open_in_dir(dir).ok().and_then(|i| read_manifest(&i).map(|m| (i, m))) {
        Some(found) => found,
        None => (fresh_index(dir)?, Manifest::default()),
    };
    register_tokenizers(&index);
    let started = now_ns();
    let diff = changes(candidates, &manifest);
    let mut stats = RefreshStats { files: candidates.len(), removed: diff.removed.len(), ..Default::default() };
    if diff.is_empty_change() && !diff.restamp {
        return Ok((index, fields, manifest.problems(), stats));
    }
    let mut writer = new_writer(&index, diff.changed.len()).map_err(|e| format!("index is locked: {e}"))?;
    let mut manifest = manifest;
    for key in diff.removed.iter().chain(diff.changed.iter().map(|c| &c.key)) {
        writer.delete_term(Term::from_field_text(fields.key, key));
        manifest.files.remove(key);
    }
    let changed: Vec<Candidate> = diff.changed.into_iter().map(|c| c.candidate).collect();
    stats.reindexed = index_files(&writer, &fields, &changed, &mut manifest, progress);
    // Every file is now known to have, as of `started`, the content the index holds (racy
    // files were just re-read and compared), so the next open need not read them again.
    manifest.written_ns = started;
    let payload = manifest.encode();
    let mut commit = writer.prepare_commit().map_err(|e| format!("index commit failed: {e}"))?;
    commit.set_payload(&payload);
    commit.commit().map_err(|e| format!("index commit failed: {e}"))?;
    let _ = writer.wait_merging_threads();
    drop(lock);
    Ok((index, fields, manifest.problems(), stats))
}

/// A clean folder with an empty index (a corrupt or old one is removed first).
fn fresh_index(dir: &Path) -> Result<Index, String> {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            if entry.file_name() != "runbook.lock" {
                let p = entry.path();
                let _ = if p.is_dir() { std::fs::remove_dir_all(&p) } else { std::fs::remove_file(&p) };
            }
        }
    }
    let (schema, _) = build_schema();
    Index::create_in_dir(dir, schema).map_err(|e| format!("cannot create index in {}: {e}", dir.display()))
}

struct Changed {
    key: String,
    candidate: Candidate,
}

struct Diff {
    changed: Vec<Changed>,
    removed: Vec<String>,
    /// Racy files were read and found unchanged, and are old enough now that a new stamp on
    /// the manifest spares the next runs from reading them again.
    restamp: bool,
}

impl Diff {
    fn is_empty_change(&self) -> bool {
        self.changed.is_empty() && self.removed.is_empty()
    }
}

/// `file_key` written into a reused buffer (the warm path checks every file).
fn fill_key(key: &mut String, c: &Candidate) {
    use std::fmt::Write as _;
    key.clear();
    let _ = write!(key, "{}/{}", c.root, c.rel_path);
}

/// Compare the walk with the manifest: size and mtime first, the content hash for racy files.
fn changes(candidates: &[Candidate], manifest: &Manifest) -> Diff {
    let now = now_ns();
    let mut changed = Vec::new();
    let mut present = HashSet::with_capacity(candidates.len());
    let mut restamp = false;
    let mut key = String::new();
    for c in candidates {
        fill_key(&mut key, c);
        let same = manifest.files.get(key.as_str()).is_some_and(|old| {
            if old.stamp.size != c.size || old.stamp.mtime_ns != c.mtime_ns {
                return false;
            }
            if c.mtime_ns < manifest.written_ns - RACY_NS {
                return true;
            }
            let same = read_capped(&c.file).is_ok_and(|b| hash_bytes(&b) == old.stamp.hash);
            restamp |= same && c.mtime_ns < now - RACY_NS;
            same
        });
        if !same {
            changed.push(Changed { key: key.clone(), candidate: c.clone() });
        }
        present.insert(key.clone());
    }
    let removed = manifest.files.keys().filter(|k| !present.contains(*k)).cloned().collect();
    Diff { changed, removed, restamp }
}

/// A document on its way to an indexing thread; its slot is given back when tantivy drops it.
struct Tracked {
    doc: TantivyDocument,
    _slot: Slot,
}

impl Document for Tracked {
    type Value<'a> = <TantivyDocument as Document>::Value<'a>;
    type FieldsValuesIter<'a> = <TantivyDocument as Document>::FieldsValuesIter<'a>;

    fn iter_fields_and_values(&self) -> Self::FieldsValuesIter<'_> {
        self.doc.iter_fields_and_values()
    }
}

/// Counts documents in flight; `take` waits while `IN_FLIGHT_MAX` are.
struct Slots {
    used: Mutex<usize>,
    freed: Condvar,
}

struct Slot(std::sync::Arc<Slots>);

impl Slots {
    fn take(self: &std::sync::Arc<Self>) -> Slot {
        let mut used = self.used.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        while *used >= IN_FLIGHT_MAX {
            used = self.freed.wait(used).unwrap_or_else(std::sync::PoisonError::into_inner);
        }
        *used += 1;
        Slot(self.clone())
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut used = self.0.used.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        *used = used.saturating_sub(1);
        self.0.freed.notify_one();
    }
}

/// Parse files in parallel and hand their documents to the indexing threads as they come;
/// returns how many were indexed.
fn index_files(
    writer: &IndexWriter<Tracked>,
    fields: &Fields,
    files: &[Candidate],
    manifest: &mut Manifest,
    progress: &Progress,
) -> usize {
    progress.total.fetch_add(files.len(), Ordering::Relaxed);
    let slots = std::sync::Arc::new(Slots { used: Mutex::new(0), freed: Condvar::new() });
    let states: Vec<(String, FileState, bool)> = files
        .par_iter()
        .map(|c| {
            let key = file_key(c.root, &c.rel_path);
            let (hash, indexed, problems) = match read_capped(&c.file) {
                Ok(bytes) => {
                    let hash = hash_bytes(&bytes);
                    // Parsing and the document builder, guarded together for this file.
                    let built = parse_guarded(&bytes, c).and_then(|(rb, problems)| {
                        crate::problem::guarded(&c.file, || (document(fields, &rb), problems))
                    });
                    drop(bytes);
                    match built {
                        Ok((doc, problems)) => {
                            let doc = Tracked { doc, _slot: slots.take() };
                            (hash, writer.add_document(doc).is_ok(), problems)
                        }
                        Err(problem) => (hash, false, vec![problem]),
                    }
                }
                Err(msg) => (0, false, vec![Problem::error(&c.file, None, "file", msg)]),
            };
            progress.done.fetch_add(1, Ordering::Relaxed);
            let stamp = Stamp { size: c.size, mtime_ns: c.mtime_ns, hash };
            (key, FileState { stamp, problems }, indexed)
        })
        .collect();
    let mut count = 0;
    for (key, state, indexed) in states {
        count += usize::from(indexed);
        manifest.files.insert(key, state);
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_content_hash_sees_every_byte() {
        let a = b"0123456789abcdef-tail".to_vec();
        let mut b = a.clone();
        b[20] = b'X';
        assert_ne!(hash_bytes(&a), hash_bytes(&b));
        assert_ne!(hash_bytes(b""), hash_bytes(b"\0"));
        // Names and hashes that last on disk must not change between builds or releases.
        assert_eq!(hash_bytes(b""), 0x2d06_8005_38d3_94c2, "XXH3-64 of the empty input");
        let dir = cache_dir_for(Path::new("/c"), &[PathBuf::from("/no/such/root")]);
        assert_eq!(dir, Path::new("/c/index-6773ab3495c5307b"), "XXH3-64 of the root and a NUL byte");
    }
}
