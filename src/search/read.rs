//! Reading from the index: a query's hits (each with its best section and snippet), a bare
//! ranking, every entry. A cached index may be damaged on disk; every read that fails here is
//! an `Err` with what failed, never a hit silently left out, so that the caller can rebuild
//! the cache instead of answering wrongly.

use std::path::PathBuf;

use tantivy::collector::{DocSetCollector, TopDocs};
use tantivy::query::TermQuery;
use tantivy::schema::IndexRecordOption;
use tantivy::schema::Value;
use tantivy::{DocAddress, IndexReader, Searcher, TantivyDocument, Term};

use super::meaning::Meaning;
use super::schema::{Fields, StoredEntry, StoredSection, encoded_entry_at, line_key};
use super::words::{QueryWord, parse_words};
use super::{Entry, Hit, Ranking, Snippet, blend, query, snippet};
use crate::runbook::library::RunbookRef;

/// The best `limit` runbooks for `text`, best first, with their best section and a snippet.
pub(super) fn hits(
    reader: &IndexReader,
    fields: &Fields,
    roots: &[PathBuf],
    text: &str,
    limit: usize,
    meaning: Option<&Meaning>,
) -> Result<Vec<Hit>, String> {
    let searcher = reader.searcher();
    let words = parse_words(text);
    let mut matcher = snippet::Matcher::new(&words);
    let mut out = Vec::new();
    let ranking = match meaning {
        Some(_) => Ranking::Blended(super::Weights::default(), blend::MEANING_SHARE),
        None => Ranking::default(),
    };
    // Hits that no word matched get the sentence closest in meaning as their snippet: the
    // first few only (the model reads each one's sentences).
    let mut closest_left = CLOSEST_HITS;
    for (score, addr) in top(&searcher, fields, text, &words, limit, &ranking, meaning)? {
        let entry = entry_at(&searcher, addr, roots)?;
        let doc: TantivyDocument = searcher.doc(addr).map_err(|e| format!("a stored document is unreadable: {e}"))?;
        let all = |field| doc.get_all(field).filter_map(|v| v.as_str().map(str::to_owned));
        let sections: Vec<StoredSection> = all(fields.section_ids)
            .zip(all(fields.headings))
            .zip(all(fields.body))
            .map(|((id, title), text)| (id, title, text))
            .collect();
        let best = matcher.best_section(&sections);
        let section_snippet = best.map(|(_, _, body)| matcher.snippet(body, 160));
        // The words may have matched the title or symptoms only: then the summary and
        // symptoms make the better snippet.
        let snippet = match section_snippet {
            Some(s) if !s.marks.is_empty() => s,
            other => {
                let fallback = format!("{}\n{}", entry.summary, entry.symptoms.join(". "));
                let s = matcher.snippet(&fallback, 160);
                if s.marks.is_empty() { other.unwrap_or(s) } else { s }
            }
        };
        let section_named = best.is_some_and(|b| matcher.names(&b.1));
        let mut hit = Hit {
            entry,
            score,
            section: best.map(|b| b.0.clone()),
            section_title: best.map(|b| b.1.clone()).filter(|t| !t.is_empty()),
            section_named,
            snippet,
        };
        // Not for a pinned exact match (a file name or alias is what matched it).
        if let Some(meaning) = meaning
            && hit.snippet.marks.is_empty()
            && closest_left > 0
            && score < blend::PINNED
        {
            closest_left -= 1;
            closest_sentence(meaning, text, &sections, &mut hit);
        }
        out.push(hit);
    }
    Ok(out)
}

/// Hits per search that get the sentence closest in meaning (when no word matched them).
const CLOSEST_HITS: usize = 3;
/// Sentences of a runbook the model compares for it: the first two of each section.
const CLOSEST_SENTENCES: usize = 12;

/// Make `hit`'s snippet the sentence of its sections closest in meaning to `query`; left as it
/// is when the model fails. Where the runbook opens is not changed by it.
fn closest_sentence(meaning: &Meaning, query: &str, sections: &[StoredSection], hit: &mut Hit) {
    let candidates: Vec<String> = sections
        .iter()
        .flat_map(|(_, _, body)| snippet::sentences(body).into_iter().take(2))
        .take(CLOSEST_SENTENCES)
        .collect();
    let texts: Vec<&str> = candidates.iter().map(String::as_str).collect();
    let Some(best) = meaning.closest(query, &texts) else { return };
    if let Some(sentence) = candidates.get(best) {
        hit.snippet = Snippet { text: sentence.clone(), marks: Vec::new() };
    }
}

/// The best `limit` runbooks for `text` under `ranking`, without sections or snippets.
pub(super) fn ranked(
    reader: &IndexReader,
    fields: &Fields,
    roots: &[PathBuf],
    text: &str,
    limit: usize,
    ranking: &Ranking,
    meaning: Option<&Meaning>,
) -> Result<Vec<Entry>, String> {
    let searcher = reader.searcher();
    let words = parse_words(text);
    top(&searcher, fields, text, &words, limit, ranking, meaning)?
        .into_iter()
        .map(|(_, addr)| entry_at(&searcher, addr, roots))
        .collect()
}

