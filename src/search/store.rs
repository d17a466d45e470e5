//! Where the index lives and how it stays fresh. The index is a cache in the user's cache dir,
//! keyed by the set of roots; a manifest of (size, mtime, hash) per file rides in tantivy's
//! commit payload, so index and manifest change atomically together. Only added, changed and
//! removed files are re-indexed. When the cache is missing, corrupt, from another version,
//! locked by another process or not writable, the index is built in memory instead: opening
//! never fails.
//!
//! The warm path (nothing changed) reads no runbook: the catalog's walk (`Catalog::walk`, which
//! stats the files in parallel), the manifest from the commit payload (a compact text
//! format), and the index files, memory-mapped. It takes no lock; a refresh takes the cache
//! folder's lock and looks again under it.

use std::path::{Path, PathBuf};

use tantivy::{Index, IndexReader, ReloadPolicy, Term};

use super::diff::{changes, now_ns, unchanged};
use super::manifest::{Manifest, ManifestView};
use super::schema::{Fields, build_schema, register_tokenizers};
use super::writer::{Progress, index_files, new_writer, note_duplicate_ids};
use super::{cache, integrity, payload};
use crate::problem::Problem;
use crate::runbook::library::{Candidate, Catalog};

/// Where the index ended up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// In the cache dir, shared between runs.
    Disk,
    /// In memory for this run only (cache unusable; see `RefreshStats::fallback`).
    Memory,
}

/// What opening the index did.
#[derive(Debug, Clone, Default)]
pub struct RefreshStats {
    pub files: usize,
    pub reindexed: usize,
    pub removed: usize,
    /// Why the disk cache was not used, when it was not.
    pub fallback: Option<String>,
    /// The cache was found damaged and built again: what was wrong.
    pub repaired: Option<String>,
}

/// An index ready to search, and how it got there.
pub(super) struct Opened {
    /// `None` only if even an in-memory index could not be read: every search is then empty.
    pub reader: Option<IndexReader>,
    pub fields: Fields,
    /// The walk's problems, then the runbooks' (this run's, or kept with the index) by file.
    pub problems: Vec<Problem>,
    pub location: Location,
    pub stats: RefreshStats,
}

