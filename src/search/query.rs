//! Turning what a responder typed into a tantivy query: every word is matched in every ranked
//! field (stemmed, boosted), a word the index does not know is matched with typo tolerance,
//! the unfinished last word as a prefix, a few ops words also by their synonyms. Each matched
//! word adds a bonus, larger for rarer (more specific) words, so that runbooks matching all
//! the words rank above those matching some, and among those matching some, the specific word
//! counts for more than the generic ones ("conntrack table full": the runbook about conntrack
//! beats the ones that only say "table" and "full"). Two query words that stand together in a
//! title or symptom add a smaller proximity bonus.

use std::fmt;

use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, DisjunctionMaxQuery, EnableScoring, Explanation, FuzzyTermQuery, Occur,
    Query, Scorer, TermQuery, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, Searcher, SegmentReader, Term};

use tantivy::collector::Count;

use super::schema::{Fields, PAIR_WINDOW, line_key, pair_key, raw_analyzer, stem_word};

/// Score added per query word matched, at least; larger than any realistic BM25 sum, so
/// coverage decides first and BM25 orders within the same coverage.
pub const COVERAGE_BONUS: f32 = 1000.0;
/// The rarest word's bonus is `e^RARITY_STEEPNESS` times the most common word's.
const RARITY_STEEPNESS: f32 = 2.5;
/// Added when two query words are a pair of the runbook's title, a symptom or its file name.
const PAIR_BONUS: f32 = 60.0;
/// Added when the query is exactly the runbook's title, one of its symptoms or its file name.
const LINE_BONUS: f32 = 150.0;

/// How much a match through a synonym counts (its BM25 and its coverage bonus), relative to
/// the word itself.
const SYNONYM_WEIGHT: f32 = 0.5;

/// Words that carry no meaning in a symptom ("the site is slow").
const STOP_WORDS: &[&str] = &[
    "a",
    "an",
    "and",
    "are",
    "as",
    "at",
    "be",
    "but",
    "by",
    "for",
    "from",
    "has",
    "have",
    "i",
    "in",
    "is",
    "it",
    "its",
    "me",
    "my",
    "of",
    "on",
    "or",
    "our",
    "so",
    "that",
    "the",
    "their",
    "there",
    "this",
    "to",
    "was",
    "we",
    "were",
    "what",
    "when",
    "why",
    "with",
    "how",
    "can",
    "cant",
    "does",
    "doesnt",
    "dont",
    "not",
    "do",
    "did",
    "didnt",
    "wont",
    "keeps",
    "keep",
    "very",
    "any",
    "all",
    "again",
    "after",
    "just",
    "still",
    "some",
    "getting",
    "being",
    "out",
    "up",
    "returns",
    "return",
    "returning",
    "shows",
    "showing",
    "says",
    "saying",
    "gives",
    "giving",
    "throws",
    "throwing",
    "see",
    "seeing",
    "get",
    "gets",
    "got",
];

/// Ops words a responder types for what runbooks call by another name. Each row is a group
/// of interchangeable words (unstemmed); a query word in a group also matches the others.
const SYNONYMS: &[&[&str]] = &[
    &["oom", "memory", "oomkilled"],
    &["ram", "memory"],
    &["cert", "certs", "certificate", "ssl", "tls"],
    &["db", "database", "postgresql", "postgres"],
    &["pg", "postgres", "postgresql"],
    &["postgres", "postgresql"],
    &["k8s", "kubernetes"],
    &["disk", "filesystem", "storage"],
    &["fs", "filesystem"],
    &["fds", "descriptors", "descriptor", "files"],
    &["ssh", "sshd"],
    &["hot", "overheating", "temperature", "thermal"],
    &["reboot", "reboots", "rebooting", "restart"],
    &["clock", "ntp", "chrony", "timesyncd"],
    &["cron", "crontab", "scheduled", "timer"],
    &["timeout", "timed", "timing"],
    &["rabbit", "rabbitmq"],
    &["app", "application", "myapp"],
    &["mq", "rabbitmq", "queue"],
    &["prod", "production"],
    &["nic", "interface"],
    &["website", "site"],
    &["hung", "hang", "stuck"],
    &["dying", "failing", "failure"],
];

/// One word of the query, prepared for matching.
#[derive(Debug, Clone, PartialEq)]
pub struct QueryWord {
    /// Lowercased, accent-folded word as typed.
    pub raw: String,
    /// Its English stem (what the ranked fields hold).
    pub stem: String,
    /// Edit distance allowed when the word is unknown to the index (0 = exact only).
    pub fuzzy: u8,
    /// Match as a prefix too (the last word, still being typed).
    pub prefix: bool,
    /// Stems of its synonyms (matched with a lower weight).
    pub synonyms: Vec<String>,
}

impl QueryWord {
    /// Whether `stem` is this word's stem or one of its synonyms'.
    pub fn has_stem(&self, stem: &str) -> bool {
        self.stem == stem || self.synonyms.iter().any(|s| s == stem)
    }
}

