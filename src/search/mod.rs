//! Search by symptom. A tantivy index of runbooks and their sections, kept fresh
//! incrementally in the user's cache dir; `query -> Vec<Hit>`. No tantivy type leaves this
//! module: callers see `SearchIndex`, `Hit`, `Entry` and `Snippet`, and choose with `Cache`,
//! `Ranking` and `Weights`; everything else is private to it.
//!
//! The modules import one way only: each from those below it, never back up (a leaf
//! imports nothing here).
//!
//! ```text
//! mod.rs    SearchIndex, Entry, Hit, damage       -> store, read, query, schema, writer, cache, integrity, meaning
//! read      hits, rankings, entries from a reader -> meaning, blend, snippet, query, words, schema
//! meaning   every runbook's vector, the query's   -> schema, writer (Progress)
//! blend     lexical and meaning scores -> order   (leaf)
//! store     open, refresh or rebuild an index     -> writer, diff, schema, manifest, cache, integrity
//! writer    parse files, write their documents    -> schema, manifest
//! diff      the walk against the manifest         -> manifest
//! snippet   a hit's best section and excerpt      -> words, schema, tokens, stem
//! query     the tantivy query and its ranking     -> words, schema, tokens, stem
//! words     a query's words                       -> tokens, stem, lexicon
//! schema    the fields and a runbook's document   -> tokens, stem
//! tokens    analyzers, identifiers, stop words    -> stem
//! stem      memoised English stems                -> lexicon
//! integrity whether the cached index is whole       (leaf)
//! cache     the cache folder: name, lock, clear   (leaf)
//! manifest  per-file stamps and problems          (leaf)
//! lexicon   irregular forms and related words     (leaf)
//! ```
//!
//! Files come from `runbook::library` (its walk and its parser); nothing here walks a folder.

mod blend;
mod cache;
mod diff;
mod integrity;
mod lexicon;
mod manifest;
mod meaning;
mod payload;
mod query;
mod read;
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
use tantivy::IndexReader;

pub use blend::MEANING_SHARE;
pub use cache::Cache;
pub use meaning::{Embedder, MeaningStats};
pub use query::{Ranking, Weights};
use schema::Fields;
pub(crate) use snippet::Snippet;
pub use store::{Location, RefreshStats};
pub use writer::Progress;

use crate::problem::Problem;
use crate::runbook::library::{Catalog, RunbookRef};
use crate::runbook::{Kind, Severity};

/// A runbook as the index knows it (enough to list it and to open its file).
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Entry {
    pub id: String,
    pub title: String,
    /// Its file: the folder it was found in and the path inside it.
    #[serde(flatten)]
    pub at: RunbookRef,
    pub kind: Kind,
    pub severity: Option<Severity>,
    /// When it is due for review again (`last_reviewed` + `review_every`).
    pub review_due: Option<jiff::civil::Date>,
    pub systems: Vec<String>,
    pub symptoms: Vec<String>,
    pub summary: String,
    /// The alerts it answers (`alerts:`).
    pub alerts: Vec<String>,
}

