//! The tantivy schema: which fields exist, how they are tokenised, and how a runbook becomes
//! its one document. Sections are not indexed as documents of their own: their text is stored
//! with the runbook, and the best section of a hit is chosen at query time (see `snippet`), which
//! keeps a build to one pass over each runbook's text.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use serde::{Deserialize, Serialize};
use tantivy::schema::{Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
    Token, TokenFilter, TokenStream, Tokenizer,
};
use tantivy::{Index, TantivyDocument};

use crate::runbook::Runbook;
use crate::text::split_words;

/// English stemming, lowercase, accents folded: for ranking.
pub const STEM: &str = "rb_stem";
/// Lowercase words without stemming: for typo-tolerant and prefix matching.
pub const RAW: &str = "rb_raw";
/// Each value is one token as given (the word pairs of `pairs`).
pub const WHOLE: &str = "rb_whole";
/// How far apart (in words, stop words left out) two words of a title or symptom may be to
/// form a pair.
pub const PAIR_WINDOW: usize = 3;

/// Handles to every field.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// `root-index/relative-path`: the file a document came from.
    pub key: Field,
    pub id: Field,
    pub title: Field,
    pub symptoms: Field,
    pub name: Field,
    pub tags: Field,
    pub headings: Field,
    pub summary: Field,
    pub body: Field,
    /// Every word of the runbook unstemmed (doc ids only), for fuzzy and prefix matching.
    pub raw: Field,
    /// Pairs of stems that stand close together, in that order, in the title, a symptom, an
    /// alias or the file name ("site slow", "contain wait"), and each of those lines whole
    /// ("=site slow"): a query with the same pair gets a proximity bonus, a query that is
    /// exactly such a line a larger one.
    pub pairs: Field,
    // Stored only.
    pub path: Field,
    pub root: Field,
    pub kind: Field,
    pub severity: Field,
    /// `StoredMeta` as JSON.
    pub meta_json: Field,
    /// Each section's id, one value per section, beside its title in `headings` and its text
    /// in `body` (both stored too): what the best section and the snippet are chosen from.
    pub section_ids: Field,
}

/// Ranked text fields with their boosts, strongest first.
pub fn ranked(f: &Fields) -> [(Field, f32); 7] {
    [
        (f.symptoms, 6.0),
        (f.title, 4.0),
        (f.name, 3.0),
        (f.tags, 2.5),
        (f.headings, 2.0),
        (f.summary, 1.5),
        (f.body, 1.0),
    ]
}

pub fn build_schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let stem = |stored: bool| {
        let o = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default().set_tokenizer(STEM).set_index_option(IndexRecordOption::WithFreqs),
        );
        if stored { o.set_stored() } else { o }
    };
    let raw = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(RAW)
            .set_index_option(IndexRecordOption::Basic)
            .set_fieldnorms(false),
    );
    let fields = Fields {
        key: b.add_text_field("key", STRING | STORED),
        id: b.add_text_field("id", STORED),
        title: b.add_text_field("title", stem(true)),
        symptoms: b.add_text_field("symptoms", stem(false)),
        name: b.add_text_field("name", stem(false)),
        tags: b.add_text_field("tags", stem(false)),
        headings: b.add_text_field("headings", stem(true)),
        summary: b.add_text_field("summary", stem(false)),
        body: b.add_text_field("body", stem(true)),
        raw: b.add_text_field("raw", raw),
        pairs: b.add_text_field(
            "pairs",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(WHOLE)
                    .set_index_option(IndexRecordOption::Basic)
                    .set_fieldnorms(false),
            ),
        ),
        path: b.add_text_field("path", STORED),
        root: b.add_u64_field("root", STORED),
        kind: b.add_text_field("kind", STORED),
        severity: b.add_text_field("severity", STORED),
        meta_json: b.add_text_field("meta_json", STORED),
        section_ids: b.add_text_field("section_ids", STORED),
    };
    (b.build(), fields)
}

/// The analyzers; registered on every index, new or opened (tantivy does not persist them).
pub fn register_tokenizers(index: &Index) {
    index.tokenizers().register(STEM, stem_analyzer());
    index.tokenizers().register(RAW, raw_analyzer());
    index.tokenizers().register(WHOLE, TextAnalyzer::from(RawTokenizer::default()));
}

/// The key of a pair of stems, in the order they stand.
pub fn pair_key(a: &str, b: &str) -> String {
    format!("{a} {b}")
}

/// The key of a whole line's stems (a query that is exactly a symptom).
pub fn line_key(stems: &[String]) -> String {
    format!("={}", stems.join(" "))
}

/// The pairs of stems at most `PAIR_WINDOW` words apart in `stems`, in order.
pub fn pairs_of(stems: &[String], out: &mut Vec<String>) {
    for (i, a) in stems.iter().enumerate() {
        for b in stems.iter().skip(i + 1).take(PAIR_WINDOW - 1) {
            if a != b {
                out.push(pair_key(a, b));
            }
        }
    }
}

/// The stems of `text`, stop words left out (as the query leaves them out).
pub fn content_stems(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        let raw = &stream.token().text;
        if !super::query::is_stop_word(raw) {
            let mut stem = String::new();
            stem_word(raw, &mut stem);
            out.push(stem);
        }
    }
    out
}

pub fn stem_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(CachedStemmer)
        .build()
}

pub fn raw_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// A thread's memo of English stems. Runbooks repeat a small vocabulary, and stemming a word
/// costs several times more than looking it up, so each indexing (or searching) thread stems
/// every distinct word once. Bounded: cleared when it grows past `STEM_MEMO_MAX` words.
struct StemMemo {
    stems: HashMap<String, String, BuildHasherDefault<WordHasher>>,
    stemmer: TextAnalyzer,
}