/// Whether a (lowercased) word carries no meaning in a symptom.
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.contains(&word)
}

fn stem_of(word: &str) -> String {
    let mut out = String::new();
    stem_word(word, &mut out);
    out
}

/// The stems of the synonyms of `raw` (not its own).
fn synonyms_of(raw: &str, own_stem: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for group in SYNONYMS.iter().filter(|g| g.contains(&raw)) {
        for other in group.iter().filter(|w| **w != raw) {
            let stem = stem_of(other);
            if stem != own_stem && !out.contains(&stem) {
                out.push(stem);
            }
        }
    }
    out
}

/// Split a query into words. The last word is a prefix unless the query ends in a space.
pub fn parse_words(query: &str) -> Vec<QueryWord> {
    let mut raw_tokens = Vec::new();
    let mut analyzer = raw_analyzer();
    let mut stream = analyzer.token_stream(query);
    while stream.advance() {
        raw_tokens.push(stream.token().text.clone());
    }
    let all_stop = raw_tokens.iter().all(|w| STOP_WORDS.contains(&w.as_str()));
    let last = raw_tokens.len().saturating_sub(1);
    let typing = !query.ends_with(char::is_whitespace);
    let mut words: Vec<QueryWord> = Vec::new();
    for (i, raw) in raw_tokens.into_iter().enumerate() {
        let is_last = i == last && typing;
        if !all_stop && !is_last && STOP_WORDS.contains(&raw.as_str()) {
            continue;
        }
        let stem = stem_of(&raw);
        let len = raw.chars().count();
        let fuzzy = match len {
            0..=4 => 0,
            5..=8 => 1,
            _ => 2,
        };
        if words.iter().any(|w| w.raw == raw) {
            continue;
        }
        let synonyms = synonyms_of(&raw, &stem);
        words.push(QueryWord { raw, stem, fuzzy, prefix: is_last && len >= 2, synonyms });
    }
    words
}

/// Whether the index holds the word exactly in any ranked field.
fn known(searcher: &Searcher, fields: &[(Field, f32)], word: &QueryWord) -> bool {
    fields.iter().any(|(f, _)| searcher.doc_freq(&Term::from_field_text(*f, &word.stem)).is_ok_and(|n| n > 0))
}

/// The query for one word: exact in every field (boosted), and fuzzy and prefix matches on
/// the unstemmed words.
fn word_query(searcher: &Searcher, fields: &[(Field, f32)], raw: Field, word: &QueryWord) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = stem_clauses(fields, &word.stem, 1.0);
    if word.fuzzy > 0 && !known(searcher, fields, word) {
        let fq = FuzzyTermQuery::new(Term::from_field_text(raw, &word.raw), word.fuzzy, true);
        clauses.push((Occur::Should, Box::new(ConstScoreQuery::new(Box::new(fq), 1.0))));
    }
    if word.prefix {
        let pq = FuzzyTermQuery::new_prefix(Term::from_field_text(raw, &word.raw), 0, true);
        clauses.push((Occur::Should, Box::new(ConstScoreQuery::new(Box::new(pq), 0.5))));
    }
    Box::new(BooleanQuery::new(clauses))
}

/// `stem` in every ranked field, boosted.
fn stem_clauses(fields: &[(Field, f32)], stem: &str, weight: f32) -> Vec<(Occur, Box<dyn Query>)> {
    fields
        .iter()
        .map(|(f, boost)| {
            let tq = TermQuery::new(Term::from_field_text(*f, stem), IndexRecordOption::WithFreqs);
            (Occur::Should, Box::new(BoostQuery::new(Box::new(tq), boost * weight)) as Box<dyn Query>)
        })
        .collect()
}

/// How specific a word is, from 0 (in every runbook) to 1 (in one): its BM25 idf over the
/// idf of a word found once. Words the index does not know exactly (typos, prefixes) are
/// counted by running their query.
fn rarity(searcher: &Searcher, fields: &[(Field, f32)], word: &QueryWord, query: &dyn Query) -> f32 {
    let n = searcher.num_docs() as f32;
    if n < 2.0 {
        return 0.0;
    }
    let df = |stem: &String| {
        fields.iter().filter_map(|(f, _)| searcher.doc_freq(&Term::from_field_text(*f, stem)).ok()).max().unwrap_or(0)
    };
    let mut found = df(&word.stem);
    if found == 0 {
        found = word.synonyms.iter().map(df).max().unwrap_or(0);
    }
    let found = if found > 0 { found as f32 } else { searcher.search(query, &Count).map_or(1, |c| c.max(1)) as f32 };
    let idf = |df: f32| ((n - df + 0.5) / (df + 0.5) + 1.0).ln();
    (idf(found) / idf(1.0)).clamp(0.0, 1.0)
}

