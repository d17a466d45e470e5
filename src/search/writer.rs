//! Writing runbooks into an index: a writer sized for the job, and the files read and parsed
//! in parallel, their documents handed to tantivy's indexing threads as they come. Parsing
//! can run ahead of indexing only so far (`IN_FLIGHT_MAX` documents): memory stays bounded
//! however large the build. Each file's stamp and problems go into the manifest.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};

use rayon::prelude::*;
use tantivy::schema::document::Document;
use tantivy::{Index, IndexWriter, TantivyDocument};

use super::manifest::{FileState, Manifest, Stamp, content_hash, file_key};
use super::schema::{Fields, document};
use crate::runbook::library::{Candidate, DUPLICATE_ID, Named, duplicate_ids, parse_candidate};

/// Memory for tantivy's indexing thread in a build (it flushes a segment when full).
const BUILD_MEMORY: usize = 32 * 1024 * 1024;
/// ... and in a refresh of fewer than `SMALL_REFRESH` files: about tantivy's minimum.
const REFRESH_MEMORY: usize = 16 * 1024 * 1024;
const SMALL_REFRESH: usize = 64;
/// Parsed documents waiting for an indexing thread, at most (bounds memory when parsing
/// runs ahead of indexing).
const IN_FLIGHT_MAX: usize = 256;

/// Progress of a build, readable from another thread (the TUI shows it).
#[derive(Debug, Default)]
pub struct Progress {
    pub total: AtomicUsize,
    pub done: AtomicUsize,
}

/// A writer sized for `n` documents, with one indexing thread. Parsing, the larger part of
/// the work, runs on every core; a second indexing thread made a cold build of 50,000 small
/// runbooks no faster on two cores and its peak memory 30% higher (each thread's flushes
/// leave memory in its own allocator arena). See docs/performance.md.
pub(super) fn new_writer(index: &Index, n: usize) -> tantivy::Result<IndexWriter<Tracked>> {
    let memory = if n < SMALL_REFRESH { REFRESH_MEMORY } else { BUILD_MEMORY };
    index.writer_with_num_threads(1, memory)
}

/// A document on its way to an indexing thread; its slot is given back when tantivy drops it.
pub(super) struct Tracked {
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

struct Slot(Arc<Slots>);

impl Slots {
    fn take(self: &Arc<Self>) -> Slot {
        let mut used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        while *used >= IN_FLIGHT_MAX {
            used = self.freed.wait(used).unwrap_or_else(PoisonError::into_inner);
        }
        *used += 1;
        Slot(self.clone())
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut used = self.0.used.lock().unwrap_or_else(PoisonError::into_inner);
        *used = used.saturating_sub(1);
        self.0.freed.notify_one();
    }
}

/// Parse files in parallel and hand their documents to the indexing threads as they come;
/// returns how many were indexed.
pub(super) fn index_files(
    writer: &IndexWriter<Tracked>,
    fields: &Fields,
    files: &[&Candidate],
    manifest: &mut Manifest,
    progress: &Progress,
) -> usize {
    progress.total.fetch_add(files.len(), Ordering::Relaxed);
    let slots = Arc::new(Slots { used: Mutex::new(0), freed: Condvar::new() });
    // Each file's state goes into the manifest as it is done, not into a list first.
    let shared = Mutex::new((manifest, 0usize));
    files.par_iter().for_each(|c| {
        let c: &Candidate = c;
        {
            let key = file_key(c.root, &c.rel_path);
            let mut state = FileState::default();
            let mut indexed = false;
            match c.read() {
                Ok(bytes) => {
                    state.stamp.hash = content_hash(&bytes);
                    // Parsing and the document builder, guarded together for this file.
                    // A draft is checked and kept in the manifest, but gets no document: no
                    // responder finds it until its author says it is done.
                    let built = parse_candidate(&bytes, c).and_then(|(rb, problems)| {
                        crate::problem::guarded(&c.file, || {
                            let doc = (!rb.meta.draft).then(|| document(fields, &key, &rb));
                            (doc, rb.id, rb.meta.key_lines.get("id").copied(), problems)
                        })
                    });
                    drop(bytes);
                    match built {
                        Ok((doc, id, id_line, problems)) => {
                            if let Some(doc) = doc {
                                let doc = Tracked { doc, _slot: slots.take() };
                                indexed = writer.add_document(doc).is_ok();
                            }
                            (state.id, state.id_line, state.problems) = (id, id_line.unwrap_or(0), problems);
                        }
                        Err(problem) => state.problems.push(problem),
                    }
                }
                Err(problem) => state.problems.push(problem),
            }
            progress.done.fetch_add(1, Ordering::Relaxed);
            state.stamp = Stamp { size: c.size, mtime_ns: c.mtime_ns, ctime_ns: c.ctime_ns, hash: state.stamp.hash };
            let mut m = shared.lock().unwrap_or_else(PoisonError::into_inner);
            m.0.files.insert(key, state);
            m.1 += usize::from(indexed);
        }
    });
    shared.into_inner().unwrap_or_else(PoisonError::into_inner).1
}

/// Two runbooks with one id: the later one (in walk order) gets the problem, as `check` says
/// it. Worked out again over every file after each change (an edit elsewhere may make or end
/// a clash) from the ids the manifest keeps, so an unchanged index never re-reads a file.
pub(super) fn note_duplicate_ids(manifest: &mut Manifest, candidates: &[Candidate]) {
    for state in manifest.files.values_mut() {
        state.problems.retain(|p| p.code != DUPLICATE_ID);
    }
    let mut keys = Vec::with_capacity(candidates.len());
    let mut named = Vec::with_capacity(candidates.len());
    for c in candidates {
        let key = file_key(c.root, &c.rel_path);
        if let Some(state) = manifest.files.get(&key).filter(|s| !s.id.is_empty()) {
            named.push(Named { id: &state.id, file: &c.file, line: Some(state.id_line).filter(|&l| l > 0) });
            keys.push(key);
        }
    }
    let by_file: std::collections::HashMap<&std::path::Path, &String> =
        named.iter().map(|n| n.file).zip(keys.iter()).collect();
    let found: Vec<(String, crate::problem::Problem)> = duplicate_ids(named.iter().cloned())
        .into_iter()
        .filter_map(|p| Some(((*by_file.get(p.path.as_path())?).clone(), p)))
        .collect();
    for (key, problem) in found {
        if let Some(state) = manifest.files.get_mut(&key) {
            state.problems.push(problem);
        }
    }
}
