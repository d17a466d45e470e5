//! Search by symptom. A tantivy index of runbooks and their sections, kept fresh
//! incrementally in the user's cache dir; `query -> Vec<Hit>`. No tantivy type leaves this
//! module: callers see `SearchIndex`, `Hit` and `Entry`.

mod query;
mod schema;
pub mod snippet;
pub mod store;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

use serde::Serialize;
use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery, TermSetQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{IndexReader, ReloadPolicy, Searcher, TantivyDocument, Term};

pub use query::{QueryWord, parse_words};
use schema::{DOC_RUNBOOK, DOC_SECTION, Fields, StoredMeta, ranked};
pub use snippet::Snippet;
pub use store::{Location, Progress, RefreshStats};

use crate::problem::Problem;

/// A runbook as the index knows it (enough to list it and to open its file).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Entry {
    pub id: String,
    pub title: String,
    /// Path relative to its root.
    pub path: String,
    /// The root folder it was found in.
    pub root: PathBuf,
    pub kind: String,
    pub severity: Option<String>,
    pub systems: Vec<String>,
    pub symptoms: Vec<String>,
    pub summary: String,
}

impl Entry {
    pub fn file(&self) -> PathBuf {
        self.root.join(&self.path)
    }
}

/// One search result.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Hit {
    #[serde(flatten)]
    pub entry: Entry,
    pub score: f32,
    /// Id of the best-matching section, if a section matched.
    pub section: Option<String>,
    #[serde(skip)]
    pub section_title: Option<String>,
    pub snippet: Snippet,
}

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
    fn base(&self) -> Option<PathBuf> {
        match self {
            Cache::Default => std::env::var_os("RUNBOOK_CACHE_DIR")
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .or_else(|| dirs::cache_dir().map(|d| d.join("runbook"))),
            Cache::At(p) => Some(p.clone()),
            Cache::Off => None,
        }
    }
}

/// An open, fresh index over a set of roots.
pub struct SearchIndex {
    /// `None` only if even an in-memory index could not be read: every search is then empty.
    reader: Option<IndexReader>,
    fields: Fields,
    roots: Vec<PathBuf>,
    pub location: Location,
    pub stats: RefreshStats,
    problems: Vec<Problem>,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("roots", &self.roots)
            .field("location", &self.location)
            .finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// Open the index for `roots`, refreshing what changed. Never fails: an unusable cache
    /// means an in-memory index (see `stats.fallback`).
    pub fn open(roots: &[PathBuf], cache: &Cache, progress: &Arc<Progress>) -> SearchIndex {
        let dir = cache.base().map(|b| store::cache_dir_for(&b, roots));
        let mut opened = store::open(roots, dir.as_deref(), progress);
        let reader = match opened.index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into() {
            Ok(r) => Some(r),
            Err(e) => {
                // A reader over a broken disk index: rebuild in memory.
                opened = store::open(roots, None, progress);
                opened.stats.fallback = Some(format!("index could not be read: {e}"));
                opened.index.reader().ok()
            }
        };
        let mut problems = opened.walk_problems;
        let mut files: Vec<_> = opened.manifest.files.into_iter().collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        problems.extend(files.into_iter().flat_map(|(_, f)| f.problems));
        SearchIndex {
            reader,
            fields: opened.fields,
            roots: roots.to_vec(),
            location: opened.location,
            stats: opened.stats,
            problems,
        }
    }

    /// Problems found while loading the runbooks (from this run or cached with the index).
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    pub fn roots(&self) -> &[PathBuf] {
        &self.roots
    }

