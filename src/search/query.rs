//! Turning what a responder typed into a tantivy query.
//!
//! The ranking is BM25 per field (tantivy's, so each field is length-normalised against its
//! own average), combined per word with a disjunction-max: a word counts once, by its best
//! field, plus a `tie` share of its other fields, so a word repeated in five fields does not
//! count five times (BM25F's intent without its single saturation). On top of that:
//!
//! - **soft coverage in the short fields**: a word found in the title, symptoms, aliases, file
//!   name, systems or headings adds `cover` times its rarity. It is a signal next to BM25,
//!   never a tier: a long page that holds every word somewhere gains nothing from it.
//! - **guesses at a lower weight** (`guess`): the lexicon's related words (`lexicon.txt`), the
//!   closest spellings of a word the index does not know (a typo), and completions of the last
//!   word while it is being typed. A word counts by its best match, typed or guessed.
//! - **proximity**: two query words standing together in a title, a symptom or the file name
//!   add `pair`; a query that is exactly such a line adds `LINE_BONUS`, enough to put it
//!   first (the author wrote that line for that page).
//! - **the exact form**: plain BM25 over all the text as written, of the words as typed (a
//!   misspelt word by its closest spelling, at the guess weight), times `exact`.
//!
//! The constants are `Weights`, chosen by the leave-one-collection-out evaluation in
//! `tests/relevance/` (docs/performance.md has the figures). `Ranking::Bm25` is the baseline
//! that evaluation compares with: plain BM25 over all the text, no stemming, no boosts.

use rustc_hash::{FxHashMap, FxHashSet};
use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, FuzzyTermQuery, Occur, Query, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use super::schema::{Fields, PAIR_WINDOW, line_key, pair_key};
use super::stem::stem_of;
use super::tokens::{plain_analyzer, tokens};
use super::words::QueryWord;

/// The tunable constants of the ranking.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// Boost of the short fields (title, symptoms, name, systems, headings, summary) over the
    /// body, which has boost 1. Their relative boosts are fixed (`FIELDS`).
    pub short: f32,
    /// Soft coverage: added for each query word found in a short field, times the word's
    /// rarity (1 for a word in one runbook, 0 for a word in all).
    pub cover: f32,
    /// Weight of a guessed match (lexicon, typo, completion) relative to the word typed.
    pub guess: f32,
    /// Share of a word's score in its other fields, beside its best one (0 = best field only,
    /// 1 = the plain sum over fields).
    pub tie: f32,
    /// Added when two query words stand together in a title, a symptom or the file name.
    pub pair: f32,
    /// Weight of plain BM25 over all the text as written (the query's words exactly as typed,
    /// not stemmed; stop words left out), added to the rest: an exact form is more specific
    /// than its stem.
    pub exact: f32,
}

impl Default for Weights {
    /// The constants chosen on all collections (see `tests/relevance/`).
    fn default() -> Weights {
        Weights { short: 1.0, cover: 0.0, guess: 0.6, tie: 0.3, pair: 0.0, exact: 1.0 }
    }
}

/// How to rank.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Ranking {
    /// This module's ranking.
    Tuned(Weights),
    /// Plain BM25 over all the text as written (lowercased only): the baseline.
    Bm25,
    /// This module's ranking blended with meaning (`blend`): meaning's share is `share` times
    /// the part of the query's words the best lexical hit lacks; when the index has its
    /// vectors (`SearchIndex::attach_meaning`), else the lexical ranking alone.
    Blended(Weights, f32),
}

impl Default for Ranking {
    fn default() -> Ranking {
        Ranking::Tuned(Weights::default())
    }
}

/// Which field a ranked match is in, and its boost before `Weights::short` (body: none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Short,
    Body,
}

