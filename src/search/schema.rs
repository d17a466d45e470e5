//! The tantivy schema: which fields exist, how they are tokenised, and how a runbook becomes
//! its one document. Sections are not indexed as documents of their own: their text is stored
//! with the runbook, and the best section of a hit is chosen at query time (see `snippet`), which
//! keeps a build to one pass over each runbook's text. What a list of runbooks needs is kept
//! apart from the texts, in a fast column (`entry`), so listing reads no section text.

use tantivy::schema::{Field, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions};
use tantivy::tokenizer::{RawTokenizer, TextAnalyzer};
use tantivy::{Index, TantivyDocument};

use super::stem::stem_word;
use super::tokens::{is_stop_word, plain_analyzer, stem_analyzer, word_analyzer};
use crate::runbook::{Kind, Runbook, Severity};
use crate::text::split_words;

/// Identifiers split, English stemming, lowercase, accents folded: for ranking.
const STEM: &str = "rb_stem";
/// Lowercase words, nothing else: typo and prefix matching, and the plain BM25 baseline.
const PLAIN: &str = "rb_plain";
/// Each value is one token as given (the word pairs of `pairs`).
const WHOLE: &str = "rb_whole";
/// How far apart (in words, stop words left out) two words of a title or symptom may be to
/// form a pair.
pub(super) const PAIR_WINDOW: usize = 3;
/// The longest summary kept for lists (a runbook's first paragraph can be anything).
const SUMMARY_MAX: usize = 600;

/// Handles to every field.
#[derive(Debug, Clone, Copy)]
pub(super) struct Fields {
    /// `root-index/relative-path`: the file a document came from.
    pub key: Field,
    pub title: Field,
    /// Symptoms, aliases and the alerts answered, one per line.
    pub symptoms: Field,
    /// The words of the file name and the id.
    pub name: Field,
    /// Systems and tags.
    pub tags: Field,
    pub headings: Field,
    pub summary: Field,
    pub body: Field,
    /// Every word of the runbook as written, lowercased: typo and prefix matching, and the
    /// plain BM25 baseline.
    pub plain: Field,
    /// Pairs of stems that stand close together, in that order, in the title, a symptom, an
    /// alias or the file name ("site slow", "contain wait"), and each of those lines whole
    /// ("=site slow"): a query with the same pair gets a proximity bonus, a query that is
    /// exactly such a line a larger one.
    pub pairs: Field,
    /// `StoredEntry` in its compact text form (`StoredEntry::encode`), in a fast column: what
    /// lists and results show.
    pub entry: Field,
    /// Each section's id, one value per section, beside its title in `headings` and its text
    /// in `body` (both stored): what the best section and the snippet are chosen from.
    pub section_ids: Field,
    /// The hash of what the meaning model reads of the runbook (`meaning_text`), in a fast
    /// column: its vector is found by it without reading the stored text.
    pub meaning: Field,
}

pub(super) fn build_schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let indexed =
        |tokenizer: &str, record| TextFieldIndexing::default().set_tokenizer(tokenizer).set_index_option(record);
    let stem = |stored: bool| {
        let o = TextOptions::default().set_indexing_options(indexed(STEM, IndexRecordOption::WithFreqs));
        if stored { o.set_stored() } else { o }
    };
    let fields = Fields {
        key: b.add_text_field("key", STRING | STORED),
        title: b.add_text_field("title", stem(false)),
        symptoms: b.add_text_field("symptoms", stem(false)),
        name: b.add_text_field("name", stem(false)),
        tags: b.add_text_field("tags", stem(false)),
        headings: b.add_text_field("headings", stem(true)),
        summary: b.add_text_field("summary", stem(false)),
        body: b.add_text_field("body", stem(true)),
        plain: b.add_text_field(
            "plain",
            TextOptions::default().set_indexing_options(indexed(PLAIN, IndexRecordOption::WithFreqs)),
        ),
        pairs: b.add_text_field(
            "pairs",
            TextOptions::default().set_indexing_options(indexed(WHOLE, IndexRecordOption::Basic).set_fieldnorms(false)),
        ),
        entry: b.add_text_field("entry", TextOptions::default().set_fast("raw")),
        section_ids: b.add_text_field("section_ids", STORED),
        meaning: b.add_u64_field("meaning", tantivy::schema::FAST),
    };
    (b.build(), fields)
}

/// The analyzers; registered on every index, new or opened (tantivy does not persist them).
pub(super) fn register_tokenizers(index: &Index) {
    index.tokenizers().register(STEM, stem_analyzer());
    index.tokenizers().register(PLAIN, plain_analyzer());
    index.tokenizers().register(WHOLE, TextAnalyzer::from(RawTokenizer::default()));
}

/// The key of a pair of stems, in the order they stand.
pub(super) fn pair_key(a: &str, b: &str) -> String {
    format!("{a} {b}")
}