    /// The best `limit` runbooks for `query`, best first.
    pub fn search(&self, query_text: &str, limit: usize) -> Vec<Hit> {
        let words = parse_words(query_text);
        if words.is_empty() || limit == 0 {
            return Vec::new();
        }
        let Some(reader) = &self.reader else { return Vec::new() };
        let searcher = reader.searcher();
        let f = &self.fields;
        let q = query::filtered(query::build(&searcher, f, &ranked(f), &words), f.doctype, DOC_RUNBOOK);
        let Ok(top) = searcher.search(&q, &TopDocs::with_limit(limit).order_by_score()) else {
            return Vec::new();
        };
        let mut hits: Vec<(Hit, String)> = top
            .into_iter()
            .filter_map(|(score, addr)| {
                let doc: TantivyDocument = searcher.doc(addr).ok()?;
                let key = text(&doc, f.key);
                let entry = self.entry(&doc);
                let fallback = format!("{}\n{}", entry.summary, entry.symptoms.join(". "));
                let snippet = snippet::make(&fallback, &words, 160);
                Some((Hit { entry, score, section: None, section_title: None, snippet }, key))
            })
            .collect();
        let best = self.best_sections(&searcher, &words, hits.iter().map(|(_, k)| k.as_str()));
        for (hit, key) in &mut hits {
            if let Some((id, title, body)) = best.get(key.as_str()) {
                hit.section = Some(id.clone());
                hit.section_title = Some(title.clone()).filter(|t| !t.is_empty());
                let s = snippet::make(body, &words, 160);
                if !s.marks.is_empty() || hit.snippet.marks.is_empty() {
                    hit.snippet = s;
                }
            }
        }
        hits.into_iter().map(|(h, _)| h).collect()
    }

    /// For each runbook key, its best-matching section: (id, title, text).
    fn best_sections<'k>(
        &self,
        searcher: &Searcher,
        words: &[QueryWord],
        keys: impl Iterator<Item = &'k str>,
    ) -> HashMap<String, (String, String, String)> {
        let f = &self.fields;
        let terms: Vec<Term> = keys.map(|k| Term::from_field_text(f.key, k)).collect();
        let n = terms.len();
        if n == 0 {
            return HashMap::new();
        }
        let text_q = query::build(searcher, f, &[(f.headings, 2.0), (f.body, 1.0)], words);
        let sec = TermQuery::new(Term::from_field_text(f.doctype, DOC_SECTION), IndexRecordOption::Basic);
        let q: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
            (Occur::Must, text_q),
            (Occur::Must, Box::new(ConstScoreQuery::new(Box::new(sec), 0.0))),
            (Occur::Must, Box::new(ConstScoreQuery::new(Box::new(TermSetQuery::new(terms)), 0.0))),
        ]));
        let mut best = HashMap::new();
        if let Ok(top) = searcher.search(&q, &TopDocs::with_limit(n * 20).order_by_score()) {
            for (_, addr) in top {
                let Ok(doc) = searcher.doc::<TantivyDocument>(addr) else { continue };
                best.entry(text(&doc, f.key)).or_insert_with(|| {
                    (text(&doc, f.section), text(&doc, f.section_title), text(&doc, f.section_text))
                });
            }
        }
        best
    }

    /// Every runbook in the index, sorted by id.
    pub fn entries(&self) -> Vec<Entry> {
        let Some(reader) = &self.reader else { return Vec::new() };
        let searcher = reader.searcher();
        let q = TermQuery::new(Term::from_field_text(self.fields.doctype, DOC_RUNBOOK), IndexRecordOption::Basic);
        let Ok(addrs) = searcher.search(&q, &DocSetCollector) else {
            return Vec::new();
        };
        let mut out: Vec<Entry> =
            addrs.into_iter().filter_map(|a| searcher.doc::<TantivyDocument>(a).ok()).map(|d| self.entry(&d)).collect();
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out
    }

    fn entry(&self, doc: &TantivyDocument) -> Entry {
        let f = &self.fields;
        let meta: StoredMeta = serde_json::from_str(&text(doc, f.meta_json)).unwrap_or_default();
        let root_idx = doc.get_first(f.root).and_then(|v| v.as_u64()).unwrap_or(0);
        let root = usize::try_from(root_idx).ok().and_then(|i| self.roots.get(i)).cloned().unwrap_or_default();
        let severity = text(doc, f.severity);
        Entry {
            id: text(doc, f.id),
            title: text(doc, f.title),
            path: text(doc, f.path),
            root,
            kind: text(doc, f.kind),
            severity: Some(severity).filter(|s| !s.is_empty()),
            systems: meta.systems,
            symptoms: meta.symptoms,
            summary: meta.summary,
        }
    }
}

fn text(doc: &TantivyDocument, field: tantivy::schema::Field) -> String {
    doc.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_owned()
}

/// The cache folder that `Cache::Default` uses for `roots`.
pub fn default_cache_dir(roots: &[PathBuf]) -> Option<PathBuf> {
    Cache::Default.base().map(|b| store::cache_dir_for(&b, roots))
}
