//! Turning what a responder typed into a tantivy query: every word is matched in every ranked
//! field (stemmed, boosted), a word the index does not know is matched with typo tolerance,
//! the unfinished last word as a prefix, and each matched word adds a fixed bonus so that
//! runbooks matching all the words rank above those matching some.

use tantivy::query::{BooleanQuery, BoostQuery, ConstScoreQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use super::schema::{Fields, raw_analyzer, stem_analyzer};

/// Score added per query word matched; larger than any realistic BM25 sum, so coverage
/// decides first and BM25 orders within the same coverage.
pub const COVERAGE_BONUS: f32 = 1000.0;

/// Words that carry no meaning in a symptom ("the site is slow").
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "i", "in", "is", "it", "its",
    "me", "my", "of", "on", "or", "our", "so", "that", "the", "their", "there", "this", "to", "was", "we", "were",
    "what", "when", "why", "with", "how", "can", "cant", "does", "doesnt", "dont", "not",
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
    let mut stemmer = stem_analyzer();
    let mut words: Vec<QueryWord> = Vec::new();
    for (i, raw) in raw_tokens.into_iter().enumerate() {
        let is_last = i == last && typing;
        if !all_stop && !is_last && STOP_WORDS.contains(&raw.as_str()) {
            continue;
        }
        let stem = {
            let mut s = stemmer.token_stream(&raw);
            if s.advance() { s.token().text.clone() } else { raw.clone() }
        };
        let len = raw.chars().count();
        let fuzzy = match len {
            0..=4 => 0,
            5..=8 => 1,
            _ => 2,
        };
        if words.iter().any(|w| w.raw == raw) {
            continue;
        }
        words.push(QueryWord { raw, stem, fuzzy, prefix: is_last && len >= 2 });
    }
    words
}

/// Whether the index holds the word exactly in any ranked field.
fn known(searcher: &Searcher, fields: &[(Field, f32)], word: &QueryWord) -> bool {
    fields.iter().any(|(f, _)| searcher.doc_freq(&Term::from_field_text(*f, &word.stem)).is_ok_and(|n| n > 0))
}

/// The query for one word: exact in every field (boosted), plus fuzzy and prefix on `raw`.
fn word_query(searcher: &Searcher, fields: &[(Field, f32)], raw: Field, word: &QueryWord) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = fields
        .iter()
        .map(|(f, boost)| {
            let tq = TermQuery::new(Term::from_field_text(*f, &word.stem), IndexRecordOption::WithFreqs);
            (Occur::Should, Box::new(BoostQuery::new(Box::new(tq), *boost)) as Box<dyn Query>)
        })
        .collect();
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

/// The whole query over the given fields: per word, its ranked match plus a coverage bonus.
pub fn build(searcher: &Searcher, f: &Fields, fields: &[(Field, f32)], words: &[QueryWord]) -> Box<dyn Query> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for word in words {
        clauses.push((Occur::Should, word_query(searcher, fields, f.raw, word)));
        clauses.push((
            Occur::Should,
            Box::new(ConstScoreQuery::new(word_query(searcher, fields, f.raw, word), COVERAGE_BONUS)),
        ));
    }
    Box::new(BooleanQuery::new(clauses))
}

/// Restrict `query` to documents whose `field` has exactly `value`.
pub fn filtered(query: Box<dyn Query>, field: Field, value: &str) -> Box<dyn Query> {
    let filter = TermQuery::new(Term::from_field_text(field, value), IndexRecordOption::Basic);
    let filter = ConstScoreQuery::new(Box::new(filter), 0.0);
    Box::new(BooleanQuery::new(vec![(Occur::Must, query), (Occur::Must, Box::new(filter))]))
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
}
