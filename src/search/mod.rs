//! Search by symptom. A tantivy index of runbooks and their sections, kept fresh
//! incrementally in the user's cache dir; `query -> Vec<Hit>`. No tantivy type leaves this
//! module: callers see `SearchIndex`, `Hit`, `Entry` and `Snippet`, and choose with `Cache`,
//! `Ranking` and `Weights`; everything else is private to it.
//!
//! The modules import one way only: each from those below it, never back up (a leaf
//! imports nothing here).
//!
//! ```text
//! mod.rs    SearchIndex, Entry, Hit               -> store, snippet, query, words, schema, writer, cache
//! store     open, refresh or rebuild an index     -> writer, diff, schema, manifest, cache
//! writer    parse files, write their documents    -> schema, manifest
//! diff      the walk against the manifest         -> manifest
//! snippet   a hit's best section and excerpt      -> words, schema, tokens, stem
//! query     the tantivy query and its ranking     -> words, schema, tokens, stem
//! words     a query's words                       -> tokens, stem, lexicon
//! schema    the fields and a runbook's document   -> tokens, stem
//! tokens    analyzers, identifiers, stop words    -> stem
//! stem      memoised English stems                -> lexicon
//! cache     the cache folder: name, lock, clear   (leaf)
//! manifest  per-file stamps and problems          (leaf)
//! lexicon   irregular forms and related words     (leaf)
//! ```
//!
//! Files come from `runbook::library` (its walk and its parser); nothing here walks a folder.

mod cache;
mod diff;
mod lexicon;
mod manifest;
mod query;
mod schema;
mod snippet;
mod stem;
mod store;
mod tokens;
mod words;
mod writer;

use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::schema::Value;
use tantivy::{DocAddress, IndexReader, Searcher, TantivyDocument};

pub use cache::Cache;
pub use query::{Ranking, Weights};
use schema::{Fields, StoredEntry, StoredSection};
pub use snippet::Snippet;
pub use store::{Location, RefreshStats};
use words::{QueryWord, parse_words};
pub use writer::Progress;

use crate::problem::Problem;
use crate::runbook::{Kind, Severity};

/// A runbook as the index knows it (enough to list it and to open its file).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Entry {
    pub id: String,
    pub title: String,
    /// Path relative to its root.
    pub path: String,
    /// The root folder it was found in.
    pub root: PathBuf,
    pub kind: Kind,
    pub severity: Option<Severity>,
    /// When it is due for review again (`last_reviewed` + `review_every`).
    pub review_due: Option<jiff::civil::Date>,
    pub systems: Vec<String>,
    pub symptoms: Vec<String>,
    pub summary: String,
}

impl Entry {
    pub fn file(&self) -> PathBuf {
        self.root.join(&self.path)
    }

    /// Whether its review date has passed.
    pub fn review_overdue(&self, today: jiff::civil::Date) -> bool {
        self.review_due.is_some_and(|due| due < today)
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
    /// Whether the query names that section clearly (half or more of its words in the
    /// section's title), so that opening the runbook there is what the responder asked for.
    #[serde(skip)]
    pub section_named: bool,
    pub snippet: Snippet,
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
    /// `entries()`, read from the index on first use.
    entries: OnceLock<Vec<Entry>>,
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
        SearchIndex::of(store::open(roots, cache.dir(roots).as_deref(), progress), roots)
    }

    fn of(opened: store::Opened, roots: &[PathBuf]) -> SearchIndex {
        SearchIndex {
            reader: opened.reader,
            fields: opened.fields,
            roots: roots.to_vec(),
            location: opened.location,
            stats: opened.stats,
            problems: opened.problems,
            entries: OnceLock::new(),
        }
    }

    /// The index the cache holds for `roots`, as it was last written, without checking that
    /// it is fresh (no walk): for a first list at once, while `open` refreshes it. `None` when
    /// the cache holds none (then only `open` gives one).
    pub fn open_cached(roots: &[PathBuf], cache: &Cache) -> Option<SearchIndex> {
        Some(SearchIndex::of(store::open_as_is(&cache.dir(roots)?)?, roots))
    }

    /// Whether opening changed nothing the cached index did not already hold.
    pub fn unchanged(&self) -> bool {
        self.location == Location::Disk
            && self.stats.reindexed == 0
            && self.stats.removed == 0
            && self.stats.fallback.is_none()
    }

    /// Problems found while loading the runbooks (from this run or cached with the index).
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    pub fn roots(&self) -> &[PathBuf] {
        &self.roots
    }