/// The key of a whole line's stems (a query that is exactly a symptom).
pub(super) fn line_key(stems: &[String]) -> String {
    format!("={}", stems.join(" "))
}

/// The pairs of stems at most `PAIR_WINDOW` words apart in `stems`, in order.
fn pairs_of(stems: &[String], out: &mut Vec<String>) {
    for (i, a) in stems.iter().enumerate() {
        for b in stems.iter().skip(i + 1).take(PAIR_WINDOW - 1) {
            if a != b {
                out.push(pair_key(a, b));
            }
        }
    }
}

/// The stems of `text`, stop words left out (as the query leaves them out).
fn content_stems(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut out = Vec::new();
    while stream.advance() {
        let raw = &stream.token().text;
        if !is_stop_word(raw) {
            let mut stem = String::new();
            stem_word(raw, &mut stem);
            out.push(stem);
        }
    }
    out
}

/// What a list or a result shows of a runbook, kept as one value of the `entry` column.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct StoredEntry {
    pub id: String,
    pub title: String,
    pub path: String,
    pub root: usize,
    pub kind: Kind,
    pub severity: Option<Severity>,
    pub review_due: Option<jiff::civil::Date>,
    pub systems: Vec<String>,
    pub symptoms: Vec<String>,
    pub summary: String,
    pub alerts: Vec<String>,
}

/// Between the fields of an encoded entry, and between the items of a list field. Control
/// characters never reach the index (the loader strips them from runbook text and skips files
/// whose names hold one), so neither can occur inside a value.
const FIELD: char = '\u{1f}';
const ITEM: char = '\u{1e}';

impl StoredEntry {
    /// One string: the fields in order, separated by `FIELD`; lists by `ITEM`. Several times
    /// quicker to read back than JSON, which matters for a list of 10,000.
    pub(crate) fn encode(&self) -> String {
        let strip = |s: &str| s.replace([FIELD, ITEM], " ");
        let list = |l: &[String]| l.iter().map(|s| strip(s)).collect::<Vec<_>>().join(&ITEM.to_string());
        [
            strip(&self.id),
            strip(&self.title),
            strip(&self.path),
            self.root.to_string(),
            self.kind.as_str().to_owned(),
            self.severity.map(|s| s.as_str().to_owned()).unwrap_or_default(),
            self.review_due.map(|d| d.to_string()).unwrap_or_default(),
            list(&self.systems),
            list(&self.symptoms),
            strip(&self.summary),
            list(&self.alerts),
        ]
        .join(&FIELD.to_string())
    }

    /// `encode`'s string back; `None` if it is not one.
    pub(crate) fn decode(text: &str) -> Option<StoredEntry> {
        let mut f = text.split(FIELD);
        let mut next = || f.next().map(str::to_owned);
        let list = |s: String| if s.is_empty() { Vec::new() } else { s.split(ITEM).map(str::to_owned).collect() };
        let entry = StoredEntry {
            id: next()?,
            title: next()?,
            path: next()?,
            root: next()?.parse().ok()?,
            kind: Kind::from_name(&next()?)?,
            severity: match next()?.as_str() {
                "" => None,
                name => Some(Severity::from_name(name)?),
            },
            review_due: match next()?.as_str() {
                "" => None,
                date => Some(date.parse().ok()?),
            },
            systems: list(next()?),
            symptoms: list(next()?),
            summary: next()?,
            alerts: list(next()?),
        };
        next().is_none().then_some(entry)
    }
}

/// A section as read back from the index: (id, title, plain text).
pub(super) type StoredSection = (String, String, String);

