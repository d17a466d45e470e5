//! How text becomes index terms, the same way for runbooks and queries: words split at
//! non-alphanumerics (`pg_stat_activity`, `fix-out-of-date`, `node.js` are already several
//! words), identifiers also split at case changes (`KubePodCrashLooping` is indexed whole and
//! as kube, pod, crash, looping), lowercased, accents folded, then for the ranked fields
//! stemmed (`stem`). Also which words are too common to mean anything (stop words).

use std::collections::VecDeque;
use std::sync::OnceLock;

use rustc_hash::FxHashSet;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token, TokenFilter, TokenStream,
    Tokenizer,
};

use super::stem::CachedStemmer;
use crate::text::case_boundary;

/// Longest token kept (longer ones are base64, hashes, minified code).
const MAX_TOKEN: usize = 40;

/// Words split at case changes, lowercased, folded, stemmed: the ranked fields.
pub(super) fn stem_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN))
        .filter(SplitIdentifiers)
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(CachedStemmer)
        .build()
}

/// Words split at case changes, lowercased, folded, not stemmed: the query's words and the
/// snippet matcher.
pub(super) fn word_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN))
        .filter(SplitIdentifiers)
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Words as a plain full-text engine sees them (lowercased, folded; no splitting, no
/// stemming): the field for typo and prefix matching, and the plain BM25 baseline.
pub(super) fn plain_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Words that carry no meaning in a symptom ("the site is slow").
const STOP_WORDS: &str = "a an and are as at be but by for from has have i in is it its me my of on or our so \
    that the their there this to was we were what when why with how can cant does doesnt dont not do did didnt \
    wont keeps keep very any all again after just still some getting being out up returns return returning \
    shows showing says saying gives giving throws throwing see seeing get gets got";

/// Whether a (lowercased) word carries no meaning in a symptom: left out of a query, and of
/// the word pairs a runbook's title and symptoms are indexed with.
pub(super) fn is_stop_word(word: &str) -> bool {
    static SET: OnceLock<FxHashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| STOP_WORDS.split_whitespace().collect()).contains(word)
}

/// The parts of an identifier at its case changes (`HTTPServerDown` -> HTTP, Server, Down), as
/// byte ranges; empty when it has none. Digits stay with their letters (`ipv6`, `5xx`, `s3`).
fn case_parts(word: &str) -> Vec<std::ops::Range<usize>> {
    // Most words have no capital after their first letter: no parts, nothing allocated.
    if !word.chars().skip(1).any(char::is_uppercase) {
        return Vec::new();
    }
    let chars: Vec<(usize, char)> = word.char_indices().collect();
    let mut parts = Vec::new();
    let mut start = 0;
    for (i, pair) in chars.windows(2).enumerate() {
        let [(_, prev), (at, cur)] = [pair[0], pair[1]];
        let next = chars.get(i + 2).map(|&(_, c)| c);
        let boundary = case_boundary(prev, cur, next) || (prev.is_ascii_digit() && cur.is_uppercase());
        if boundary {
            parts.push(start..at);
            start = at;
        }
    }
    if parts.is_empty() {
        return parts;
    }
    parts.push(start..word.len());
    parts
}

/// Emits an identifier whole, then each of its case parts at the same position.
#[derive(Debug, Clone, Copy)]
pub(super) struct SplitIdentifiers;

impl TokenFilter for SplitIdentifiers {
    type Tokenizer<T: Tokenizer> = SplitIdentifiersFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> SplitIdentifiersFilter<T> {
        SplitIdentifiersFilter { inner }
    }
}

#[derive(Debug, Clone)]
pub(super) struct SplitIdentifiersFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for SplitIdentifiersFilter<T> {
    type TokenStream<'a> = SplitIdentifiersStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        SplitIdentifiersStream { tail: self.inner.token_stream(text), parts: VecDeque::new(), part: None }
    }
}

pub(super) struct SplitIdentifiersStream<T> {
    tail: T,
    parts: VecDeque<Token>,
    /// The part being emitted; `None` while the tail's own token is.
    part: Option<Token>,
}

impl<T: TokenStream> TokenStream for SplitIdentifiersStream<T> {
    fn advance(&mut self) -> bool {
        self.part = self.parts.pop_front();
        if self.part.is_some() {
            return true;
        }
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token();
        for range in case_parts(&token.text) {
            let Some(text) = token.text.get(range.clone()) else { continue };
            self.parts.push_back(Token {
                offset_from: token.offset_from.saturating_add(range.start),
                offset_to: token.offset_from.saturating_add(range.end),
                position: token.position,
                text: text.to_owned(),
                position_length: 1,
            });
        }
        true
    }

    fn token(&self) -> &Token {
        self.part.as_ref().unwrap_or_else(|| self.tail.token())
    }

    fn token_mut(&mut self) -> &mut Token {
        match &mut self.part {
            Some(part) => part,
            None => self.tail.token_mut(),
        }
    }
}

/// The tokens of `text` through `analyzer`.
pub(super) fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        out.push(stream.token().text.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::{Language, Stemmer};

    use super::*;

    #[test]
    fn the_memo_stems_like_tantivy() {
        let mut plain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_TOKEN))
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .filter(Stemmer::new(Language::English))
            .build();
        let text = "Certificates expired; replicas are replicating. Happy happiness, Café crashes crashes";
        let mut cached = stem_analyzer();
        assert_eq!(tokens(&mut cached, text), tokens(&mut plain, text));
        // A second time, from the memo.
        assert_eq!(tokens(&mut cached, text), tokens(&mut plain, text));
    }

    #[test]
    fn identifiers_are_kept_whole_and_split_at_case_changes() {
        let mut a = word_analyzer();
        assert_eq!(
            tokens(&mut a, "KubePodCrashLooping pg_stat_activity HTTPServerDown ipv6 fix-out-of-date"),
            [
                "kubepodcrashlooping",
                "kube",
                "pod",
                "crash",
                "looping",
                "pg",
                "stat",
                "activity",
                "httpserverdown",
                "http",
                "server",
                "down",
                "ipv6",
                "fix",
                "out",
                "of",
                "date"
            ]
        );
        assert_eq!(tokens(&mut plain_analyzer(), "KubePodCrashLooping"), ["kubepodcrashlooping"]);
    }

    #[test]
    fn parts_point_into_the_text() {
        let mut a = word_analyzer();
        let text = "see TargetDown now";
        let mut stream = a.token_stream(text);
        let mut seen = Vec::new();
        while stream.advance() {
            let t = stream.token();
            seen.push(text[t.offset_from..t.offset_to].to_owned());
        }
        assert_eq!(seen, ["see", "TargetDown", "Target", "Down", "now"]);
    }
}