/// The ranked fields: (field, relative boost, role).
fn ranked_fields(f: &Fields) -> [(Field, f32, Role); 7] {
    [
        (f.symptoms, 1.5, Role::Short),
        (f.title, 1.0, Role::Short),
        (f.name, 0.75, Role::Short),
        (f.tags, 0.6, Role::Short),
        (f.headings, 0.5, Role::Short),
        (f.summary, 0.4, Role::Short),
        (f.body, 1.0, Role::Body),
    ]
}

/// Added when the query is exactly a runbook's title, one of its symptoms or aliases, or its
/// file name. Not tuned: it is the author's own answer to that line, so it comes first
/// (twice a typical top score for a short query).
const LINE_BONUS: f32 = 50.0;

/// Spellings or completions tried at most, per query word.
const GUESSES_MAX: usize = 4;
/// Terms a fuzzy or prefix expansion reads at most (a short prefix matches thousands).
const EXPAND_MAX: usize = 2048;

/// The number of runbooks whose `field` holds `text`.
fn doc_freq(searcher: &Searcher, field: Field, text: &str) -> u64 {
    searcher.doc_freq(&Term::from_field_text(field, text)).unwrap_or(0)
}

/// Terms of `field` that `query` (fuzzy or prefix) expands to, with their runbook counts
/// (at most `EXPAND_MAX` terms).
fn expand(searcher: &Searcher, field: Field, query: &FuzzyTermQuery) -> Vec<(String, u64)> {
    let mut found: FxHashMap<String, u64> = FxHashMap::default();
    let Ok(automaton) = query.automaton() else { return Vec::new() };
    for segment in searcher.segment_readers() {
        let Ok(inverted) = segment.inverted_index(field) else { continue };
        let Ok(mut stream) = inverted.terms().search(&automaton).into_stream() else { continue };
        while stream.advance() && found.len() < EXPAND_MAX {
            let Ok(term) = std::str::from_utf8(stream.key()) else { continue };
            *found.entry(term.to_owned()).or_default() += u64::from(stream.value().doc_freq);
        }
    }
    found.into_iter().collect()
}

/// What a word may have meant.
#[derive(Debug, Default)]
struct Guesses {
    /// Stems of its closest spellings (a word the index does not know: fewest edits, then
    /// most used) and of its most used completions (the word being typed); never the
    /// word's own stem or a related word's.
    stems: Vec<String>,
    /// The closest spelling as written, for the exact-form match.
    spelling: Option<String>,
}

fn guesses(searcher: &Searcher, f: &Fields, word: &QueryWord, known: bool) -> Guesses {
    let term = Term::from_field_text(f.plain, &word.raw);
    let mut out = Vec::new();
    let mut spelling = None;
    if !known && word.fuzzy > 0 {
        // One edit first: most typos are one, and its automaton is far cheaper to build.
        let mut found = expand(searcher, f.plain, &FuzzyTermQuery::new(term.clone(), 1, true));
        if found.is_empty() && word.fuzzy > 1 {
            found = expand(searcher, f.plain, &FuzzyTermQuery::new(term.clone(), word.fuzzy, true));
        }
        found.sort_by_cached_key(|(t, df)| {
            (strsim::damerau_levenshtein(t, &word.raw), std::cmp::Reverse(*df), t.clone())
        });
        spelling = found.first().map(|(t, _)| t.clone());
        out.extend(found.into_iter().map(|(t, _)| t).take(GUESSES_MAX));
    }
    if word.prefix {
        let mut found = expand(searcher, f.plain, &FuzzyTermQuery::new_prefix(term, 0, true));
        found.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        out.extend(found.into_iter().map(|(t, _)| t).take(GUESSES_MAX));
    }
    let mut stems: Vec<String> = Vec::new();
    for t in out {
        let s = stem_of(&t);
        if s != word.stem && !word.related.contains(&s) && !stems.contains(&s) {
            stems.push(s);
        }
    }
    Guesses { stems, spelling }
}

