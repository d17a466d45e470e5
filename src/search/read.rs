//! Reading from the index: a query's hits (each with its best section and snippet), a bare
//! ranking, every entry. A cached index may be damaged on disk; every read that fails here is
//! an `Err` with what failed, never a hit silently left out, so that the caller can rebuild
//! the cache instead of answering wrongly.

use std::path::PathBuf;

use tantivy::collector::TopDocs;
use tantivy::schema::Value;
use tantivy::{DocAddress, IndexReader, Searcher, TantivyDocument};

use super::schema::{Fields, StoredEntry, StoredSection};
use super::words::{QueryWord, parse_words};
use super::{Entry, Hit, Ranking, query, snippet};
use crate::runbook::library::RunbookRef;

/// The best `limit` runbooks for `text`, best first, with their best section and a snippet.
pub(super) fn hits(
    reader: &IndexReader,
    fields: &Fields,
    roots: &[PathBuf],
    text: &str,
    limit: usize,
) -> Result<Vec<Hit>, String> {
    let searcher = reader.searcher();
    let words = parse_words(text);
    let mut matcher = snippet::Matcher::new(&words);
    let mut out = Vec::new();
    for (score, addr) in top(&searcher, fields, text, &words, limit, &Ranking::default())? {
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
        out.push(Hit {
            entry,
            score,
            section: best.map(|b| b.0.clone()),
            section_title: best.map(|b| b.1.clone()).filter(|t| !t.is_empty()),
            section_named,
            snippet,
        });
    }
    Ok(out)
}

/// The best `limit` runbooks for `text` under `ranking`, without sections or snippets.
pub(super) fn ranked(
    reader: &IndexReader,
    fields: &Fields,
    roots: &[PathBuf],
    text: &str,
    limit: usize,
    ranking: &Ranking,
) -> Result<Vec<Entry>, String> {
    let searcher = reader.searcher();
    let words = parse_words(text);
    top(&searcher, fields, text, &words, limit, ranking)?
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
) -> Result<Vec<(f32, DocAddress)>, String> {
    if words.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    let q = query::build(searcher, fields, ranking, words, text);
    searcher.search(&q, &TopDocs::with_limit(limit).order_by_score()).map_err(|e| format!("the search failed: {e}"))
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
    decode(&text, roots)
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
