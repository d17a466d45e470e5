//! The frozen relevance query sets in `tests/relevance/queries/` (written blind, before anyone
//! looked at a ranking): each stays well formed, and every page it expects exists in its
//! collection, so a renamed file cannot silently turn a query into a guaranteed miss.

#![cfg(test)]

mod corpora;

use std::path::Path;

const SETS: [&str; 5] = [
    "runbooks",
    "gitlab-com-runbooks",
    "aws-incident-response-playbooks",
    "pagerduty-incident-response-docs",
    "prometheus-operator-runbooks",
];

#[test]
fn the_frozen_query_sets_are_well_formed_and_name_real_pages() {
    for name in SETS {
        let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/relevance/queries").join(format!("{name}.tsv"));
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert!(text.lines().any(|l| l.starts_with("# ") && l.contains("Frozen")), "{name}: says it is frozen");
        let rows: Vec<(&str, Vec<&str>)> = text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .map(|l| {
                let cols: Vec<&str> = l.split('\t').collect();
                assert_eq!(cols.len(), 2, "{name}: `{l}` is not query<TAB>paths");
                (cols[0], cols[1].split(',').collect())
            })
            .collect();
        assert_eq!(rows.len(), 30, "{name}: 30 queries");
        assert!(rows.iter().all(|(q, paths)| !q.trim().is_empty() && !paths.is_empty()), "{name}");
        let root = if name == "runbooks" {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("runbooks")
        } else {
            let Some(root) = corpora::corpus(name) else { continue };
            root
        };
        for (query, paths) in &rows {
            for p in paths {
                assert!(root.join(p).is_file(), "{name}: `{query}` expects {p}, which is not in the collection");
            }
        }
    }
}