/// Why the index is not on disk this run (`RefreshStats::fallback` is its message).
#[derive(Debug, thiserror::Error)]
enum Fallback {
    #[error("no cache folder")]
    NoCache,
    #[error(transparent)]
    Unsafe(#[from] cache::Unsafe),
    #[error("cache folder {} is not writable: {source}", dir.display())]
    NotWritable { dir: PathBuf, source: std::io::Error },
    #[error("another runbook process is updating the index")]
    Busy,
    #[error("cannot create index in {}: {source}", dir.display())]
    Create { dir: PathBuf, source: tantivy::TantivyError },
    #[error("index is locked: {0}")]
    Locked(tantivy::TantivyError),
    #[error("index commit failed: {0}")]
    Commit(tantivy::TantivyError),
    #[error("index could not be read: {0}")]
    Unreadable(tantivy::TantivyError),
}

/// An index with its problems and stats, not yet opened for reading.
struct Built {
    index: Index,
    fields: Fields,
    problems: Vec<Problem>,
    stats: RefreshStats,
}

/// Open (or build) the index of the catalog's files, using `cache` as the cache folder when
/// given.
pub(super) fn open(catalog: &Catalog, cache: Option<&Path>, progress: &Progress) -> Opened {
    let candidates = catalog.files();
    let mut problems = catalog.walk_problems().to_vec();
    let mut built = cache
        .ok_or(Fallback::NoCache)
        .and_then(|dir| cache::prepare(dir).map_err(Fallback::from).and_then(|()| on_disk(dir, candidates, progress)));
    // A damaged cache (a segment file missing, a reader that will not open) is emptied and
    // built again, once; the note says so.
    let mut repaired = None;
    // The reader the check opened is the one used (opening one reads the index's metadata).
    let mut checked = None;
    if let (Some(dir), Ok(b)) = (cache, &built) {
        match readable(&b.index, dir) {
            Ok(reader) => checked = Some(reader),
            Err(why) => {
                discard(dir);
                built = on_disk(dir, candidates, progress);
                repaired = Some(format!("the search index in the cache was damaged ({why}); it was rebuilt"));
            }
        }
    }
    let (mut built, location) = match built {
        Ok(built) => (built, Location::Disk),
        Err(why) => (in_memory(candidates, progress, &why), Location::Memory),
    };
    built.stats.repaired = repaired;
    let reader = match checked {
        Some(reader) => Ok(reader),
        None => built.index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into(),
    };
    let (built, location, reader) = match reader {
        Ok(reader) => (built, location, Some(reader)),
        Err(e) => {
            // A reader over a broken disk index: rebuild in memory, and say why (the reader's
            // failure, which is the news even if the in-memory build fails too).
            let mut built = in_memory(candidates, progress, &Fallback::NoCache);
            built.stats.fallback = Some(Fallback::Unreadable(e).to_string());
            let reader = built.index.reader().ok();
            (built, Location::Memory, reader)
        }
    };
    problems.extend(built.problems);
    Opened { reader, fields: built.fields, problems, location, stats: built.stats }
}

/// The index already in the cache folder, as it is: no walk, no check that it is fresh (a
/// first list on screen at once, while `open` checks; `show` finding an id), nothing
/// created or written. `None` when there is none usable.
pub(super) fn open_as_is(dir: &Path) -> Option<Opened> {
    cache::safe(dir).ok()?;
    let index = Index::open_in_dir(dir).ok()?;
    let text = manifest_text(&index, dir)?;
    let problems = ManifestView::parse(&text)?.problems()?;
    register_tokenizers(&index);
    let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into().ok()?;
    let (_, fields) = build_schema();
    Some(Opened { reader: Some(reader), fields, problems, location: Location::Disk, stats: RefreshStats::default() })
}

/// A reader of the index on disk, or why it cannot be read: a file missing or not as
/// written, or no reader.
fn readable(index: &Index, dir: &Path) -> Result<IndexReader, String> {
    if let Some(why) = integrity::check(index, dir) {
        return Err(why);
    }
    index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .map_err(|e: tantivy::TantivyError| e.to_string())
}

fn in_memory(candidates: &[Candidate], progress: &Progress, why: &Fallback) -> Built {
    let (schema, fields) = build_schema();
    let index = Index::create_in_ram(schema);
    register_tokenizers(&index);
    let mut manifest = Manifest::default();
    let stats = match new_writer(&index, candidates.len()) {
        Ok(mut writer) => {
            let all: Vec<&Candidate> = candidates.iter().collect();
            let n = index_files(&writer, &fields, &all, &mut manifest, progress);
            note_duplicate_ids(&mut manifest, candidates);
            let _ = writer.commit();
            RefreshStats {
                files: candidates.len(),
                reindexed: n,
                fallback: Some(why.to_string()),
                ..Default::default()
            }
        }
        Err(e) => RefreshStats {
            files: candidates.len(),
            fallback: Some(format!("{why}; in-memory index failed: {e}")),
            ..Default::default()
        },
    };
    Built { index, fields, problems: manifest.problems(), stats }
}

/// The manifest the index's last commit names (`payload`), as text.
fn manifest_text(index: &Index, dir: &Path) -> Option<String> {
    let metas = index.load_metas().ok()?;
    payload::read(dir, metas.payload.as_deref()?)
}

fn read_manifest(index: &Index, dir: &Path) -> Option<Manifest> {
    ManifestView::parse(&manifest_text(index, dir)?)?.into_manifest()
}

/// The warm path: an existing, current index that needs no change is only read, never locked.
/// `None` when files changed (or the index is unusable). The flag says that racy files were
/// read and found unchanged and are old enough now for a new stamp on the manifest to spare
/// later runs from reading them: worth a commit when the lock is free, harmless to skip.
fn open_unchanged(dir: &Path, candidates: &[Candidate]) -> Option<(Index, Vec<Problem>, bool)> {
    let index = Index::open_in_dir(dir).ok()?;
    let text = manifest_text(&index, dir)?;
    let view = ManifestView::parse(&text)?;
    let restamp = unchanged(&view, candidates)?;
    let problems = view.problems()?;
    register_tokenizers(&index);
    Some((index, problems, restamp))
}

fn on_disk(dir: &Path, candidates: &[Candidate], progress: &Progress) -> Result<Built, Fallback> {
    let (_, fields) = build_schema();
    let as_is = |index: Index, problems: Vec<Problem>| Built {
        index,
        fields,
        problems,
        stats: RefreshStats { files: candidates.len(), ..Default::default() },
    };
    let unchanged = match open_unchanged(dir, candidates) {
        Some((index, problems, false)) => return Ok(as_is(index, problems)),
        other => other,
    };
    let lock = cache::lock(dir).map_err(|source| Fallback::NotWritable { dir: dir.to_path_buf(), source })?;
    let Some(lock) = lock else {
        return match unchanged {
            // Only a new stamp was due: another process is writing it.
            Some((index, problems, _)) => Ok(as_is(index, problems)),
            None => Err(Fallback::Busy),
        };
    };
    drop(unchanged);
    // Under the lock: re-open (another process may have just finished), else start afresh.
    let (index, mut manifest) = match Index::open_in_dir(dir).ok().and_then(|i| read_manifest(&i, dir).map(|m| (i, m)))
    {
        Some(found) => found,
        None => (fresh_index(dir)?, Manifest::default()),
    };
    register_tokenizers(&index);
    let started = now_ns();
    let diff = changes(candidates, &manifest);
    let mut stats = RefreshStats { files: candidates.len(), removed: diff.removed.len(), ..Default::default() };
    if diff.is_empty_change() && !diff.restamp {
        return Ok(Built { index, fields, problems: manifest.problems(), stats });
    }
    let mut writer = new_writer(&index, diff.changed.len()).map_err(Fallback::Locked)?;
    for key in diff.removed.iter().chain(diff.changed.iter().map(|c| &c.key)) {
        // Only a file the index holds has a document to delete: a cold build deletes nothing
        // (each delete keeps a query's weight until the commit: 50 MB at 50,000 files).
        if manifest.files.remove(key).is_some() {
            writer.delete_term(Term::from_field_text(fields.key, key));
        }
    }
    let changed: Vec<&Candidate> = diff.changed.iter().filter_map(|c| candidates.get(c.at)).collect();
    stats.reindexed = index_files(&writer, &fields, &changed, &mut manifest, progress);
    note_duplicate_ids(&mut manifest, candidates);
    // Every file is now known to have, as of `started`, the content the index holds (racy
    // files were just re-read and compared), so the next open need not read them again.
    manifest.written_ns = started;
    let payload = payload::write(dir, &manifest.encode())
        .map_err(|source| Fallback::NotWritable { dir: dir.to_path_buf(), source })?;
    let mut commit = writer.prepare_commit().map_err(Fallback::Commit)?;
    commit.set_payload(&payload);
    commit.commit().map_err(Fallback::Commit)?;
    payload::prune(dir, &payload);
    let _ = writer.wait_merging_threads();
    // What was just written is right: remember its files, so later opens notice a change.
    integrity::stamp(&index, dir);
    drop(lock);
    Ok(Built { index, fields, problems: manifest.problems(), stats })
}

/// Empty the cache folder of a damaged index (under its lock), so the next open builds it
/// again; when another process holds the lock, it is left to that process.
pub(super) fn discard(dir: &Path) {
    if let Ok(Some(_lock)) = cache::lock(dir) {
        cache::clear(dir);
    }
}

/// A clean folder with an empty index (a corrupt or old one is removed first).
fn fresh_index(dir: &Path) -> Result<Index, Fallback> {
    cache::clear(dir);
    let (schema, _) = build_schema();
    Index::create_in_dir(dir, schema).map_err(|source| Fallback::Create { dir: dir.to_path_buf(), source })
}
