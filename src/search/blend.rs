//! The blend of the lexical ranking and meaning (pure: scores in, order out).
//!
//! Each ranking is scaled to 0..1 over its own top `DEPTH` (min-max), a runbook outside one's
//! top counting 0 there; the blend is `(1 - share) * words + share * meaning`. Meaning stands
//! in for the words the runbooks lack, so its share is the part of the query's words that the
//! best lexical hit does not hold, times `MEANING_SHARE`: a query whose every word one runbook
//! holds is ranked by its words (the caller works the share out). `MEANING_SHARE` was chosen
//! by the leave-one-collection-out evaluation of `tests/relevance/` (from 0 to 1: it chose 1,
//! the share then being the uncovered part of the query alone).
//! Two rules stand above the blend, each a principle rather than a tuned number:
//! - **exact matches stay first**: a runbook whose title, symptom, alias, alert name or file
//!   name is the query, or whose text holds the query as typed (an error message pasted), is
//!   never pushed down by meaning alone; those `pinned` keep their lexical order on top.
//! - **meaning alone must be meaningful**: a runbook no word matched is shown only when its
//!   cosine to the query is at least `MEANING_FLOOR`, above what unrelated text scores with
//!   this model; so a search for nothing in particular still finds nothing.

/// Scores of pinned hits are this or more; blended ones are at most 1.
pub(super) const PINNED: f32 = 2.0;

/// How many of each ranking's best are blended.
pub(super) const DEPTH: usize = 20;

/// The share of meaning in the blend, times the part of the query the best lexical hit lacks
/// (see the module doc and docs/performance.md).
pub const MEANING_SHARE: f32 = 1.0;

/// The cosine below which a runbook that no word matched is not shown: all-MiniLM-L6-v2
/// gives unrelated sentences cosines around 0 to 0.2 (the published example's "riding a
/// horse" against "eating pasta" is 0.19).
pub(super) const MEANING_FLOOR: f32 = 0.3;

/// The blended order of `lexical` (score, item; best first, the first `pinned` of them exact)
/// and `meaning` (cosine, item; best first), best first, with blended scores.
pub(super) fn blend<T: Copy + PartialEq>(
    lexical: &[(f32, T)],
    meaning: &[(f32, T)],
    share: f32,
    pinned: usize,
) -> Vec<(f32, T)> {
    let lexical = lexical.get(..DEPTH).unwrap_or(lexical);
    let meaning = meaning.get(..DEPTH).unwrap_or(meaning);
    let pinned = pinned.min(lexical.len());
    let words = scaled(lexical);
    let near = scaled(meaning);
    let of = |list: &[(f32, T)], scaled: &[f32], item: T| {
        list.iter().position(|(_, t)| *t == item).and_then(|i| scaled.get(i).copied())
    };
    let mut out: Vec<(f32, T)> = Vec::new();
    // The pinned first, above every blended score.
    for (i, &(_, item)) in lexical.iter().take(pinned).enumerate() {
        out.push((PINNED + 1.0 - i as f32 / DEPTH as f32, item));
    }
    let rest = lexical.iter().skip(pinned).map(|&(_, t)| t).chain(meaning.iter().map(|&(_, t)| t));
    for item in rest {
        if out.iter().any(|(_, t)| *t == item) {
            continue;
        }
        let w = of(lexical, &words, item);
        let cosine = meaning.iter().find(|(_, t)| *t == item).map(|(c, _)| *c);
        if w.is_none() && cosine.is_none_or(|c| c < MEANING_FLOOR) {
            continue;
        }
        let m = of(meaning, &near, item).unwrap_or(0.0);
        out.push(((1.0 - share) * w.unwrap_or(0.0) + share * m, item));
    }
    let start = pinned.min(out.len());
    if let Some(rest) = out.get_mut(start..) {
        rest.sort_by(|a, b| b.0.total_cmp(&a.0));
    }
    out
}

/// Each score min-max scaled over the list (all 1 when they are equal).
fn scaled<T>(list: &[(f32, T)]) -> Vec<f32> {
    let max = list.iter().map(|s| s.0).fold(f32::MIN, f32::max);
    let min = list.iter().map(|s| s.0).fold(f32::MAX, f32::min);
    list.iter().map(|s| if max - min > f32::EPSILON { (s.0 - min) / (max - min) } else { 1.0 }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(v: &[(f32, char)]) -> String {
        v.iter().map(|x| x.1).collect()
    }

    #[test]
    fn meaning_reorders_what_words_found_and_adds_what_they_missed() {
        let lexical = [(9.0, 'a'), (8.0, 'b'), (1.0, 'c')];
        let meaning = [(0.8, 'c'), (0.6, 'd'), (0.35, 'a'), (0.1, 'e')];
        // Without meaning, the lexical order.
        assert_eq!(items(&blend(&lexical, &meaning, 0.0, 0)), "abcd");
        // Half and half: c (words 0, meaning 1) and a (words 1, meaning ~0.36) come first.
        assert_eq!(items(&blend(&lexical, &meaning, 0.5, 0)), "acbd");
        // e: no word matched and its cosine is under the floor.
        assert!(!items(&blend(&lexical, &meaning, 1.0, 0)).contains('e'));
    }

    #[test]
    fn an_exact_match_is_never_pushed_down() {
        let lexical = [(60.0, 'a'), (8.0, 'b')];
        let meaning = [(0.9, 'b'), (0.8, 'c'), (0.1, 'a')];
        assert_eq!(items(&blend(&lexical, &meaning, 1.0, 1)), "abc");
        assert_eq!(items(&blend(&lexical, &meaning, 1.0, 0)), "bca");
    }

    #[test]
    fn nothing_in_gives_nothing_out() {
        assert!(blend::<char>(&[], &[], 0.5, 3).is_empty());
        assert_eq!(items(&blend(&[], &[(0.5, 'x')], 0.5, 0)), "x");
    }
}
