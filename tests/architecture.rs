//! The rules of `docs/architecture.md`, checked on the source: no import cycle between the
//! modules of one folder, each outside crate used only where the document says, and no update
//! path of the TUI building terminal lines.

#![cfg(test)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file under `src/`.
fn sources() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut dirs = vec![Path::new("src").to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    assert!(out.len() > 50, "found the sources: {out:?}");
    out
}

/// Module path (`tui::guide_screen::keys`) -> source without its test module.
fn modules() -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for path in sources() {
        let rel = path.strip_prefix("src").unwrap().with_extension("");
        let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
        if parts.last().is_some_and(|l| l == "mod" || l == "lib" || l == "main") {
            parts.pop();
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or("").to_owned();
        out.insert(parts.join("::"), code);
    }
    out
}

/// The paths a source names after `crate::`, `super::` or `self::`, with `{a, b::c}` groups
/// expanded to their first segments, each as the module path it starts from plus segments.
fn paths(module: &str, code: &str) -> Vec<Vec<String>> {
    let ident = |s: &str| s.chars().take_while(|c| c.is_alphanumeric() || *c == '_').count();
    let mut out = Vec::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < code.len() {
        let rest = &code[i..];
        let starts = ["crate::", "super::", "self::"].iter().find(|p| rest.starts_with(**p));
        let boundary =
            i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_' || bytes[i - 1] == b':');
        let Some(prefix) = starts.filter(|_| boundary) else {
            i += rest.chars().next().map_or(1, char::len_utf8);
            continue;
        };
        let mut base: Vec<String> = if *prefix == "crate::" {
            Vec::new()
        } else {
            module.split("::").filter(|s| !s.is_empty()).map(str::to_owned).collect()
        };
        let mut j = i + prefix.len();
        if *prefix == "super::" {
            base.pop();
            while code[j..].starts_with("super::") {
                base.pop();
                j += "super::".len();
            }
        }
        // Segments, then perhaps a `{...}` group.
        loop {
            let n = ident(&code[j..]);
            if n == 0 {
                break;
            }
            base.push(code[j..j + n].to_owned());
            j += n;
            if !code[j..].starts_with("::") {
                break;
            }
            j += 2;
        }
        if code[j..].starts_with('{') {
            let mut depth = 0;
            let mut item_start = true;
            for (k, c) in code[j..].char_indices() {
                match c {
                    '{' => {
                        depth += 1;
                        item_start = depth == 1;
                    }
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            j += k;
                            break;
                        }
                    }
                    ',' if depth == 1 => item_start = true,
                    c if item_start && depth == 1 && !c.is_whitespace() => {
                        let n = ident(&code[j + k..]);
                        let mut p = base.clone();
                        p.push(code[j + k..j + k + n].to_owned());
                        out.push(p);
                        item_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            out.push(base);
        }
        i = j.max(i + 1);
    }
    out
}

/// Edges between modules of the same folder: `a -> b` when something in `a` names `b`.
fn sibling_edges(mods: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (m, code) in mods {
        for p in paths(m, code) {
            let Some(target) = (1..=p.len()).rev().map(|n| p[..n].join("::")).find(|k| mods.contains_key(k)) else {
                continue;
            };
            let (a, b): (Vec<&str>, Vec<&str>) = (m.split("::").collect(), target.split("::").collect());
            let common = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
            if m.is_empty() || common >= a.len() || common >= b.len() {
                continue; // the same module, or an ancestor / descendant
            }
            edges.entry(a[..=common].join("::")).or_default().insert(b[..=common].join("::"));
        }
    }
    edges
}

#[test]
fn no_import_cycles_between_modules_of_one_folder() {
    let edges = sibling_edges(&modules());
    assert!(edges.get("tui").is_some_and(|e| e.contains("search")), "the checker sees imports: {edges:?}");
    let mut cycles = Vec::new();
    for (a, targets) in &edges {
        for b in targets {
            // A path back from b to a, breadth first.
            let mut seen = BTreeSet::from([b.clone()]);
            let mut todo = vec![vec![a.clone(), b.clone()]];
            while let Some(path) = todo.pop() {
                let last = path.last().unwrap();
                for next in edges.get(last).into_iter().flatten() {
                    if next == a {
                        cycles.push(path.join(" -> ") + " -> " + a);
                    } else if seen.insert(next.clone()) {
                        let mut p = path.clone();
                        p.push(next.clone());
                        todo.push(p);
                    }
                }
            }
        }
    }
    cycles.sort();
    cycles.dedup();
    assert!(cycles.is_empty(), "import cycles:\n{}", cycles.join("\n"));
}

/// Files (by path prefix) allowed to name a crate.
const CRATE_HOMES: &[(&str, &[&str])] = &[
    ("tantivy::", &["src/search/"]),
    ("serde_yaml::", &["src/runbook/frontmatter/"]),
    ("pulldown_cmark::", &["src/runbook/"]),
    ("walkdir::", &["src/runbook/library/walk.rs"]),
    ("ratatui::", &["src/tui/"]),
    ("crossterm::", &["src/tui/"]),
    ("toml::", &["src/config/file.rs"]),
    ("notify::", &["src/tui/watch.rs"]),
    ("candle_core::", &["src/meaning/model.rs"]),
    ("candle_nn::", &["src/meaning/model.rs"]),
    ("candle_transformers::", &["src/meaning/model.rs"]),
    ("tokenizers::", &["src/meaning/model.rs"]),
];

#[test]
fn outside_crates_stay_in_their_modules() {
    let mut wrong = Vec::new();
    let mut seen = BTreeSet::new();
    for path in sources() {
        let file = path.to_string_lossy().replace('\\', "/");
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        for (krate, homes) in CRATE_HOMES.iter().filter(|(k, _)| text.contains(k)) {
            seen.insert(*krate);
            if !homes.iter().any(|h| file.starts_with(h)) {
                wrong.push(format!("{file} uses {krate}"));
            }
        }
    }
    assert_eq!(seen.len(), CRATE_HOMES.len(), "every crate is found where it lives: {seen:?}");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn tui_updates_build_no_terminal_lines() {
    // The files that change state on a key; drawing lives elsewhere.
    for file in [
        "src/tui/app/mod.rs",
        "src/tui/app/requests.rs",
        "src/tui/guide_screen/keys.rs",
        "src/tui/guide_screen/mod.rs",
        "src/tui/search_screen/mod.rs",
        "src/tui/overlay/mod.rs",
        "src/tui/guide_screen/links.rs",
    ] {
        let text = std::fs::read_to_string(file).unwrap();
        for name in ["ratatui", "Line::", "Span::", "Paragraph::new"] {
            assert!(!text.contains(name), "{file} names {name}: update must not render");
        }
        // Nor read a file: a runbook is opened by an `Effect::Open` that the event loop
        // carries out through the catalog (`App::open`, in requests.rs).
        if !file.ends_with("requests.rs") {
            for name in ["std::fs", "files::read", "catalog.open", "Catalog::open", "read_capped"] {
                assert!(!text.contains(name), "{file} names {name}: update must not read files");
            }
        }
    }
}

#[test]
fn processes_are_started_only_by_the_git_tmux_and_shell_edges() {
    // The tool never runs a runbook's command; the programs it starts are these.
    let allowed = ["src/repo/git.rs", "src/tui/tmux.rs", "src/tui/shell.rs"];
    let mut starting = BTreeSet::new();
    for path in sources() {
        let file = path.to_string_lossy().replace('\\', "/");
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        if code.contains("Command::new(") {
            starting.insert(file);
        }
    }
    let wrong: Vec<&String> = starting.iter().filter(|f| !allowed.contains(&f.as_str())).collect();
    assert!(wrong.is_empty(), "processes started outside the edges: {wrong:?}");
    assert_eq!(starting.len(), allowed.len(), "each edge is found: {starting:?}");
}
