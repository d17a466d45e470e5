//! The tantivy schema: which fields exist, how they are tokenised, and how a runbook becomes
//! documents (one per runbook, one per section, so a hit can name its best section).

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer, TextAnalyzer,
};
use tantivy::{Index, TantivyDocument};

use crate::runbook::Runbook;
use crate::text::split_words;

/// English stemming, lowercase, accents folded: for ranking.
pub const STEM: &str = "rb_stem";
/// Lowercase words without stemming: for typo-tolerant and prefix matching.
pub const RAW: &str = "rb_raw";

pub const DOC_RUNBOOK: &str = "rb";
pub const DOC_SECTION: &str = "sec";

/// Handles to every field.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub doctype: Field,
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
    pub raw: Field,
    // Stored only.
    pub path: Field,
    pub root: Field,
    pub kind: Field,
    pub severity: Field,
    pub meta_json: Field,
    pub section: Field,
    pub section_title: Field,
    pub section_text: Field,
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
        TextFieldIndexing::default().set_tokenizer(RAW).set_index_option(IndexRecordOption::Basic),
    );
    let fields = Fields {
        doctype: b.add_text_field("doctype", STRING),
        key: b.add_text_field("key", STRING | STORED),
        id: b.add_text_field("id", STRING | STORED),
        title: b.add_text_field("title", stem(true)),
        symptoms: b.add_text_field("symptoms", stem(false)),
        name: b.add_text_field("name", stem(false)),
        tags: b.add_text_field("tags", stem(false)),
        headings: b.add_text_field("headings", stem(false)),
        summary: b.add_text_field("summary", stem(true)),
        body: b.add_text_field("body", stem(false)),
        raw: b.add_text_field("raw", raw),
        path: b.add_text_field("path", STORED),
        root: b.add_u64_field("root", STORED | INDEXED | FAST),
        kind: b.add_text_field("kind", STRING | STORED),
        severity: b.add_text_field("severity", STRING | STORED),
        meta_json: b.add_text_field("meta_json", STORED),
        section: b.add_text_field("section", STORED),
        section_title: b.add_text_field("section_title", STORED),
        section_text: b.add_text_field("section_text", STORED),
    };
    (b.build(), fields)
}

/// The analyzers; registered on every index, new or opened (tantivy does not persist them).
pub fn register_tokenizers(index: &Index) {
    index.tokenizers().register(STEM, stem_analyzer());
    index.tokenizers().register(RAW, raw_analyzer());
}

pub fn stem_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

pub fn raw_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// Metadata shown in results, stored as one JSON value.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct StoredMeta {
    pub systems: Vec<String>,
    pub symptoms: Vec<String>,
    pub summary: String,
}

pub fn file_key(root: usize, rel_path: &str) -> String {
    format!("{root}/{rel_path}")
}

/// One runbook document and one document per non-empty section.
pub fn documents(f: &Fields, rb: &Runbook) -> Vec<TantivyDocument> {
    let key = file_key(rb.root, &rb.path);
    let name = {
        let mut words = split_words(&rb.path);
        words.retain(|w| !matches!(w.to_lowercase().as_str(), "md" | "markdown" | "index"));
        words.extend(split_words(&rb.id));
        words.join(" ")
    };
    let mut symptoms = rb.meta.symptoms.clone();
    symptoms.extend(rb.meta.aliases.iter().cloned());
    let tags: Vec<&str> = rb.meta.systems.iter().chain(&rb.meta.tags).map(String::as_str).collect();
    let headings: Vec<&str> = rb.sections.iter().map(|s| s.title.as_str()).collect();
    let summary = rb.summary();
    let texts: Vec<String> = rb.sections.iter().map(|s| s.text()).collect();
    let body = texts.join("\n");
    let meta =
        StoredMeta { systems: rb.meta.systems.clone(), symptoms: rb.meta.symptoms.clone(), summary: summary.clone() };

    let mut doc = TantivyDocument::default();
    doc.add_text(f.doctype, DOC_RUNBOOK);
    doc.add_text(f.key, &key);
    doc.add_text(f.id, &rb.id);
    doc.add_text(f.title, &rb.title);
    doc.add_text(f.symptoms, symptoms.join("\n"));
    doc.add_text(f.name, &name);
    doc.add_text(f.tags, tags.join("\n"));
    doc.add_text(f.headings, headings.join("\n"));
    doc.add_text(f.summary, &summary);
    doc.add_text(f.body, &body);
    for text in
        [rb.title.as_str(), &symptoms.join("\n"), &name, &tags.join("\n"), &headings.join("\n"), &summary, &body]
    {
        doc.add_text(f.raw, text);
    }
    doc.add_text(f.path, &rb.path);
    doc.add_u64(f.root, rb.root as u64);
    doc.add_text(f.kind, rb.kind.as_str());
    doc.add_text(f.severity, rb.meta.severity.map_or("", |s| s.as_str()));
    doc.add_text(f.meta_json, serde_json::to_string(&meta).unwrap_or_default());
    let mut docs = vec![doc];
    for (section, text) in rb.sections.iter().zip(&texts) {
        if text.is_empty() && section.title.is_empty() {
            continue;
        }
        let mut d = TantivyDocument::default();
        d.add_text(f.doctype, DOC_SECTION);
        d.add_text(f.key, &key);
        d.add_text(f.headings, &section.title);
        d.add_text(f.body, text);
        d.add_text(f.section, &section.id);
        d.add_text(f.section_title, &section.title);
        d.add_text(f.section_text, text);
        docs.push(d);
    }
    docs
}
