//! Snippets with the matched words marked, and the choice of a hit's best section. tantivy's
//! own snippets are empty for fuzzy and prefix matches, so the text is re-tokenised here and
//! each token is compared with the query words: same stem (or a related word's), within the typo
//! distance, or the typed prefix.

use aho_corasick::AhoCorasick;
use rustc_hash::FxHashMap;
use std::ops::Range;

use serde::Serialize;
use tantivy::tokenizer::TextAnalyzer;

use super::schema::StoredSection;
use super::stem::stem_word;
use super::tokens::word_analyzer;
use super::words::QueryWord;

/// A short excerpt; `marks` are byte ranges of matched words within `text`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Snippet {
    pub text: String,
    #[serde(skip)]
    pub marks: Vec<Range<usize>>,
}

/// Words a sentence of a snippet keeps at most.
const SENTENCE_WORDS: usize = 30;

/// The sentences of `text` (cut at `.`, `!`, `?` followed by a space, and at line ends),
/// each of at most `SENTENCE_WORDS` words, empty ones left out.
pub(crate) fn sentences(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut rest = line;
        while !rest.trim().is_empty() {
            let end = rest
                .match_indices(['.', '!', '?'])
                .map(|(i, _)| i + 1)
                .find(|&i| rest.get(i..).is_some_and(|r| r.is_empty() || r.starts_with(' ')))
                .unwrap_or(rest.len());
            let Some((sentence, after)) = rest.split_at_checked(end) else { break };
            let words: Vec<&str> = sentence.split_whitespace().take(SENTENCE_WORDS).collect();
            if !words.is_empty() {
                out.push(words.join(" "));
            }
            rest = after;
        }
    }
    out
}

/// How many first letters of a word the probe looks for.
const PROBE_CHARS: usize = 3;

/// Which query word a token matches, remembered per distinct token for one search (the hits
/// of one query share most of their vocabulary).
pub(super) struct Matcher<'w> {
    words: &'w [QueryWord],
    /// The first letters of every form a word can match in (as typed, stemmed, related),
    /// found case-insensitively in one pass: a section without any cannot match, and is not
    /// tokenised. (A typo in a word's first three letters, or an accented letter there, is
    /// not found this way; it only costs that section its chance to be the best one.)
    probe: Option<AhoCorasick>,
    memo: FxHashMap<String, Option<usize>>,
    analyzer: TextAnalyzer,
    stem: String,
}

impl std::fmt::Debug for Matcher<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Matcher").field("words", &self.words).finish_non_exhaustive()
    }
}

impl<'w> Matcher<'w> {
    pub(crate) fn new(words: &'w [QueryWord]) -> Matcher<'w> {
        let mut probes: Vec<&str> = Vec::new();
        for w in words {
            for form in std::iter::once(&w.raw).chain(std::iter::once(&w.stem)).chain(&w.related) {
                let end = form.char_indices().nth(PROBE_CHARS).map_or(form.len(), |(i, _)| i);
                if let Some(p) = form.get(..end).filter(|p| !p.is_empty() && !probes.contains(p)) {
                    probes.push(p);
                }
            }
        }
        let probe = AhoCorasick::builder().ascii_case_insensitive(true).build(&probes).ok();
        Matcher { words, probe, memo: FxHashMap::default(), analyzer: word_analyzer(), stem: String::new() }
    }

    /// The share of the query's words found in `texts` (0 to 1).
    pub(crate) fn coverage<'t>(&mut self, texts: impl IntoIterator<Item = &'t str>) -> f32 {
        let n = self.words.len();
        let mut seen = vec![false; n];
        for text in texts {
            self.each_match(text, |_, w| {
                if let Some(s) = seen.get_mut(w) {
                    *s = true;
                }
            });
        }
        if n == 0 { 0.0 } else { seen.iter().filter(|s| **s).count() as f32 / n as f32 }
    }

    /// Call `f(byte range, word index)` for every token of `text` that matches a word.
    fn each_match(&mut self, text: &str, mut f: impl FnMut(Range<usize>, usize)) {
        let Matcher { words, memo, analyzer, stem, .. } = self;
        let mut stream = analyzer.token_stream(text);
        while stream.advance() {
            let t = stream.token();
            let found = match memo.get(&t.text) {
                Some(found) => *found,
                None => {
                    let found = word_of(words, &t.text, stem);
                    memo.insert(t.text.clone(), found);
                    found
                }
            };
            if let Some(w) = found {
                f(t.offset_from..t.offset_to, w);
            }
        }
    }

    /// Byte ranges in `text` of words that match any query word.
    fn marks(&mut self, text: &str) -> Vec<Range<usize>> {
        let mut marks = Vec::new();
        self.each_match(text, |r, _| marks.push(r));
        marks
    }

