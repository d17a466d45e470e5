//! Meaning search over an open index: every runbook's vector (kept beside the index in the
//! cache, embedded again only when its text changed), the query's vector, and the blended
//! ranking (`blend`). Built after the lexical index is ready, never before it: a search
//! without it is the lexical one.

use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use serde::Serialize;
use tantivy::schema::Value;
use tantivy::{DocAddress, IndexReader, Searcher, TantivyDocument};

use super::schema::{Fields, StoredEntry};
use super::writer::Progress;
use crate::meaning::store::{Vectors, text_hash};
use crate::meaning::{Model, Vector};

/// Runbooks embedded at once: long enough to use the matrix code well, short enough that a
/// batch's padding stays small (texts are sorted by length first).
const BATCH: usize = 8;

/// Words of a runbook's text given to the model (it reads at most `MAX_TOKENS` tokens).
const WORDS: usize = 300;

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
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
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
        let texts = texts(&searcher, fields)?;
        let fingerprint = embedder.0.fingerprint();
        let kept = dir.map(|d| Vectors::read(d, fingerprint)).unwrap_or_default();
        let hashes: Vec<u64> = texts.iter().map(|(_, t)| text_hash(t)).collect();
        let mut missing: Vec<usize> = (0..texts.len()).filter(|&i| !kept.0.contains_key(&hashes[i])).collect();
        missing.sort_by_key(|&i| texts[i].1.len());
        missing.dedup_by_key(|i| hashes[*i]);
        progress.total.store(missing.len(), Ordering::Relaxed);
        progress.done.store(0, Ordering::Relaxed);
        let mut now = Vectors::default();
        for chunk in missing.chunks(BATCH) {
            let batch: Vec<&str> = chunk.iter().map(|&i| texts[i].1.as_str()).collect();
            for (&i, v) in chunk.iter().zip(embedder.embed(&batch)?) {
                now.0.insert(hashes[i], v);
            }
            progress.done.fetch_add(chunk.len(), Ordering::Relaxed);
        }
        let embedded = now.0.len();
        for h in &hashes {
            if let Some(v) = kept.0.get(h) {
                now.0.insert(*h, v.clone());
            }
        }
        let changed = embedded > 0 || now.0.len() != kept.0.len();
        let not_kept = match dir {
            Some(d) if changed => now.write(d, fingerprint).err().map(|e| format!("{}: {e}", d.display())),
            _ => None,
        };
        let docs = texts.iter().zip(&hashes).filter_map(|((a, _), h)| Some((*a, now.0.get(h)?.clone()))).collect();
        let stats = MeaningStats { runbooks: texts.len(), embedded, not_kept };
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

/// Every live runbook's text for the model: its title, summary, symptoms (with aliases and
/// alert names, identifiers split into words), then its sections' titles and text, the first
/// `WORDS` words of all that.
fn texts(searcher: &Searcher, fields: &Fields) -> Result<Vec<(DocAddress, String)>, String> {
    let mut out = Vec::new();
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let ord = u32::try_from(ord).map_err(|_| "too many segments")?;
        let alive = segment.alive_bitset();
        for doc in (0..segment.max_doc()).filter(|&d| alive.is_none_or(|a| a.is_alive(d))) {
            let addr = DocAddress::new(ord, doc);
            let stored: TantivyDocument =
                searcher.doc(addr).map_err(|e| format!("a stored document is unreadable: {e}"))?;
            let column = segment
                .fast_fields()
                .str("entry")
                .map_err(|e| format!("the entry column is unreadable: {e}"))?
                .ok_or("a segment has no entry column")?;
            let mut encoded = String::new();
            if let Some(o) = column.term_ords(doc).next() {
                column.ord_to_str(o, &mut encoded).map_err(|e| format!("an entry is unreadable: {e}"))?;
            }
            let entry = StoredEntry::decode(&encoded).ok_or("an entry does not decode")?;
            let all = |field| stored.get_all(field).filter_map(|v| v.as_str()).collect::<Vec<_>>();
            let mut text = words_of(&entry.title);
            text.push_str(". ");
            text.push_str(&entry.summary);
            for line in entry.symptoms.iter().chain(&entry.alerts) {
                text.push_str(". ");
                text.push_str(&words_of(line));
            }
            // What the page says it covers (its section titles), then what it says.
            let headings: Vec<&str> = all(fields.headings).into_iter().filter(|h| !h.is_empty()).collect();
            if !headings.is_empty() {
                text.push_str(". ");
                text.push_str(&headings.join("; "));
            }
            for body in all(fields.body) {
                text.push_str(". ");
                text.push_str(body);
            }
            out.push((addr, first_words(&text, WORDS)));
        }
    }
    Ok(out)
}

/// Identifiers split into words ("KubePodCrashLooping" -> "Kube Pod Crash Looping").
fn words_of(line: &str) -> String {
    line.split_whitespace()
        .map(|w| {
            if w.chars().any(char::is_lowercase) && w.chars().skip(1).any(char::is_uppercase) {
                crate::text::split_words(w).join(" ")
            } else {
                w.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn first_words(text: &str, n: usize) -> String {
    text.split_whitespace().take(n).collect::<Vec<_>>().join(" ")
}
