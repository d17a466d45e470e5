//! Snippets with the matched words marked. tantivy's own snippets are empty for fuzzy and
//! prefix matches, so the text is re-tokenised here with the same analyzers and each token is
//! compared with the query words: same stem, within the typo distance, or the typed prefix.

use std::ops::Range;

use serde::Serialize;

use super::query::QueryWord;
use super::schema::stem_analyzer;

/// A short excerpt; `marks` are byte ranges of matched words within `text`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Snippet {
    pub text: String,
    #[serde(skip)]
    pub marks: Vec<Range<usize>>,
}

/// Whether a token (stemmed and raw forms) matches a query word.
fn matches(stem: &str, raw: &str, w: &QueryWord) -> bool {
    stem == w.stem
        || (w.prefix && raw.starts_with(&w.raw))
        || (w.fuzzy > 0
            && raw.len() + 2 >= w.raw.len()
            && strsim::damerau_levenshtein(raw, &w.raw) <= usize::from(w.fuzzy))
}

/// Byte ranges in `text` of words that match any query word.
pub fn find_marks(text: &str, words: &[QueryWord]) -> Vec<Range<usize>> {
    let mut marks = Vec::new();
    let mut analyzer = stem_analyzer();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        let t = stream.token();
        let raw = text.get(t.offset_from..t.offset_to).unwrap_or("").to_lowercase();
        if words.iter().any(|w| matches(&t.text, &raw, w)) {
            marks.push(t.offset_from..t.offset_to);
        }
    }
    marks
}

/// The window of about `width` characters with the most matches, on one line.
pub fn make(text: &str, words: &[QueryWord], width: usize) -> Snippet {
    let flat: String = text.chars().map(|c| if c.is_whitespace() { ' ' } else { c }).collect();
    let marks = find_marks(&flat, words);
    let start = best_window(&flat, &marks, width);
    let start = floor_boundary(&flat, start);
    let mut end = floor_boundary(&flat, (start + width).min(flat.len()));
    if end < flat.len()
        && let Some(space) = flat[start..end].rfind(' ')
        && space > width / 2
    {
        end = start + space;
    }
    let mut prefix = String::new();
    let mut s = start;
    if start > 0 {
        // Start at a word boundary.
        if let Some(space) = flat[start..end].find(' ') {
            s = start + space + 1;
        }
        prefix.push_str("...");
    }
    let body = &flat[s..end];
    let shift = prefix.len();
    let mut text_out = prefix;
    text_out.push_str(body.trim_end());
    if end < flat.len() {
        text_out.push_str("...");
    }
    let marks = marks
        .into_iter()
        .filter(|m| m.start >= s && m.end <= end)
        .map(|m| (m.start - s + shift)..(m.end - s + shift))
        .filter(|m| m.end <= text_out.len())
        .collect();
    Snippet { text: crate::text::one_line(&text_out), marks }
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn best_window(text: &str, marks: &[Range<usize>], width: usize) -> usize {
    if marks.is_empty() || text.len() <= width {
        return 0;
    }
    let mut best = (0, 0);
    for (i, m) in marks.iter().enumerate() {
        let count = marks[i..].iter().take_while(|n| n.end <= m.start + width).count();
        if count > best.0 {
            best = (count, m.start);
        }
    }
    // A little context before the first match.
    best.1.saturating_sub(width / 5)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::query::parse_words;

    #[test]
    fn marks_stems_typos_and_prefixes() {
        let words = parse_words("certficate expire restar");
        let text = "The certificate expired; restarting nginx helps.";
        let s = make(text, &words, 200);
        let marked: Vec<&str> = s.marks.iter().map(|m| &s.text[m.clone()]).collect();
        assert_eq!(marked, ["certificate", "expired", "restarting"]);
    }

    #[test]
    fn long_text_is_windowed_around_matches() {
        let words = parse_words("inode ");
        let text = format!("{} inode exhausted here {}", "filler ".repeat(50), "tail ".repeat(50));
        let s = make(&text, &words, 60);
        assert!(s.text.starts_with("...") && s.text.ends_with("..."), "{}", s.text);
        assert_eq!(s.marks.len(), 1);
        assert_eq!(&s.text[s.marks[0].clone()], "inode");
    }
}