fn top(
    searcher: &Searcher,
    fields: &Fields,
    text: &str,
    words: &[QueryWord],
    limit: usize,
    ranking: &Ranking,
    meaning: Option<&Meaning>,
) -> Result<Vec<(f32, DocAddress)>, String> {
    let lexical = |limit: usize| {
        if words.is_empty() || limit == 0 {
            return Ok(Vec::new());
        }
        let q = query::build(searcher, fields, ranking, words, text);
        searcher.search(&q, &TopDocs::with_limit(limit).order_by_score()).map_err(|e| format!("the search failed: {e}"))
    };
    let (Ranking::Blended(_, share), Some(meaning)) = (ranking, meaning) else { return lexical(limit) };
    if limit == 0 || text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let found = lexical(limit.max(blend::DEPTH))?;
    // A model that fails on this query leaves the lexical ranking as it is.
    let spelled = query::spelled_for_model(searcher, fields, words, text, |w| meaning.knows(w));
    let Ok(near) = meaning.nearest(&spelled, blend::DEPTH) else { return lexical(limit) };
    // The runbooks whose title, symptom, alias, alert or file name is the query (the line
    // key the index keeps for each), at the head of the lexical list.
    let stems: Vec<String> = words.iter().map(|w| w.stem.clone()).collect();
    let line = TermQuery::new(Term::from_field_text(fields.pairs, &line_key(&stems)), IndexRecordOption::Basic);
    let exact = searcher.search(&line, &DocSetCollector).map_err(|e| format!("the search failed: {e}"))?;
    let mut pinned = found.iter().take_while(|(_, a)| exact.contains(a)).count();
    if pinned == 0
        && let Some((_, first)) = found.first()
        && holds_as_typed(searcher, fields, *first, text)
    {
        pinned = 1;
    }
    // Meaning stands in for the words the runbooks lack: as much less of it as the best
    // lexical hit holds of the query's words.
    let covered = found.first().map_or(0.0, |(_, first)| coverage(searcher, fields, *first, words));
    let mut out = blend::blend(&found, &near, *share * (1.0 - covered), pinned);
    // Below the blended, the rest of the lexical list as it was.
    let lowest = out.iter().map(|s| s.0).fold(0.0f32, f32::min);
    for &(_, addr) in found.iter().skip(blend::DEPTH) {
        if !out.iter().any(|(_, a)| *a == addr) {
            out.push((lowest, addr));
        }
    }
    out.truncate(limit);
    Ok(out)
}

/// The share of the query's words the runbook at `addr` holds (title, symptoms, text).
fn coverage(searcher: &Searcher, fields: &Fields, addr: DocAddress, words: &[QueryWord]) -> f32 {
    let Ok(doc) = searcher.doc::<TantivyDocument>(addr) else { return 0.0 };
    let entry = entry_at(searcher, addr, &[]).ok();
    let head = entry.map(|e| format!("{}\n{}\n{}", e.title, e.symptoms.join("\n"), e.alerts.join("\n")));
    let mut matcher = snippet::Matcher::new(words);
    let texts = doc.get_all(fields.body).chain(doc.get_all(fields.headings)).filter_map(|v| v.as_str());
    matcher.coverage(head.as_deref().into_iter().chain(texts))
}

/// Whether the runbook at `addr` holds `query` as typed (case and spacing aside) in its text:
/// a pasted error message, a command. A query of one plain word does not count (any hit
/// holds it): one with a digit or a sign in it does ("ECONNREFUSED" does not; "502" does).
fn holds_as_typed(searcher: &Searcher, fields: &Fields, addr: DocAddress, query: &str) -> bool {
    let norm = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    let q = norm(query);
    if !q.contains(' ') && q.chars().all(char::is_alphabetic) {
        return false;
    }
    let Ok(doc) = searcher.doc::<TantivyDocument>(addr) else { return false };
    doc.get_all(fields.body)
        .chain(doc.get_all(fields.headings))
        .filter_map(|v| v.as_str())
        .any(|t| norm(t).contains(&q))
}

/// Every runbook in the index, sorted by id, from the `entry` column alone (no section text
/// is touched): the ords of live documents, then the column's dictionary read once, in order.
pub(super) fn entries(reader: &IndexReader, roots: &[PathBuf]) -> Result<Vec<Entry>, String> {
    let searcher = reader.searcher();
    let mut out = Vec::new();
    for segment in searcher.segment_readers() {
        // A segment with no entry column holds no runbook.
        let Some(column) =
            segment.fast_fields().str("entry").map_err(|e| format!("the entry column is unreadable: {e}"))?
        else {
            continue;
        };
        let mut live = vec![false; column.num_terms()];
        let alive = segment.alive_bitset();
        for doc in (0..segment.max_doc()).filter(|&d| alive.is_none_or(|a| a.is_alive(d))) {
            for ord in column.term_ords(doc) {
                let slot =
                    usize::try_from(ord).ok().and_then(|o| live.get_mut(o)).ok_or("an entry ord is out of range")?;
                *slot = true;
            }
        }
        let mut stream =
            column.dictionary().stream().map_err(|e| format!("the entry dictionary is unreadable: {e}"))?;
        let mut ord = 0usize;
        while stream.advance() {
            if live.get(ord).copied().unwrap_or(false) {
                let text = std::str::from_utf8(stream.key()).map_err(|_| "an entry is not text")?;
                out.push(decode(text, roots)?);
            }
            ord = ord.saturating_add(1);
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(out)
}

/// The entry of one hit.
fn entry_at(searcher: &Searcher, addr: DocAddress, roots: &[PathBuf]) -> Result<Entry, String> {
    decode(&encoded_entry_at(searcher, addr)?, roots)
}

fn decode(text: &str, roots: &[PathBuf]) -> Result<Entry, String> {
    let e = StoredEntry::decode(text).ok_or("an entry does not decode")?;
    Ok(Entry {
        at: RunbookRef::new(roots.get(e.root).cloned().unwrap_or_default(), e.path),
        id: e.id,
        title: e.title,
        kind: e.kind,
        severity: e.severity,
        review_due: e.review_due,
        systems: e.systems,
        symptoms: e.symptoms,
        alerts: e.alerts,
        summary: e.summary,
    })
}
