//! `runbook graph`: the Mermaid and DOT output parsed back and compared with the runbook it
//! was drawn from, problems marked, and (where Graphviz is installed) DOT that `dot` reads.

#![cfg(test)]

use std::collections::BTreeMap;
use std::path::Path;

use assert_cmd::Command;

fn graph(dir: &Path, args: &[&str]) -> String {
    let out = Command::cargo_bin("runbook")
        .unwrap()
        .env("RUNBOOK_SYSTEM_CONFIG", "/nonexistent/runbook/config.toml")
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .env("RUNBOOK_CACHE_DIR", std::env::temp_dir().join("runbook-graph-test-cache"))
        .arg("--dir")
        .arg(dir)
        .arg("graph")
        .args(args)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A Mermaid flowchart as the tool writes it: node -> (shape, label), edges, classes.
#[derive(Debug, Default)]
struct Mermaid {
    nodes: BTreeMap<String, (String, String)>,
    edges: Vec<(String, String, String, bool)>,
    classes: Vec<(String, String)>,
}

fn unescape(s: &str) -> String {
    s.replace("#quot;", "\"").replace("#lt;", "<").replace("#gt;", ">").replace("#124;", "|").replace("#35;", "#")
}

fn parse_mermaid(text: &str) -> Mermaid {
    let mut m = Mermaid::default();
    let mut lines = text.lines();
    assert!(lines.next().is_some_and(|l| l.starts_with("%% ")), "{text}");
    let mut lines = lines.skip_while(|l| l.starts_with("%% "));
    assert_eq!(lines.next(), Some("flowchart TD"));
    for line in lines {
        let line = line.trim();
        if let Some(rest) = line.strip_prefix("class ") {
            let (n, c) = rest.split_once(' ').unwrap();
            m.classes.push((n.to_owned(), c.to_owned()));
        } else if line.starts_with("classDef ") {
        } else if let Some((from, rest)) = line.split_once(" -->").or_else(|| line.split_once(" -.->")) {
            let dashed = line.contains(" -.->");
            let (label, to) = match rest.strip_prefix("|\"") {
                Some(r) => {
                    let (l, to) = r.split_once("\"| ").unwrap();
                    (unescape(l), to)
                }
                None => (String::new(), rest.trim()),
            };
            m.edges.push((from.to_owned(), to.trim().to_owned(), label, dashed));
        } else {
            let at = line.find(['[', '{', '(']).unwrap_or_else(|| panic!("not a node: {line}"));
            let (id, shape) = line.split_at(at);
            let open = shape.find('"').unwrap();
            let close = shape.rfind('"').unwrap();
            let label = unescape(&shape[open + 1..close]);
            m.nodes.insert(id.to_owned(), (format!("{}{}", &shape[..open], &shape[close + 1..]), label));
        }
    }
    for (from, to, _, _) in &m.edges {
        assert!(
            m.nodes.contains_key(from) && m.nodes.contains_key(to),
            "edge {from} -> {to} names a node that is not there"
        );
    }
    m
}

fn fixtures() -> &'static Path {
    Path::new("tests/fixtures/tui")
}

#[test]
fn a_decision_tree_comes_back_as_its_sections_and_answers() {
    let m = parse_mermaid(&graph(fixtures(), &["os/disk-full"]));
    let by_label = |l: &str| {
        m.nodes
            .iter()
            .find(|(_, (_, label))| label == l)
            .map(|(id, _)| id.clone())
            .unwrap_or_else(|| panic!("no node {l:?} in {:?}", m.nodes))
    };
    let which = by_label("Which filesystem is full?");
    assert_eq!(m.nodes[&which].0, "{}", "a question is a rhombus");
    let answers: Vec<(String, String)> = m
        .edges
        .iter()
        .filter(|(f, _, _, dashed)| *f == which && !dashed)
        .map(|(_, t, l, _)| (l.clone(), m.nodes[t].1.clone()))
        .collect();
    assert_eq!(
        answers,
        [
            ("One is at 100%".to_owned(), "Shrink the journal".to_owned()),
            ("None is full".to_owned(), "None is full ⚠ dead end".to_owned())
        ]
    );
    let verify = by_label("Verify");
    assert!(m.classes.contains(&(verify, "verify".to_owned())), "{:?}", m.classes);
    assert!(m.classes.contains(&(by_label("Rollback"), "rollback".to_owned())));
    // (That leaf of the guide leads nowhere: a dead end, marked.)
    assert!(
        !m.nodes.values().any(|(_, l)| l.starts_with("Shrink the journal ⚠")),
        "a section with steps is no dead end"
    );
}

