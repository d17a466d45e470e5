//! Where the index lives and how it stays fresh. The index is a cache in the user's cache dir,
//! keyed by the set of roots; a manifest of (size, mtime, hash) per file rides in tantivy's
//! commit payload, so index and manifest change atomically together. Only added, changed and
//! removed files are re-indexed. When the cache is missing, corrupt, from another version,
//! locked by another process or not writable, the index is built in memory instead: opening
//! never fails.

use std::collections::HashMap;
use std::fs::File;
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use tantivy::{Index, IndexWriter, Term};

use super::schema::{Fields, build_schema, documents, file_key, register_tokenizers};
use crate::problem::Problem;
use crate::runbook::library::{Candidate, discover, read_capped};
use crate::runbook::{Origin, parse_bytes};

/// Bump when the schema or the documents change: older caches are rebuilt.
const FORMAT: &str = concat!("runbook-index/4/", env!("CARGO_PKG_VERSION"));
/// A file modified this close to the last refresh may have changed within the same mtime
/// tick, so its content hash is compared too (git's "racy" files).
const RACY_NS: i128 = 2_000_000_000;
const WRITER_MEMORY: usize = 64 * 1024 * 1024;

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Manifest {
    pub format: String,
    pub written_ns: i128,
    pub files: HashMap<String, FileState>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileState {
    pub size: u64,
    pub mtime_ns: i128,
    pub hash: u64,
    pub problems: Vec<Problem>,
}

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
pub struct Opened {
    pub index: Index,
    pub fields: Fields,
    pub manifest: Manifest,
    pub location: Location,
    pub stats: RefreshStats,
    pub walk_problems: Vec<Problem>,
}

/// The cache folder for a set of roots: `$XDG_CACHE_HOME/runbook/<hash of the roots>`.
pub fn cache_dir_for(base: &Path, roots: &[PathBuf]) -> PathBuf {
    let mut canon: Vec<String> =
        roots.iter().map(|r| r.canonicalize().unwrap_or_else(|_| r.clone()).display().to_string()).collect();
    canon.sort();
    let mut h = std::hash::DefaultHasher::new();
    canon.hash(&mut h);
    base.join(format!("index-{:016x}", h.finish()))
}

fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h = std::hash::DefaultHasher::new();
    bytes.hash(&mut h);
    h.finish()
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
        Ok((index, fields, manifest, stats)) => {
            Opened { index, fields, manifest, location: Location::Disk, stats, walk_problems }
        }
        Err(why) => in_memory(&candidates, walk_problems, progress, why),
    }
}

fn in_memory(candidates: &[Candidate], walk_problems: Vec<Problem>, progress: &Progress, why: String) -> Opened {
    let (schema, fields) = build_schema();
    let index = Index::create_in_ram(schema);
    register_tokenizers(&index);
    let mut manifest = Manifest { format: FORMAT.into(), written_ns: now_ns(), files: HashMap::new() };
    let stats = match index.writer(WRITER_MEMORY) {
        Ok(mut writer) => {
            let n = index_files(&mut writer, &fields, candidates, &mut manifest, progress);
            let _ = writer.commit();
            RefreshStats { files: candidates.len(), reindexed: n, removed: 0, fallback: Some(why) }
        }
        Err(e) => RefreshStats {
            files: candidates.len(),
            fallback: Some(format!("{why}; in-memory index failed: {e}")),
            ..Default::default()
        },
    };
    Opened { index, fields, manifest, location: Location::Memory, stats, walk_problems }
}

fn read_manifest(index: &Index) -> Option<Manifest> {
    let metas = index.load_metas().ok()?;
    let manifest: Manifest = serde_json::from_str(metas.payload.as_deref()?).ok()?;
    (manifest.format == FORMAT).then_some(manifest)
}

