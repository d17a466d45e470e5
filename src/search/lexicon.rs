//! The ops lexicon (`lexicon.txt`, read at build time): irregular forms joined to their base
//! before stemming, and groups of words a responder uses interchangeably, which a query
//! matches at a lower weight than the words typed. The file's header documents its format.

use std::sync::OnceLock;

use rustc_hash::FxHashMap;

const SOURCE: &str = include_str!("lexicon.txt");

/// The lexicon, parsed once.
#[derive(Debug, Default)]
struct Lexicon {
    /// Irregular form -> base.
    base: FxHashMap<&'static str, &'static str>,
    /// The groups, each a list of words.
    groups: Vec<Vec<&'static str>>,
    /// Word -> the groups it is in.
    member_of: FxHashMap<&'static str, Vec<usize>>,
}

/// A line of the file that is not what the header says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct BadLine {
    pub line: usize,
    pub why: &'static str,
}

fn parse(source: &'static str) -> (Lexicon, Vec<BadLine>) {
    let mut lex = Lexicon::default();
    let mut bad = Vec::new();
    for (n, line) in source.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let is_word = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        if let Some((form, base)) = line.split_once('=') {
            let (form, base) = (form.trim(), base.trim());
            if !is_word(form) || !is_word(base) || form == base {
                bad.push(BadLine { line: n + 1, why: "expected `form = base`, two different lowercase words" });
                continue;
            }
            lex.base.insert(form, base);
            continue;
        }
        let words: Vec<&'static str> = line.split_whitespace().collect();
        if words.len() < 2 || !words.iter().all(|w| is_word(w)) {
            bad.push(BadLine { line: n + 1, why: "expected a group of two or more lowercase words" });
            continue;
        }
        let g = lex.groups.len();
        for w in &words {
            lex.member_of.entry(w).or_default().push(g);
        }
        lex.groups.push(words);
    }
    (lex, bad)
}

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(|| parse(SOURCE).0)
}

/// The base of an irregular form (`indices` -> `index`).
pub(super) fn base_form(word: &str) -> Option<&'static str> {
    lexicon().base.get(word).copied()
}

/// The words that share a group with `word` (not `word` itself), in the file's order.
pub(super) fn related(word: &str) -> Vec<&'static str> {
    let lex = lexicon();
    let mut out: Vec<&'static str> = Vec::new();
    for &g in lex.member_of.get(word).map(Vec::as_slice).unwrap_or_default() {
        for w in lex.groups.get(g).map(Vec::as_slice).unwrap_or_default() {
            if *w != word && !out.contains(w) {
                out.push(w);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_lexicon_parses_cleanly() {
        let (lex, bad) = parse(SOURCE);
        assert_eq!(bad, []);
        assert!(lex.groups.len() > 40 && lex.base.len() > 20);
        // A base form is never itself irregular, so mapping once is enough.
        for base in lex.base.values() {
            assert!(!lex.base.contains_key(base), "{base}");
        }
    }

    #[test]
    fn bad_lines_are_reported_with_their_number() {
        let (_, bad) = parse("# c\nfine words\nlonely\nA = b\nx = x\n");
        assert_eq!(bad.iter().map(|b| b.line).collect::<Vec<_>>(), [3, 4, 5]);
    }

    #[test]
    fn related_words_come_from_every_group_of_a_word() {
        assert_eq!(base_form("indices"), Some("index"));
        let r = related("cert");
        assert!(r.contains(&"certificate") && !r.contains(&"cert"));
        // A class expands to its codes and back, but one code never to another (a 401 is
        // not a 404), while its own meaning comes from another group.
        let r = related("503");
        assert!(r.contains(&"5xx") && r.contains(&"unavailable") && !r.contains(&"502"), "{r:?}");
        let r = related("5xx");
        assert!(r.contains(&"502") && r.contains(&"503"), "{r:?}");
        assert!(related("nginx").is_empty());
    }
}