#[test]
fn check_problems_are_marked_and_links_to_other_runbooks_are_their_nodes() {
    let dir = tempfile::TempDir::new().unwrap();
    std::fs::write(dir.path().join("other.md"), "---\ntitle: Fix \"it\" <now>\nkind: procedure\n---\n# Fix\n\n## Steps\n\n- [ ] Do it\n\n## Verify\n\nOk.\n\n## Rollback\n\nUndo.\n").unwrap();
    std::fs::write(
        dir.path().join("tree.md"),
        "---\ntitle: Tree\nkind: guide\n---\n# Tree\n\n## Which? {#q}\n\n- [Go fix | now](other.md)\n- [Loop](#a)\n- [Renamed](other.md#gone)\n\n## Around {#a}\n\n- [Back](#b)\n\n## Again {#b}\n\n- [Forth](#a)\n\n## Nobody comes here {#lost}\n\nSee [the fix](other.md).\n",
    )
    .unwrap();
    let m = parse_mermaid(&graph(dir.path(), &["tree"]));
    let labels: Vec<&str> = m.nodes.values().map(|(_, l)| l.as_str()).collect();
    assert!(labels.contains(&"Nobody comes here ⚠ unreachable"), "{labels:?}");
    assert!(
        labels.contains(&"Fix \"it\" <now> ⚠ broken link: no section #gone"),
        "a section id that changed: {labels:?}"
    );
    assert!(labels.iter().any(|l| l.starts_with("Around ⚠") && l.contains("loop")), "{labels:?}");
    let fix = m.nodes.iter().find(|(_, (shape, _))| shape == "[[]]").map(|(id, (_, l))| (id.clone(), l.clone()));
    let (fix, label) = fix.unwrap_or_default();
    assert_eq!(label, "Fix \"it\" <now>", "quotes and brackets survive the escaping");
    assert!(m.edges.iter().any(|(_, to, l, dashed)| *to == fix && l == "Go fix | now" && !dashed), "{:?}", m.edges);
    assert!(
        m.edges.iter().any(|(_, to, l, dashed)| *to == fix && l.is_empty() && *dashed),
        "a link in the text is dashed: {:?}",
        m.edges
    );
    assert!(m.classes.iter().any(|(n, c)| *n == fix && c == "procedure"));
}

#[test]
fn with_no_id_the_runbooks_link_from_start_here() {
    let m = parse_mermaid(&graph(fixtures(), &[]));
    let id = |l: &str| m.nodes.iter().find(|(_, (_, label))| label.starts_with(l)).map(|(id, _)| id.clone()).unwrap();
    assert_eq!(m.nodes.len(), 3);
    assert!(m.edges.iter().any(|(f, t, _, _)| *f == id("Start here") && *t == id("Disk full")), "{:?}", m.edges);
}

#[test]
fn dot_output_is_read_by_graphviz() {
    let text = graph(fixtures(), &["os/disk-full", "--format", "dot"]);
    assert!(text.starts_with("digraph runbook {") && text.trim_end().ends_with('}'), "{text}");
    assert!(text.contains("label=\"One is at 100%\""), "{text}");
    let Ok(mut child) = std::process::Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
    else {
        assert!(std::env::var_os("CI").is_none(), "Graphviz (`dot`) must be installed in CI (.ci/run installs it)");
        eprintln!("SKIPPED: Graphviz is not installed, so the DOT output was not fed to `dot`");
        return;
    };
    use std::io::Write as _;
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "dot rejected it: {}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("<svg"));
}

#[test]
fn runbooks_that_link_nowhere_are_left_out_of_the_library_graph_and_named() {
    let dir = tempfile::TempDir::new().unwrap();
    std::fs::write(dir.path().join("start-here.md"), "# Start\n\n## What? {#q}\n\n- [Disk](a.md)\n").unwrap();
    std::fs::write(dir.path().join("a.md"), "# A\n\nText.\n").unwrap();
    std::fs::write(dir.path().join("alone.md"), "# Alone\n\nText.\n").unwrap();
    let text = graph(dir.path(), &[]);
    assert!(text.contains("%% not drawn: 1 runbook(s) that link to and from nothing"), "{text}");
    let m = parse_mermaid(&text);
    let labels: Vec<&str> = m.nodes.values().map(|(_, l)| l.as_str()).collect();
    assert_eq!(labels.len(), 2, "{labels:?}");
    assert!(!labels.contains(&"Alone"), "{labels:?}");
}