fn open_on_disk(
    dir: &Path,
    candidates: &[Candidate],
    progress: &Progress,
) -> Result<(Index, Fields, Manifest, RefreshStats), String> {
    let (_, fields) = build_schema();
    // Fast path: an existing, current index that needs no change is only read, never locked.
    let existing = Index::open_in_dir(dir).ok().and_then(|index| {
        let manifest = read_manifest(&index)?;
        Some((index, manifest))
    });
    if let Some((index, manifest)) = &existing
        && changes(candidates, manifest).is_empty_change()
    {
        register_tokenizers(index);
        let stats = RefreshStats { files: candidates.len(), ..Default::default() };
        return Ok((index.clone(), fields, manifest.clone(), stats));
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cache folder {} is not writable: {e}", dir.display()))?;
    let lock = File::create(dir.join("runbook.lock"))
        .map_err(|e| format!("cache folder {} is not writable: {e}", dir.display()))?;
    if lock.try_lock().is_err() {
        return Err("another runbook process is updating the index".into());
    }
    // Under the lock: re-open (another process may have just finished), else start afresh.
    let (index, manifest) = match Index::open_in_dir(dir).ok().and_then(|i| read_manifest(&i).map(|m| (i, m))) {
        Some(found) => found,
        None => (fresh_index(dir)?, Manifest { format: FORMAT.into(), ..Default::default() }),
    };
    register_tokenizers(&index);
    let diff = changes(candidates, &manifest);
    let mut stats = RefreshStats { files: candidates.len(), removed: diff.removed.len(), ..Default::default() };
    if diff.is_empty_change() {
        return Ok((index, fields, manifest, stats));
    }
    let mut writer: IndexWriter =
        index.writer_with_num_threads(1, WRITER_MEMORY).map_err(|e| format!("index is locked: {e}"))?;
    let mut manifest = manifest;
    manifest.format = FORMAT.into();
    let started = now_ns();
    for key in diff.removed.iter().chain(diff.changed.iter().map(|c| &c.key)) {
        writer.delete_term(Term::from_field_text(fields.key, key));
        manifest.files.remove(key);
    }
    let changed: Vec<Candidate> = diff.changed.into_iter().map(|c| c.candidate).collect();
    stats.reindexed = index_files(&mut writer, &fields, &changed, &mut manifest, progress);
    manifest.written_ns = started;
    let payload = serde_json::to_string(&manifest).map_err(|e| e.to_string())?;
    let mut commit = writer.prepare_commit().map_err(|e| format!("index commit failed: {e}"))?;
    commit.set_payload(&payload);
    commit.commit().map_err(|e| format!("index commit failed: {e}"))?;
    let _ = writer.wait_merging_threads();
    drop(lock);
    Ok((index, fields, manifest, stats))
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
}

impl Diff {
    fn is_empty_change(&self) -> bool {
        self.changed.is_empty() && self.removed.is_empty()
    }
}

/// Compare the walk with the manifest: size and mtime first, the content hash for racy files.
fn changes(candidates: &[Candidate], manifest: &Manifest) -> Diff {
    let mut changed = Vec::new();
    let mut present = std::collections::HashSet::new();
    for c in candidates {
        let key = file_key(c.root, &c.rel_path);
        let same = manifest.files.get(&key).is_some_and(|old| {
            old.size == c.size
                && old.mtime_ns == c.mtime_ns
                && (c.mtime_ns < manifest.written_ns - RACY_NS
                    || read_capped(&c.file).is_ok_and(|b| hash_bytes(&b) == old.hash))
        });
        if !same {
            changed.push(Changed { key: key.clone(), candidate: c.clone() });
        }
        present.insert(key);
    }
    let removed = manifest.files.keys().filter(|k| !present.contains(*k)).cloned().collect();
    Diff { changed, removed }
}

/// Parse files in parallel and add their documents; returns how many were indexed.
fn index_files(
    writer: &mut IndexWriter,
    fields: &Fields,
    files: &[Candidate],
    manifest: &mut Manifest,
    progress: &Progress,
) -> usize {
    progress.total.fetch_add(files.len(), Ordering::Relaxed);
    let mut count = 0;
    for chunk in files.chunks(256) {
        let parsed: Vec<_> = chunk
            .par_iter()
            .map(|c| {
                let key = file_key(c.root, &c.rel_path);
                match read_capped(&c.file) {
                    Ok(bytes) => {
                        let hash = hash_bytes(&bytes);
                        let origin = Origin { root: c.root, rel_path: c.rel_path.clone(), file: c.file.clone() };
                        let (rb, findings) = parse_bytes(&bytes, origin);
                        let problems = findings.into_iter().map(|f| f.at(&c.file)).collect();
                        (key, c, hash, Some(documents(fields, &rb)), problems)
                    }
                    Err(msg) => (key, c, 0, None, vec![Problem::error(&c.file, None, "file", msg)]),
                }
            })
            .collect();
        for (key, c, hash, docs, problems) in parsed {
            if let Some(docs) = docs {
                for doc in docs {
                    let _ = writer.add_document(doc);
                }
                count += 1;
            }
            manifest.files.insert(key, FileState { size: c.size, mtime_ns: c.mtime_ns, hash, problems });
            progress.done.fetch_add(1, Ordering::Relaxed);
        }
    }
    count
}