    /// The best `limit` runbooks for `query`, best first, with their best section and a
    /// snippet from it.
    pub fn search(&self, query_text: &str, limit: usize) -> Vec<Hit> {
        let Some(reader) = &self.reader else { return Vec::new() };
        let searcher = reader.searcher();
        let words = parse_words(query_text);
        let top = self.top(&searcher, query_text, &words, limit, &Ranking::default());
        let f = &self.fields;
        let mut matcher = snippet::Matcher::new(&words);
        top.into_iter()
            .filter_map(|(score, addr)| {
                let entry = self.entry_at(&searcher, addr)?;
                let doc: TantivyDocument = searcher.doc(addr).ok()?;
                let all = |field| doc.get_all(field).filter_map(|v| v.as_str().map(str::to_owned));
                let sections: Vec<StoredSection> = all(f.section_ids)
                    .zip(all(f.headings))
                    .zip(all(f.body))
                    .map(|((id, title), text)| (id, title, text))
                    .collect();
                let best = matcher.best_section(&sections);
                let section_snippet = best.map(|(_, _, body)| matcher.snippet(body, 160));
                // The words may have matched the title or symptoms only: then the summary and
                // symptoms make the better snippet.
                let snippet = match section_snippet {
                    Some(s) if !s.marks.is_empty() => s,
                    other => {
                        let fallback = format!("{}\n{}", entry.summary, entry.symptoms.join(". "));
                        let s = matcher.snippet(&fallback, 160);
                        if s.marks.is_empty() { other.unwrap_or(s) } else { s }
                    }
                };
                let section_named = best.is_some_and(|b| matcher.names(&b.1));
                let hit = Hit {
                    entry,
                    score,
                    section: best.map(|b| b.0.clone()),
                    section_title: best.map(|b| b.1.clone()).filter(|t| !t.is_empty()),
                    section_named,
                    snippet,
                };
                Some(hit)
            })
            .collect()
    }

    /// The best `limit` runbooks for `query` under `ranking`, best first, without sections or
    /// snippets: what the relevance evaluation compares rankings with.
    pub fn rank(&self, query_text: &str, limit: usize, ranking: &Ranking) -> Vec<Entry> {
        let Some(reader) = &self.reader else { return Vec::new() };
        let searcher = reader.searcher();
        let words = parse_words(query_text);
        let top = self.top(&searcher, query_text, &words, limit, ranking);
        top.into_iter().filter_map(|(_, addr)| self.entry_at(&searcher, addr)).collect()
    }

    fn top(
        &self,
        searcher: &Searcher,
        text: &str,
        words: &[QueryWord],
        limit: usize,
        ranking: &Ranking,
    ) -> Vec<(f32, DocAddress)> {
        if words.is_empty() || limit == 0 {
            return Vec::new();
        }
        let q = query::build(searcher, &self.fields, ranking, words, text);
        searcher.search(&q, &TopDocs::with_limit(limit).order_by_score()).unwrap_or_default()
    }

    /// Every runbook in the index, sorted by id. Read from the `entry` column alone: no
    /// section text is touched.
    pub fn entries(&self) -> &[Entry] {
        self.entries.get_or_init(|| self.read_entries())
    }

    fn read_entries(&self) -> Vec<Entry> {
        let Some(reader) = &self.reader else { return Vec::new() };
        let searcher = reader.searcher();
        let mut out = Vec::new();
        for segment in searcher.segment_readers() {
            let Ok(Some(column)) = segment.fast_fields().str("entry") else { continue };
            // The ords of live documents; the dictionary is then read in order, once.
            let mut live = vec![false; column.num_terms()];
            let alive = segment.alive_bitset();
            for doc in (0..segment.max_doc()).filter(|&d| alive.is_none_or(|a| a.is_alive(d))) {
                for ord in column.term_ords(doc) {
                    if let Some(slot) = usize::try_from(ord).ok().and_then(|o| live.get_mut(o)) {
                        *slot = true;
                    }
                }
            }
            let Ok(mut stream) = column.dictionary().stream() else { continue };
            let mut ord = 0usize;
            while stream.advance() {
                if live.get(ord).copied().unwrap_or(false)
                    && let Ok(text) = std::str::from_utf8(stream.key())
                    && let Some(entry) = self.decode(text)
                {
                    out.push(entry);
                }
                ord = ord.saturating_add(1);
            }
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out
    }

    /// The entry of one hit.
    fn entry_at(&self, searcher: &Searcher, addr: DocAddress) -> Option<Entry> {
        let segment = searcher.segment_readers().get(usize::try_from(addr.segment_ord).ok()?)?;
        let column = segment.fast_fields().str("entry").ok()??;
        let ord = column.term_ords(addr.doc_id).next()?;
        let mut text = String::new();
        column.ord_to_str(ord, &mut text).ok()?.then_some(())?;
        self.decode(&text)
    }

    fn decode(&self, text: &str) -> Option<Entry> {
        let e = StoredEntry::decode(text)?;
        Some(Entry {
            root: self.roots.get(e.root).cloned().unwrap_or_default(),
            id: e.id,
            title: e.title,
            path: e.path,
            kind: e.kind,
            severity: e.severity,
            review_due: e.review_due,
            systems: e.systems,
            symptoms: e.symptoms,
            summary: e.summary,
        })
    }
}