impl Entry {
    /// Whether its review date has passed.
    pub(crate) fn review_overdue(&self, today: jiff::civil::Date) -> bool {
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
    /// The cache folder the index lives in, when it is on disk.
    dir: Option<PathBuf>,
    /// The first damage a read of the index met.
    damage: std::sync::Mutex<Option<String>>,
    /// Every runbook's vector, once `attach_meaning` has made them: searches blend meaning
    /// in from then on.
    meaning: std::sync::RwLock<Option<Arc<meaning::Meaning>>>,
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
    /// Open the index of the catalog's folders, refreshing what changed since it was
    /// written (from the catalog's walk). Never fails: an unusable cache means an in-memory
    /// index (see `stats.fallback`).
    pub fn open(catalog: &Catalog, cache: &Cache, progress: &Arc<Progress>) -> SearchIndex {
        let roots = catalog.folders();
        let dir = cache.dir(roots);
        SearchIndex::of(store::open(catalog, dir.as_deref(), progress), roots, dir)
    }

    fn of(opened: store::Opened, roots: &[PathBuf], dir: Option<PathBuf>) -> SearchIndex {
        let dir = dir.filter(|_| opened.location == Location::Disk);
        SearchIndex {
            reader: opened.reader,
            fields: opened.fields,
            roots: roots.to_vec(),
            location: opened.location,
            stats: opened.stats,
            problems: opened.problems,
            entries: OnceLock::new(),
            dir,
            damage: std::sync::Mutex::new(None),
            meaning: std::sync::RwLock::new(None),
        }
    }

    /// The index the cache holds for `roots`, as it was last written, without checking that
    /// it is fresh (no walk): for a first list at once, while `open` refreshes it. `None` when
    /// the cache holds none (then only `open` gives one).
    pub(crate) fn open_cached(roots: &[PathBuf], cache: &Cache) -> Option<SearchIndex> {
        let dir = cache.dir(roots)?;
        Some(SearchIndex::of(store::open_as_is(&dir)?, roots, Some(dir)))
    }

    /// Whether opening changed nothing the cached index did not already hold.
    pub(crate) fn unchanged(&self) -> bool {
        self.location == Location::Disk
            && self.stats.reindexed == 0
            && self.stats.removed == 0
            && self.stats.fallback.is_none()
    }

    /// Problems found while loading the runbooks (from this run or cached with the index).
    pub fn problems(&self) -> &[Problem] {
        &self.problems
    }

    /// The best `limit` runbooks for `query`, best first, with their best section and a
    /// snippet from it. A damaged index answers what it can, and says so (`damaged`).
    pub fn search(&self, query_text: &str, limit: usize) -> Vec<Hit> {
        let Some(reader) = &self.reader else { return Vec::new() };
        let meaning = self.meaning();
        self.guard(|| read::hits(reader, &self.fields, &self.roots, query_text, limit, meaning.as_deref()))
    }

    /// `search` by words alone, whether or not meaning is attached.
    pub fn search_words(&self, query_text: &str, limit: usize) -> Vec<Hit> {
        let Some(reader) = &self.reader else { return Vec::new() };
        self.guard(|| read::hits(reader, &self.fields, &self.roots, query_text, limit, None))
    }

    /// Embed every runbook not embedded yet (the model reads those whose text changed; the
    /// rest come from the cache), keep the vectors in the cache, and blend meaning into every
    /// search from now on. `progress` counts the runbooks embedded.
    pub fn attach_meaning(&self, embedder: &Embedder, progress: &Progress) -> Result<MeaningStats, String> {
        let Some(reader) = &self.reader else { return Err("the index could not be read".into()) };
        let (built, stats) = crate::problem::caught(|| {
            meaning::Meaning::build(reader, &self.fields, self.dir.as_deref(), embedder, progress)
        })
        .and_then(|r| r)?;
        if let Ok(mut slot) = self.meaning.write() {
            *slot = Some(Arc::new(built));
        }
        Ok(stats)
    }

    /// Whether searches blend meaning in.
    pub(crate) fn has_meaning(&self) -> bool {
        self.meaning.read().is_ok_and(|m| m.is_some())
    }

    fn meaning(&self) -> Option<Arc<meaning::Meaning>> {
        self.meaning.read().ok().and_then(|m| m.clone())
    }

    /// The best `limit` runbooks for `query` under `ranking`, best first, without sections or
    /// snippets: what the relevance evaluation compares rankings with.
    pub fn rank(&self, query_text: &str, limit: usize, ranking: &Ranking) -> Vec<Entry> {
        let Some(reader) = &self.reader else { return Vec::new() };
        let meaning = self.meaning();
        self.guard(|| read::ranked(reader, &self.fields, &self.roots, query_text, limit, ranking, meaning.as_deref()))
    }

    /// Every runbook in the index, sorted by id. Read from the `entry` column alone: no
    /// section text is touched.
    pub fn entries(&self) -> &[Entry] {
        self.entries.get_or_init(|| match &self.reader {
            Some(reader) => self.guard(|| read::entries(reader, &self.roots)),
            None => Vec::new(),
        })
    }

    /// The cache folder, when the index is on disk (to empty it when it is damaged).
    pub(crate) fn cache_dir(&self) -> Option<&std::path::Path> {
        self.dir.as_deref()
    }

    /// Check the cache's index whole (every file there, every checksum right): what is wrong,
    /// if anything. A few ms at 10,000 runbooks, so the TUI does it off its event loop.
    pub(crate) fn verify(&self) -> Option<String> {
        self.dir.as_deref().and_then(integrity::verify)
    }

    /// Empty a damaged index's cache folder, so that the next open builds it again.
    pub(crate) fn discard_cache(dir: &std::path::Path) {
        store::discard(dir);
    }

    /// What was found damaged in the index while reading it (a failed read, a caught panic),
    /// if anything: the cache is then to be rebuilt (`SearchIndex::open_repairing`).
    pub(crate) fn damaged(&self) -> Option<String> {
        self.damage.lock().ok().and_then(|d| d.clone())
    }

    /// Run a read of the index; an error or a panic in it is damage, remembered, and the
    /// read answers nothing.
    fn guard<T: Default>(&self, read: impl FnOnce() -> Result<T, String>) -> T {
        match crate::problem::caught(read).and_then(|r| r) {
            Ok(v) => v,
            Err(why) => {
                if let Ok(mut d) = self.damage.lock() {
                    d.get_or_insert(why);
                }
                T::default()
            }
        }
    }

    /// Open the index for `roots` and `use` it; when the cache turns out damaged, empty it,
    /// build it again and use that: the results, and a line saying it happened.
    pub(crate) fn open_repairing<T>(
        catalog: &Catalog,
        cache: &Cache,
        progress: &Arc<Progress>,
        use_it: impl Fn(&SearchIndex) -> T,
    ) -> (SearchIndex, T, Option<String>) {
        let index = SearchIndex::open(catalog, cache, progress);
        let out = use_it(&index);
        let Some(why) = index.damaged() else {
            let note = index.stats.repaired.clone();
            return (index, out, note);
        };
        if let Some(dir) = index.dir.as_deref() {
            store::discard(dir);
        }
        drop(index);
        let index = SearchIndex::open(catalog, cache, progress);
        let out = use_it(&index);
        let said = format!("the search index in the cache was damaged ({why}); it was rebuilt");
        (index, out, Some(crate::text::one_line(&said)))
    }
}