/// The one document of a runbook, under `key` (the manifest's key for its file).
pub(super) fn document(f: &Fields, key: &str, rb: &Runbook) -> TantivyDocument {
    let name = {
        let mut words = split_words(&rb.path);
        words.retain(|w| !matches!(w.to_lowercase().as_str(), "md" | "markdown" | "index"));
        words.extend(split_words(&rb.id));
        words.join(" ")
    };
    let mut symptoms = rb.meta.symptoms.clone();
    symptoms.extend(rb.meta.aliases.iter().cloned());
    symptoms.extend(rb.meta.alerts.iter().cloned());
    let symptoms = symptoms.join("\n");
    let tags: Vec<&str> = rb.meta.systems.iter().chain(&rb.meta.tags).map(String::as_str).collect();
    let tags = tags.join("\n");
    let mut summary = rb.summary();
    if let Some((cut, _)) = summary.char_indices().nth(SUMMARY_MAX) {
        summary.truncate(cut);
    }
    // Sections with neither a title nor text carry nothing.
    let sections: Vec<(&str, &str, String)> = rb
        .sections
        .iter()
        .map(|s| (s.id.as_str(), s.title.as_str(), s.text()))
        .filter(|(_, title, text)| !(title.is_empty() && text.is_empty()))
        .collect();
    let mut pairs = Vec::new();
    let mut analyzer = word_analyzer();
    for line in std::iter::once(rb.title.as_str()).chain(symptoms.lines()).chain(std::iter::once(name.as_str())) {
        let stems = content_stems(&mut analyzer, line);
        if !stems.is_empty() {
            pairs.push(line_key(&stems));
        }
        pairs_of(&stems, &mut pairs);
    }
    pairs.sort();
    pairs.dedup();
    let entry = StoredEntry {
        id: rb.id.clone(),
        title: rb.title.clone(),
        path: rb.path.clone(),
        root: rb.root,
        kind: rb.kind,
        severity: rb.meta.severity,
        review_due: rb.meta.review_due(),
        systems: rb.meta.systems.clone(),
        symptoms: rb.meta.symptoms.clone(),
        summary,
        alerts: rb.meta.alerts.clone(),
    };

    let mut doc = TantivyDocument::default();
    doc.add_text(f.key, key);
    doc.add_text(f.title, &rb.title);
    doc.add_text(f.symptoms, &symptoms);
    doc.add_text(f.name, &name);
    doc.add_text(f.tags, &tags);
    doc.add_text(f.summary, &entry.summary);
    // One value per section in `section_ids`, `headings` and `body` alike: they are stored,
    // and read back side by side to pick a hit's best section.
    for (id, title, text) in &sections {
        doc.add_text(f.section_ids, id);
        doc.add_text(f.headings, title);
        doc.add_text(f.body, text);
    }
    for text in [rb.title.as_str(), &symptoms, &name, &tags, &entry.summary] {
        doc.add_text(f.plain, text);
    }
    for (_, title, text) in &sections {
        doc.add_text(f.plain, title);
        doc.add_text(f.plain, text);
    }
    for pair in pairs {
        doc.add_text(f.pairs, pair);
    }
    let headings: Vec<&str> = sections.iter().map(|s| s.1).collect();
    let bodies: Vec<&str> = sections.iter().map(|s| s.2.as_str()).collect();
    let meaning = meaning_text(&entry, &headings, &bodies);
    doc.add_u64(f.meaning, crate::meaning::store::text_hash(&meaning));
    doc.add_text(f.entry, entry.encode());
    doc
}

/// The `entry` column's text of the runbook at `addr` (`StoredEntry::decode` reads it).
pub(super) fn encoded_entry_at(searcher: &tantivy::Searcher, addr: tantivy::DocAddress) -> Result<String, String> {
    let segment = usize::try_from(addr.segment_ord)
        .ok()
        .and_then(|i| searcher.segment_readers().get(i))
        .ok_or("a hit names no segment")?;
    let column = segment
        .fast_fields()
        .str("entry")
        .map_err(|e| format!("the entry column is unreadable: {e}"))?
        .ok_or("a segment has no entry column")?;
    let ord = column.term_ords(addr.doc_id).next().ok_or("a hit has no entry")?;
    let mut text = String::new();
    if !column.ord_to_str(ord, &mut text).map_err(|e| format!("an entry is unreadable: {e}"))? {
        return Err("an entry is missing".into());
    }
    Ok(text)
}

/// What the meaning model reads of a runbook (`meaning::passage`), from its entry and its
/// sections' titles and text: the same when it is indexed (its hash is kept) and when it is
/// embedded from the stored fields.
pub(super) fn meaning_text(entry: &StoredEntry, headings: &[&str], bodies: &[&str]) -> String {
    let lines: Vec<&str> = entry.symptoms.iter().chain(&entry.alerts).map(String::as_str).collect();
    crate::meaning::passage(&entry.title, &entry.summary, &lines, headings, bodies)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_reads_back_as_written() {
        let e = StoredEntry {
            id: "os/disk-full".into(),
            title: "Disk full".into(),
            path: "os/disk-full.md".into(),
            root: 3,
            kind: Kind::Guide,
            severity: Some(Severity::High),
            review_due: jiff::civil::date(2026, 3, 1).into(),
            systems: vec!["linux".into(), "nginx".into()],
            symptoms: vec!["no space left on device".into()],
            summary: "When df says 100%.".into(),
            alerts: vec!["NodeFilesystemSpaceFillingUp".into(), "HostOutOfDiskSpace".into()],
        };
        assert_eq!(StoredEntry::decode(&e.encode()), Some(e.clone()));
        let bare = StoredEntry { severity: None, systems: Vec::new(), symptoms: Vec::new(), alerts: Vec::new(), ..e };
        assert_eq!(StoredEntry::decode(&bare.encode()), Some(bare));
        assert_eq!(StoredEntry::decode("not an entry"), None);
    }
}