const STEM_MEMO_MAX: usize = 100_000;

thread_local! {
    static STEM_MEMO: RefCell<StemMemo> = RefCell::new(StemMemo {
        stems: HashMap::default(),
        stemmer: TextAnalyzer::builder(RawTokenizer::default()).filter(Stemmer::new(Language::English)).build(),
    });
}

/// The English stem of one lowercased, folded word (as tantivy's `Stemmer` gives it).
pub fn stem_word(word: &str, out: &mut String) {
    STEM_MEMO.with(|memo| {
        let mut memo = memo.borrow_mut();
        if let Some(stem) = memo.stems.get(word) {
            out.clear();
            out.push_str(stem);
            return;
        }
        let stem = {
            let mut stream = memo.stemmer.token_stream(word);
            if stream.advance() { stream.token().text.clone() } else { word.to_owned() }
        };
        if memo.stems.len() >= STEM_MEMO_MAX {
            memo.stems.clear();
        }
        memo.stems.insert(word.to_owned(), stem.clone());
        *out = stem;
    });
}

/// FxHash-style hashing for short words (the memo's keys come from runbooks, but a collision
/// only costs time, and the memo is bounded).
#[derive(Debug, Default)]
pub struct WordHasher(u64);

impl std::hash::Hasher for WordHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let v = u64::from_le_bytes(<[u8; 8]>::try_from(c).unwrap_or_default());
            self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(K);
        }
        for &b in chunks.remainder() {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
        }
    }
}

/// tantivy's English `Stemmer`, through the thread's memo.
#[derive(Debug, Clone, Copy)]
pub struct CachedStemmer;

impl TokenFilter for CachedStemmer {
    type Tokenizer<T: Tokenizer> = CachedStemmerFilter<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> CachedStemmerFilter<T> {
        CachedStemmerFilter { inner }
    }
}

#[derive(Debug, Clone)]
pub struct CachedStemmerFilter<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for CachedStemmerFilter<T> {
    type TokenStream<'a> = CachedStemmerStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        CachedStemmerStream { tail: self.inner.token_stream(text), buffer: String::new() }
    }
}

#[derive(Debug)]
pub struct CachedStemmerStream<T> {
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

/// Metadata shown in results, stored as one JSON value.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StoredMeta {
    pub systems: Vec<String>,
    pub symptoms: Vec<String>,
    pub summary: String,
}

/// A section as read back from the index: (id, title, plain text).
pub type StoredSection = (String, String, String);

pub fn file_key(root: usize, rel_path: &str) -> String {
    format!("{root}/{rel_path}")
}

/// The one document of a runbook.
pub fn document(f: &Fields, rb: &Runbook) -> TantivyDocument {
    let key = file_key(rb.root, &rb.path);
    let name = {
        let mut words = split_words(&rb.path);
        words.retain(|w| !matches!(w.to_lowercase().as_str(), "md" | "markdown" | "index"));
        words.extend(split_words(&rb.id));
        words.join(" ")
    };
    let mut symptoms = rb.meta.symptoms.clone();
    symptoms.extend(rb.meta.aliases.iter().cloned());
    let symptoms = symptoms.join("\n");
    let tags: Vec<&str> = rb.meta.systems.iter().chain(&rb.meta.tags).map(String::as_str).collect();
    let tags = tags.join("\n");
    let summary = rb.summary();
    // Sections with neither a title nor text carry nothing.
    let sections: Vec<(&str, &str, String)> = rb
        .sections
        .iter()
        .map(|s| (s.id.as_str(), s.title.as_str(), s.text()))
        .filter(|(_, title, text)| !(title.is_empty() && text.is_empty()))
        .collect();
    let mut pairs = Vec::new();
    let mut analyzer = raw_analyzer();
    for line in std::iter::once(rb.title.as_str()).chain(symptoms.lines()).chain(std::iter::once(name.as_str())) {
        let stems = content_stems(&mut analyzer, line);
        if !stems.is_empty() {
            pairs.push(line_key(&stems));
        }
        pairs_of(&stems, &mut pairs);
    }
    pairs.sort();
    pairs.dedup();
    let meta = StoredMeta { systems: rb.meta.systems.clone(), symptoms: rb.meta.symptoms.clone(), summary };

    let mut doc = TantivyDocument::default();
    doc.add_text(f.key, &key);
    doc.add_text(f.id, &rb.id);
    doc.add_text(f.title, &rb.title);
    doc.add_text(f.symptoms, &symptoms);
    doc.add_text(f.name, &name);
    doc.add_text(f.tags, &tags);
    doc.add_text(f.summary, &meta.summary);
    // One value per section in `section_ids`, `headings` and `body` alike: they are stored,
    // and read back side by side to pick a hit's best section.
    for (id, title, text) in &sections {
        doc.add_text(f.section_ids, id);
        doc.add_text(f.headings, title);
        doc.add_text(f.body, text);
    }
    for text in [rb.title.as_str(), &symptoms, &name, &tags, &meta.summary] {
        doc.add_text(f.raw, text);
    }
    for (_, title, text) in &sections {
        doc.add_text(f.raw, title);
        doc.add_text(f.raw, text);
    }
    for pair in pairs {
        doc.add_text(f.pairs, pair);
    }
    doc.add_text(f.path, &rb.path);
    doc.add_u64(f.root, rb.root as u64);
    doc.add_text(f.kind, rb.kind.as_str());
    doc.add_text(f.severity, rb.meta.severity.map_or("", |s| s.as_str()));
    doc.add_text(f.meta_json, serde_json::to_string(&meta).unwrap_or_default());
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            out.push(stream.token().text.clone());
        }
        out
    }

    #[test]
    fn the_memo_stems_like_tantivy() {
        let mut plain = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(40))
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
}
