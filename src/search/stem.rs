//! English stems, once per word and thread: tantivy's `Stemmer` after the lexicon's irregular
//! forms are joined to their base (indices ~ index, hung ~ hang), memoised because runbooks
//! repeat a small vocabulary. Used as a token filter for the ranked fields and called
//! directly for query words and snippet matching, so both sides stem alike.

use std::cell::RefCell;

use rustc_hash::FxHashMap;
use tantivy::tokenizer::{Language, RawTokenizer, Stemmer, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer};

use super::lexicon;

/// A thread's memo of English stems. Runbooks repeat a small vocabulary, and stemming a word
/// costs several times more than looking it up, so each indexing (or searching) thread stems
/// every distinct word once (words with digits, ids and numbers, are not kept). Bounded:
/// cleared when it grows past `STEM_MEMO_MAX` words.
struct StemMemo {
    stems: FxHashMap<String, String>,
    stemmer: TextAnalyzer,
}

const STEM_MEMO_MAX: usize = 30_000;

thread_local! {
    static STEM_MEMO: RefCell<StemMemo> = RefCell::new(StemMemo {
        stems: FxHashMap::default(),
        stemmer: TextAnalyzer::builder(RawTokenizer::default()).filter(Stemmer::new(Language::English)).build(),
    });
}

/// The stem of one lowercased, folded word: tantivy's English `Stemmer`, after the lexicon's
/// irregular forms are mapped to their base (`indices` -> `index`).
pub(super) fn stem_word(word: &str, out: &mut String) {
    STEM_MEMO.with(|memo| {
        let mut memo = memo.borrow_mut();
        if let Some(stem) = memo.stems.get(word) {
            out.clear();
            out.push_str(stem);
            return;
        }
        let base = lexicon::base_form(word).unwrap_or(word);
        let stem = {
            let mut stream = memo.stemmer.token_stream(base);
            if stream.advance() { stream.token().text.clone() } else { base.to_owned() }
        };
        // A word with a digit is a number, an id or a version: rarely seen again, not kept.
        if !word.bytes().any(|b| b.is_ascii_digit()) {
            if memo.stems.len() >= STEM_MEMO_MAX {
                memo.stems.clear();
            }
            memo.stems.insert(word.to_owned(), stem.clone());
        }
        *out = stem;
    });
}

pub(super) fn stem_of(word: &str) -> String {
    let mut out = String::new();
    stem_word(word, &mut out);
    out
}

/// `stem_word` as a token filter.
#[derive(Debug, Clone, Copy)]
pub(super) struct CachedStemmer;

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter { inner }
    }
}

#[derive(Debug, Clone)]
pub(super) struct CachedStemmerFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemmerStream { tail: self.inner.token_stream(text), buffer: String::new() }
    }
}

#[derive(Debug)]
pub(super) struct CachedStemmerStream<T> {
    tail: T,
    buffer: String,
}

impl<T: TokenStream> TokenStream for CachedStemmerStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        stem_word(&token.text, &mut self.buffer);
        std::mem::swap(&mut token.text, &mut self.buffer);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn irregular_forms_share_a_stem() {
        assert_eq!(stem_of("indices"), stem_of("index"));
        assert_eq!(stem_of("hung"), stem_of("hang"));
        assert_ne!(stem_of("index"), stem_of("inode"));
    }
}