/// The whole query over the given fields: per word, its ranked match plus a coverage bonus
/// weighted by the word's rarity (a match through a synonym only: half of both); per close
/// pair of words, a proximity bonus.
pub fn build(searcher: &Searcher, f: &Fields, fields: &[(Field, f32)], words: &[QueryWord]) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for word in words {
        let q = word_query(searcher, fields, f.raw, word);
        let bonus = COVERAGE_BONUS * (RARITY_STEEPNESS * rarity(searcher, fields, word, q.as_ref())).exp();
        let own: Box<dyn Query> = Box::new(PlusQuery { query: q, bonus });
        if word.synonyms.is_empty() {
            clauses.push((Occur::Should, own));
            continue;
        }
        let syn = word.synonyms.iter().flat_map(|s| stem_clauses(fields, s, SYNONYM_WEIGHT)).collect();
        let syn = Box::new(PlusQuery { query: Box::new(BooleanQuery::new(syn)), bonus: bonus * SYNONYM_WEIGHT });
        clauses.push((Occur::Should, Box::new(DisjunctionMaxQuery::new(vec![own, syn]))));
    }
    let bonus = |key: String, score: f32| -> (Occur, Box<dyn Query>) {
        let tq = TermQuery::new(Term::from_field_text(f.pairs, &key), IndexRecordOption::Basic);
        (Occur::Should, Box::new(ConstScoreQuery::new(Box::new(tq), score)))
    };
    for (i, a) in words.iter().enumerate() {
        for b in words.iter().skip(i + 1).take(PAIR_WINDOW - 1) {
            // The pair as typed, else through synonyms ("restart rabbit" ~ "restart rabbitmq").
            let keys: Vec<String> = std::iter::once(&a.stem)
                .chain(&a.synonyms)
                .flat_map(|x| std::iter::once(&b.stem).chain(&b.synonyms).map(move |y| pair_key(x, y)))
                .take(16)
                .collect();
            let alternatives: Vec<Box<dyn Query>> = keys.into_iter().map(|k| bonus(k, PAIR_BONUS).1).collect();
            clauses.push((Occur::Should, Box::new(DisjunctionMaxQuery::new(alternatives))));
        }
    }
    let stems: Vec<String> = words.iter().map(|w| w.stem.clone()).collect();
    clauses.push(bonus(line_key(&stems), LINE_BONUS));
    Box::new(BooleanQuery::new(clauses))
}

/// `query`'s score plus a constant `bonus` on every document it matches: the coverage bonus
/// without evaluating the word's query twice.
struct PlusQuery {
    query: Box<dyn Query>,
    bonus: Score,
}

impl Clone for PlusQuery {
    fn clone(&self) -> Self {
        PlusQuery { query: self.query.box_clone(), bonus: self.bonus }
    }
}

impl fmt::Debug for PlusQuery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Plus(query={:?}, bonus={})", self.query, self.bonus)
    }
}

impl Query for PlusQuery {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(PlusWeight { inner: self.query.weight(enable_scoring)?, bonus: self.bonus }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.query.query_terms(visitor);
    }
}

struct PlusWeight {
    inner: Box<dyn Weight>,
    bonus: Score,
}

impl Weight for PlusWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(PlusScorer { inner: self.inner.scorer(reader, boost)?, bonus: self.bonus * boost }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let inner = self.inner.explain(reader, doc)?;
        let mut e = Explanation::new_with_string(
            format!("{} + coverage bonus {}", inner.value(), self.bonus),
            inner.value() + self.bonus,
        );
        e.add_detail(inner);
        Ok(e)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.inner.count(reader)
    }
}

struct PlusScorer {
    inner: Box<dyn Scorer>,
    bonus: Score,
}

impl DocSet for PlusScorer {
    fn advance(&mut self) -> DocId {
        self.inner.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.inner.seek(target)
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }

    fn cost(&self) -> u64 {
        self.inner.cost()
    }
}

impl Scorer for PlusScorer {
    fn score(&mut self) -> Score {
        self.inner.score() + self.bonus
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_stemmed_stopped_and_the_last_is_a_prefix() {
        let w = parse_words("The site is SLOW and restar");
        let raws: Vec<&str> = w.iter().map(|w| w.raw.as_str()).collect();
        assert_eq!(raws, ["site", "slow", "restar"]);
        assert!(w[2].prefix && !w[0].prefix);
        let w = parse_words("certificates expiring ");
        assert_eq!(w[0].stem, "certif");
        assert_eq!(w[0].fuzzy, 2);
        assert!(!w[1].prefix);
    }

    #[test]
    fn a_query_of_only_stop_words_is_kept() {
        assert_eq!(parse_words("it is").len(), 2);
    }

    #[test]
    fn synonyms_are_stemmed_and_exclude_the_word_itself() {
        let w = parse_words("oom ");
        assert!(w[0].synonyms.contains(&"memori".to_owned()), "{:?}", w[0].synonyms);
        assert!(!w[0].synonyms.contains(&w[0].stem));
        assert!(w[0].has_stem("memori") && w[0].has_stem("oom"));
        assert!(parse_words("nginx ")[0].synonyms.is_empty());
    }
}
