//! Meaning search over an open index: every runbook's vector (kept beside the index in the
//! cache, embedded again only when its text changed), the query's vector, and the blended
//! ranking (`blend`). Built after the lexical index is ready, never before it: a search
//! without it is the lexical one.

use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use tantivy::schema::Value;
use tantivy::{DocAddress, IndexReader, Searcher, TantivyDocument};

use super::schema::{Fields, StoredEntry, encoded_entry_at, meaning_text};
use super::writer::Progress;
use crate::meaning::store::Vectors;
use crate::meaning::{Model, Vector};

/// Runbooks embedded at once: long enough to use the matrix code well, short enough that a
/// batch's padding stays small (texts are sorted by length first).
const BATCH: usize = 8;

/// The model, loaded once and shared by every index that uses it.
#[derive(Clone)]
pub struct Embedder(Arc<Model>);

impl std::fmt::Debug for Embedder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Embedder").finish_non_exhaustive()
    }
}

impl Embedder {
    /// The model from its folder (`RUNBOOK_MODEL`, the package's, the source tree's); why not.
    pub fn load() -> Result<Embedder, String> {
        crate::meaning::load().map(|m| Embedder(Arc::new(m))).map_err(|e| e.to_string())
    }

    pub(super) fn embed(&self, texts: &[&str]) -> Result<Vec<Vector>, String> {
        self.0.embed(texts).map_err(|e| e.to_string())
    }
}

/// What building the vectors did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MeaningStats {
    pub runbooks: usize,
    /// Embedded this time (the rest came from the cache).
    pub embedded: usize,
    /// Why the vectors could not be kept in the cache, if so (they are used all the same).
    pub not_kept: Option<String>,
}

/// Every runbook's vector, by its place in this index's reader (fixed: the reader is never
/// reloaded), and the model for the query.
pub(super) struct Meaning {
    embedder: Embedder,
    docs: Vec<(DocAddress, Vector)>,
    /// The last query's vector (a search and its hits ask twice).
    last: Mutex<Option<(String, Vector)>>,
}

impl Meaning {
    /// The vectors of every runbook in `reader`: those kept in `dir` for the same text, the
    /// rest embedded now (counted in `progress`), then all kept in `dir` again.
    pub(super) fn build(
        reader: &IndexReader,
        fields: &Fields,
        dir: Option<&Path>,
        embedder: &Embedder,
        progress: &Progress,
    ) -> Result<(Meaning, MeaningStats), String> {
        let searcher = reader.searcher();
        let hashes = hashes(&searcher)?;
        let fingerprint = embedder.0.fingerprint();
        let kept = dir.map(|d| Vectors::read(d, fingerprint)).unwrap_or_default();
        // The text of each runbook not embedded yet (one per text), read from the index.
        let mut missing: Vec<(u64, String)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for (addr, hash) in &hashes {
            if !kept.0.contains_key(hash) && seen.insert(*hash) {
                missing.push((*hash, text(&searcher, fields, *addr)?));
            }
        }
        missing.sort_by_key(|(_, t)| t.len());
        progress.total.store(missing.len(), Ordering::Relaxed);
        progress.done.store(0, Ordering::Relaxed);
        let mut now = Vectors::default();
        for chunk in missing.chunks(BATCH) {
            let batch: Vec<&str> = chunk.iter().map(|(_, t)| t.as_str()).collect();
            for ((hash, _), v) in chunk.iter().zip(embedder.embed(&batch)?) {
                now.0.insert(*hash, v);
            }
            progress.done.fetch_add(chunk.len(), Ordering::Relaxed);
        }
        let embedded = now.0.len();
        for (_, hash) in &hashes {
            if let Some(v) = kept.0.get(hash) {
                now.0.insert(*hash, v.clone());
            }
        }
        let changed = embedded > 0 || now.0.len() != kept.0.len();
        let not_kept = match dir {
            Some(d) if changed => now.write(d, fingerprint).err().map(|e| format!("{}: {e}", d.display())),
            Some(_) => None,
            None => Some("the index is not in the cache folder this run".to_owned()),
        };
        let docs = hashes.iter().filter_map(|(a, h)| Some((*a, now.0.get(h)?.clone()))).collect();
        let stats = MeaningStats { runbooks: hashes.len(), embedded, not_kept };
        Ok((Meaning { embedder: embedder.clone(), docs, last: Mutex::new(None) }, stats))
    }

    /// The query's vector (the last one is remembered).
    fn query(&self, text: &str) -> Result<Vector, String> {
        if let Ok(last) = self.last.lock()
            && let Some((q, v)) = last.as_ref()
            && q == text
        {
            return Ok(v.clone());
        }
        let v = self.embedder.embed(&[text])?.into_iter().next().ok_or("the model gave no vector")?;
        if let Ok(mut last) = self.last.lock() {
            *last = Some((text.to_owned(), v.clone()));
        }
        Ok(v)
    }

    /// Which of `texts` is closest in meaning to `query`; `None` when there are none or the
    /// model fails.
    pub(super) fn closest(&self, query: &str, texts: &[&str]) -> Option<usize> {
        let q = self.query(query).ok()?;
        let vectors = self.embedder.embed(texts).ok()?;
        vectors.iter().enumerate().max_by(|a, b| a.1.cosine(&q).total_cmp(&b.1.cosine(&q))).map(|(i, _)| i)
    }

    /// Whether the model knows `word` whole (a word of its vocabulary).
    pub(super) fn knows(&self, word: &str) -> bool {
        self.embedder.0.knows(word)
    }

    /// The runbooks closest in meaning to `text`, best first (cosine, place), at most `n`.
    pub(super) fn nearest(&self, text: &str, n: usize) -> Result<Vec<(f32, DocAddress)>, String> {
        let q = self.query(text)?;
        let mut all: Vec<(f32, DocAddress)> = self.docs.iter().map(|(a, v)| (v.cosine(&q), *a)).collect();
        let n = n.min(all.len());
        if n < all.len() {
            all.select_nth_unstable_by(n, |a, b| b.0.total_cmp(&a.0));
            all.truncate(n);
        }
        all.sort_by(|a, b| b.0.total_cmp(&a.0));
        Ok(all)
    }
}

/// Every live runbook's place and the hash of its text for the model (a fast column: no
/// stored text is read).
fn hashes(searcher: &Searcher) -> Result<Vec<(DocAddress, u64)>, String> {
    let mut out = Vec::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let ord = u32::try_from(ord).map_err(|_| "too many segments")?;
        let column =
            segment.fast_fields().u64("meaning").map_err(|e| format!("the meaning column is unreadable: {e}"))?;
        let alive = segment.alive_bitset();
        for doc in (0..segment.max_doc()).filter(|&d| alive.is_none_or(|a| a.is_alive(d))) {
            let hash = column.first(doc).ok_or("a runbook has no meaning hash")?;
            out.push((DocAddress::new(ord, doc), hash));
        }
    }
    Ok(out)
}

/// One runbook's text for the model, from its stored fields (`schema::meaning_text`).
fn text(searcher: &Searcher, fields: &Fields, addr: DocAddress) -> Result<String, String> {
    let stored: TantivyDocument = searcher.doc(addr).map_err(|e| format!("a stored document is unreadable: {e}"))?;
    let entry = StoredEntry::decode(&encoded_entry_at(searcher, addr)?).ok_or("an entry does not decode")?;
    let all = |field| stored.get_all(field).filter_map(|v| v.as_str()).collect::<Vec<_>>();
    Ok(meaning_text(&entry, &all(fields.headings), &all(fields.body)))
}
