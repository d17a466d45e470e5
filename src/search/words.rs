//! A query as typed, split into the words it is matched by: lowercased and folded, stop words
//! left out (unless the query holds nothing else), each with its stem, its lexicon relatives,
//! the typo distance it allows, and whether it is the word still being typed. Shared by the
//! tantivy query (`query`) and the snippet matcher (`snippet`).

use super::lexicon;
use super::stem::stem_of;
use super::tokens::{is_stop_word, tokens, word_analyzer};

/// Related words at most, per query word (the lexicon's groups can be large).
const RELATED_MAX: usize = 8;

/// One word of the query, prepared for matching.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct QueryWord {
    /// Lowercased, accent-folded word as typed.
    pub raw: String,
    /// Its stem (what the ranked fields hold).
    pub stem: String,
    /// Edit distance allowed when the word is unknown to the index (0 = exact only).
    pub fuzzy: u8,
    /// Match as a prefix too (the last word, still being typed).
    pub prefix: bool,
    /// Stems of its related words in the lexicon (matched with a lower weight).
    pub related: Vec<String>,
}

impl QueryWord {
    /// Whether `stem` is this word's stem or a related word's.
    pub(crate) fn has_stem(&self, stem: &str) -> bool {
        self.stem == stem || self.related.iter().any(|s| s == stem)
    }
}

/// Split a query into words. The last word is a prefix unless the query ends in a space.
pub(super) fn parse_words(query: &str) -> Vec<QueryWord> {
    let raw_tokens = tokens(&mut word_analyzer(), query);
    let all_stop = raw_tokens.iter().all(|w| is_stop_word(w));
    let last = raw_tokens.len().saturating_sub(1);
    let typing = !query.ends_with(char::is_whitespace);
    let mut words: Vec<QueryWord> = Vec::new();
    for (i, raw) in raw_tokens.into_iter().enumerate() {
        let is_last = i == last && typing;
        if (!all_stop && !is_last && is_stop_word(&raw)) || words.iter().any(|w| w.raw == raw) {
            continue;
        }
        let stem = stem_of(&raw);
        let len = raw.chars().count();
        let fuzzy = match len {
            0..=4 => 0,
            5..=8 => 1,
            _ => 2,
        };
        let mut related: Vec<String> = Vec::new();
        for other in lexicon::related(&raw) {
            let s = stem_of(other);
            if s != stem && !related.contains(&s) && related.len() < RELATED_MAX {
                related.push(s);
            }
        }
        words.push(QueryWord { raw, stem, fuzzy, prefix: is_last && len >= 3, related });
    }
    words
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
    fn related_words_are_stemmed_and_exclude_the_word_itself() {
        let w = parse_words("oom ");
        assert!(w[0].related.contains(&"memori".to_owned()), "{:?}", w[0].related);
        assert!(!w[0].related.contains(&w[0].stem));
        assert!(w[0].has_stem("memori") && w[0].has_stem("oom"));
        assert!(parse_words("nginx ")[0].related.is_empty());
    }

    #[test]
    fn identifiers_in_the_query_are_split_too() {
        let raws: Vec<String> = parse_words("KubePodCrashLooping ").into_iter().map(|w| w.raw).collect();
        assert_eq!(raws, ["kubepodcrashlooping", "kube", "pod", "crash", "looping"]);
    }
}