/// The query as the meaning model is to read it: each word that neither the index nor the
/// model knows (`knows`: a whole word of its vocabulary), and that has a close spelling in the
/// index, replaced by that spelling ("custmers" -> "customers"). A word the model knows is
/// never changed, even when the index lacks it ("bitcoin").
pub(super) fn spelled_for_model(
    searcher: &Searcher,
    f: &Fields,
    words: &[QueryWord],
    text: &str,
    knows: impl Fn(&str) -> bool,
) -> String {
    let fields = ranked_fields(f);
    let mut fixes: Vec<(&str, String)> = Vec::new();
    for word in words.iter().filter(|w| w.fuzzy > 0 && !knows(&w.raw)) {
        let known = fields.iter().any(|&(field, _, _)| doc_freq(searcher, field, &word.stem) > 0);
        if known {
            continue;
        }
        let plain = QueryWord { prefix: false, ..word.clone() };
        if let Some(spelling) = guesses(searcher, f, &plain, false).spelling {
            fixes.push((word.raw.as_str(), spelling));
        }
    }
    if fixes.is_empty() {
        return text.to_owned();
    }
    text.split_whitespace()
        .map(|token| {
            let bare = token.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
            fixes.iter().find(|(raw, _)| *raw == bare).map_or(token.to_owned(), |(_, s)| s.clone())
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The query for one stem: its BM25 in every ranked field, combined by disjunction-max, plus
/// soft coverage when it is in a short field; all times `weight`.
fn stem_query(searcher: &Searcher, f: &Fields, w: &Weights, stem: &str, weight: f32) -> Box<dyn Query> {
    // Only the fields that hold the stem (fewer scorers to merge), each looked up once.
    let held: Vec<(Field, f32, Role, u64)> = ranked_fields(f)
        .into_iter()
        .map(|(field, boost, role)| (field, boost, role, doc_freq(searcher, field, stem)))
        .filter(|&(_, _, _, df)| df > 0)
        .collect();
    let term = |field| TermQuery::new(Term::from_field_text(field, stem), IndexRecordOption::WithFreqs);
    let per_field: Vec<Box<dyn Query>> = held
        .iter()
        .map(|&(field, boost, role, _)| {
            let boost = if role == Role::Short { boost * w.short } else { boost };
            Box::new(BoostQuery::new(Box::new(term(field)), boost * weight)) as Box<dyn Query>
        })
        .collect();
    let best_field: Box<dyn Query> = Box::new(DisjunctionMaxQuery::with_tie_breaker(per_field, w.tie));
    let short: Vec<(Occur, Box<dyn Query>)> = held
        .iter()
        .filter(|&&(_, _, role, _)| role == Role::Short)
        .map(|&(field, _, _, _)| (Occur::Should, Box::new(term(field)) as Box<dyn Query>))
        .collect();
    if w.cover <= 0.0 || short.is_empty() {
        return best_field;
    }
    let rarity = rarity(searcher, held.iter().map(|&(_, _, _, df)| df).max().unwrap_or(0));
    if rarity <= 0.0 {
        return best_field;
    }
    let covered = ConstScoreQuery::new(Box::new(BooleanQuery::new(short)), w.cover * rarity * weight);
    Box::new(BooleanQuery::new(vec![(Occur::Should, best_field), (Occur::Should, Box::new(covered))]))
}

/// How specific a stem found in `df` runbooks is, from 0 (in every runbook) to 1 (in one):
/// its BM25 idf over the idf of a word found once.
fn rarity(searcher: &Searcher, df: u64) -> f32 {
    let n = searcher.num_docs() as f32;
    if n < 2.0 || df == 0 {
        return 0.0;
    }
    let idf = |df: f32| ((n - df + 0.5) / (df + 0.5) + 1.0).ln();
    (idf(df as f32) / idf(1.0)).clamp(0.0, 1.0)
}

/// The whole query: per word, the best of its own match and its guesses; per close pair of
/// words, a proximity bonus.
pub(super) fn build(
    searcher: &Searcher,
    f: &Fields,
    ranking: &Ranking,
    words: &[QueryWord],
    text: &str,
) -> Box<dyn Query> {
    let w = match ranking {
        Ranking::Bm25 => return baseline(f, text),
        Ranking::Blended(w, _) => w,
        Ranking::Tuned(w) => w,
    };
    let fields = ranked_fields(f);
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    // The words as written for the exact-form match; a misspelt one by its correction.
    let mut as_written: Vec<(String, f32)> = Vec::new();
    for word in words {
        let known = fields.iter().any(|&(field, _, _)| doc_freq(searcher, field, &word.stem) > 0);
        let guessed = guesses(searcher, f, word, known);
        match guessed.spelling {
            Some(spelling) => as_written.push((spelling, w.guess)),
            None => as_written.push((word.raw.clone(), 1.0)),
        }
        let mut alternatives = vec![stem_query(searcher, f, w, &word.stem, 1.0)];
        for stem in word.related.iter().chain(&guessed.stems) {
            alternatives.push(stem_query(searcher, f, w, stem, w.guess));
        }
        let word_query = match alternatives.len() {
            1 => alternatives.remove(0),
            _ => Box::new(DisjunctionMaxQuery::new(alternatives)),
        };
        clauses.push((Occur::Should, word_query));
    }
    let bonus = |key: String, score: f32| -> Box<dyn Query> {
        let tq = TermQuery::new(Term::from_field_text(f.pairs, &key), IndexRecordOption::Basic);
        Box::new(ConstScoreQuery::new(Box::new(tq), score))
    };
    let stems: Vec<String> = words.iter().map(|w| w.stem.clone()).collect();
    clauses.push((Occur::Should, bonus(line_key(&stems), LINE_BONUS)));
    if w.pair > 0.0 {
        for (i, a) in words.iter().enumerate() {
            for b in words.iter().skip(i + 1).take(PAIR_WINDOW - 1) {
                // The pair as typed, else through related words ("restart rabbit" ~ "restart rabbitmq").
                let keys: Vec<String> = std::iter::once(&a.stem)
                    .chain(&a.related)
                    .flat_map(|x| std::iter::once(&b.stem).chain(&b.related).map(move |y| pair_key(x, y)))
                    .take(16)
                    .collect();
                let alternatives = keys.into_iter().map(|k| bonus(k, w.pair)).collect();
                clauses.push((Occur::Should, Box::new(DisjunctionMaxQuery::new(alternatives))));
            }
        }
    }
    if w.exact > 0.0 {
        clauses.push((Occur::Should, Box::new(BoostQuery::new(plain_bm25(f, as_written), w.exact))));
    }
    Box::new(BooleanQuery::new(clauses))
}

/// Plain BM25: every word of the query as written, lowercased, in the one field holding all
/// the text; tantivy's scoring, nothing added.
fn baseline(f: &Fields, text: &str) -> Box<dyn Query> {
    plain_bm25(f, tokens(&mut plain_analyzer(), text).into_iter().map(|t| (t, 1.0)).collect())
}

/// BM25 of `words` (each once, times its weight) in the field holding all the text as
/// written.
fn plain_bm25(f: &Fields, words: Vec<(String, f32)>) -> Box<dyn Query> {
    let mut seen = FxHashSet::default();
    let clauses = words
        .into_iter()
        .filter(|(t, _)| seen.insert(t.clone()))
        .map(|(t, weight)| {
            let tq = TermQuery::new(Term::from_field_text(f.plain, &t), IndexRecordOption::WithFreqs);
            let q: Box<dyn Query> =
                if weight == 1.0 { Box::new(tq) } else { Box::new(BoostQuery::new(Box::new(tq), weight)) };
            (Occur::Should, q)
        })
        .collect();
    Box::new(BooleanQuery::new(clauses))
}