    /// The best section for the query: most distinct words matched (in its title or text),
    /// then matches in the title, then (saturated, length-normalised) matches in the text.
    /// `None` when no section matches any word.
    pub(crate) fn best_section<'s>(&mut self, sections: &'s [StoredSection]) -> Option<&'s StoredSection> {
        let n = self.words.len();
        if sections.is_empty() || n == 0 {
            return None;
        }
        let avg = sections.iter().map(|s| s.2.len()).sum::<usize>() as f32 / sections.len() as f32;
        let mut best: Option<(f32, usize)> = None;
        for (i, (_, title, text)) in sections.iter().enumerate() {
            if let Some(probe) = &self.probe
                && !probe.is_match(title)
                && !probe.is_match(text)
            {
                continue;
            }
            let mut in_title = vec![0u32; n];
            let mut in_text = vec![0u32; n];
            self.each_match(title, |_, w| in_title[w] += 1);
            self.each_match(text, |_, w| in_text[w] += 1);
            let norm = 1.2 * (0.25 + 0.75 * text.len() as f32 / avg.max(1.0));
            let mut score = 0.0;
            for w in 0..n {
                if in_title[w] + in_text[w] > 0 {
                    score += 100.0;
                }
                score += 2.0 * (in_title[w] as f32).min(1.0);
                let tf = in_text[w] as f32;
                score += tf / (tf + norm);
            }
            if score > 0.0 && best.is_none_or(|(s, _)| score > s) {
                best = Some((score, i));
            }
        }
        best.map(|(_, i)| &sections[i])
    }

    /// Whether the query names a section's title clearly: half or more of its words (at least
    /// one) are in the title. A search may then open a runbook at that section.
    pub(crate) fn names(&mut self, title: &str) -> bool {
        let n = self.words.len();
        let mut found = vec![false; n];
        self.each_match(title, |_, w| {
            if let Some(f) = found.get_mut(w) {
                *f = true;
            }
        });
        let matched = found.iter().filter(|f| **f).count();
        matched > 0 && matched * 2 >= n
    }

    /// The window of about `width` characters of `text` with the most matches, on one line.
    pub(crate) fn snippet(&mut self, text: &str, width: usize) -> Snippet {
        let flat: String = text.chars().map(|c| if c.is_whitespace() { ' ' } else { c }).collect();
        let marks = self.marks(&flat);
        window(&flat, marks, width)
    }
}

/// The index of the query word that `token` (lowercased, folded) matches.
fn word_of(words: &[QueryWord], token: &str, stem: &mut String) -> Option<usize> {
    let mut stemmed = false;
    words.iter().position(|w| {
        if w.prefix && token.starts_with(&w.raw) {
            return true;
        }
        if !stemmed {
            stem_word(token, stem);
            stemmed = true;
        }
        w.has_stem(stem)
            || (w.fuzzy > 0
                && token.len().abs_diff(w.raw.len()) <= usize::from(w.fuzzy)
                && strsim::damerau_levenshtein(token, &w.raw) <= usize::from(w.fuzzy))
    })
}

fn window(flat: &str, marks: Vec<Range<usize>>, width: usize) -> Snippet {
    let start = best_window(flat, &marks, width);
    let start = floor_boundary(flat, start);
    let mut end = floor_boundary(flat, (start + width).min(flat.len()));
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
    use crate::search::words::parse_words;

    #[test]
    fn marks_stems_typos_and_prefixes() {
        let words = parse_words("certficate expire restar");
        let text = "The certificate expired; restarting nginx helps.";
        let s = Matcher::new(&words).snippet(text, 200);
        let marked: Vec<&str> = s.marks.iter().map(|m| &s.text[m.clone()]).collect();
        assert_eq!(marked, ["certificate", "expired", "restarting"]);
    }

    #[test]
    fn long_text_is_windowed_around_matches() {
        let words = parse_words("inode ");
        let text = format!("{} inode exhausted here {}", "filler ".repeat(50), "tail ".repeat(50));
        let s = Matcher::new(&words).snippet(&text, 60);
        assert!(s.text.starts_with("...") && s.text.ends_with("..."), "{}", s.text);
        assert_eq!(s.marks.len(), 1);
        assert_eq!(&s.text[s.marks[0].clone()], "inode");
    }

    #[test]
    fn the_best_section_matches_most_words_then_in_its_title() {
        let words = parse_words("vacuum journal ");
        let sec = |id: &str, title: &str, text: &str| (id.to_owned(), title.to_owned(), text.to_owned());
        let sections = vec![
            sec("intro", "", "Disks fill up. The journal grows."),
            sec("vacuum", "Shrink the journal", "Run journalctl --vacuum-size=500M to vacuum it."),
            sec("other", "Vacuum", "Something else entirely."),
        ];
        let mut m = Matcher::new(&words);
        assert_eq!(m.best_section(&sections).map(|s| s.0.as_str()), Some("vacuum"));
        let none = parse_words("zebra ");
        assert!(Matcher::new(&none).best_section(&sections).is_none());
    }
}
