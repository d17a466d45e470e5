//! Hostile input through every consumer, as a class rather than one file at a time:
//! - a folder holding one file of each hostile category (deep nesting of every container,
//!   inline nesting, encodings, escape sequences, YAML bombs, huge files and lines, 100k
//!   headings, FIFOs, sockets, links and loops) through `check`, `check --json`, `list`,
//!   `search`, `show`, `show --json` and the TUI (TestBackend);
//! - property tests that generate nested markdown (quotes, lists, task items and alerts inside
//!   each other, holding emphasis, links, inline HTML, tables and code) from flat to far past
//!   the nesting cap, through load, serialisation, `show`'s renderer, the index, search with
//!   snippets and the TUI.
//!
//! CI-sized by default. A long run: `RUNBOOK_HOSTILE_DEPTH=20000 RUNBOOK_HOSTILE_CASES=400
//! cargo test --release --test hostile` (figures in docs/performance.md).

#![cfg(test)]

mod hostile_folder;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use assert_cmd::Command;
use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use runbook::runbook::{Block, Origin, Runbook, parse_bytes};
use runbook::search::{Cache, Progress, SearchIndex};
use runbook::tui::action::Action;
use runbook::tui::app::{App, Screen};
use runbook::tui::outbox::{OpenedFrom, Opening};
use runbook::tui::theme::Theme;
use serde_json::Value;
use tempfile::TempDir;

use hostile_folder::{DEEP_WORDS, GOOD, has_control, write_folder};
use runbook::runbook::MAX_NESTING;

fn tempdir() -> TempDir {
    TempDir::new().expect("tempdir")
}

/// Run the binary on `root`; its exit code (a signal or a hang fails the test) and output.
fn run(root: &Path, cache: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::cargo_bin("runbook")
        .unwrap()
        .env("RUNBOOK_SYSTEM_CONFIG", "/nonexistent/runbook/config.toml")
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .arg("--dir")
        .arg(root)
        .args(args)
        .env("RUNBOOK_CACHE_DIR", cache)
        .env("RUNBOOK_STATE_DIR", cache)
        .env("NO_COLOR", "1")
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap_or_else(|e| panic!("runbook {args:?}: {e}"));
    let code = out.status.code().unwrap_or_else(|| panic!("runbook {args:?} was killed: {:?}", out.status));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(!has_control(&stdout), "runbook {args:?} printed a control character");
    assert!(
        !has_control(&String::from_utf8_lossy(&out.stderr)),
        "runbook {args:?} wrote a control character to stderr"
    );
    (code, stdout)
}

/// Parsed with serde_json's default recursion limit (128), as a script reading `--json` would.
fn json(text: &str) -> Value {
    serde_json::from_str(text)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", text.chars().take(300).collect::<String>()))
}

/// Every string in a JSON value, walked without recursion.
fn json_strings(v: &Value) -> Vec<&str> {
    let mut out = Vec::new();
    let mut stack = vec![v];
    while let Some(v) = stack.pop() {
        match v {
            Value::String(s) => out.push(s.as_str()),
            Value::Array(items) => stack.extend(items),
            Value::Object(map) => {
                out.extend(map.keys().map(String::as_str));
                stack.extend(map.values());
            }
            _ => {}
        }
    }
    out
}

#[test]
fn a_hostile_folder_never_takes_a_command_down() {
    let dir = tempdir();
    let cache = tempdir();
    let root = dir.path();
    write_folder(root);

    let (code, text) = run(root, cache.path(), &["check", "--json"]);
    assert_eq!(code, 1, "check finds errors");
    let problems = json(&text);
    let got: Vec<String> = problems
        .as_array()
        .into_iter()
        .flatten()
        .map(|p| {
            let file = p["path"].as_str().and_then(|f| f.rsplit('/').next()).unwrap_or("");
            format!("{file}:{}", p["code"].as_str().unwrap_or(""))
        })
        .collect();
    for want in [
        "deep-quotes.md:nesting",
        "deep-lists.md:nesting",
        "deep-mixed.md:nesting",
        "deep-table.md:nesting",
        "deep-tasks.md:nesting",
        "latin1.md:encoding",
        "utf16.md:encoding",
        "control.md:control-chars",
        "yaml-bomb.md:yaml",
        "yaml-deep.md:yaml",
        "too-big.md:file",
        "dir.md:file",
        "pipe.md:file",
        "socket.md:file",
        "loop:file",
        "outside.md:file",
    ] {
        assert!(got.contains(&want.to_owned()), "missing {want} in {got:?}");
    }
    assert_eq!(got.iter().filter(|g| g.starts_with("deep-quotes.md:nesting")).count(), 1, "once per file");
    assert!(json_strings(&problems).iter().all(|s| !has_control(s)));
    let (code, _) = run(root, cache.path(), &["check"]);
    assert_eq!(code, 1);

    let (code, text) = run(root, cache.path(), &["list", "--json"]);
    assert_eq!(code, 0);
    let ids: Vec<String> =
        json(&text).as_array().into_iter().flatten().filter_map(|e| e["id"].as_str().map(str::to_owned)).collect();
    for want in ["good", "deep-quotes", "deep-tasks", "deep-inline", "deep-html", "latin1", "control", "headings"] {
        assert!(ids.iter().any(|i| i == want), "{want} not listed: {ids:?}");
    }
    for id in &ids {
        let (code, text) = run(root, cache.path(), &["show", id]);
        assert_eq!(code, 0, "show {id}");
        assert!(!text.trim().is_empty(), "show {id} printed nothing");
        let (code, text) = run(root, cache.path(), &["show", "--json", id]);
        assert_eq!(code, 0, "show --json {id}");
        assert!(json_strings(&json(&text)).iter().all(|s| !has_control(s)), "show --json {id}");
    }

    let (code, text) = run(root, cache.path(), &["search", "--json", GOOD.1]);
    assert_eq!(code, 0);
    assert_eq!(json(&text)[0]["id"].as_str(), Some(GOOD.0), "{text}");
    for (file, word) in DEEP_WORDS {
        let (code, text) = run(root, cache.path(), &["search", "--json", word]);
        assert_eq!(code, 0, "search {word}");
        let hits = json(&text);
        let want = file.trim_end_matches(".md");
        assert_eq!(hits[0]["id"].as_str(), Some(want), "the innermost text of {file} is searchable: {text}");
    }
}

/// The TUI over the hostile folder: every runbook opens and draws at phone and laptop sizes.
#[test]
fn the_tui_opens_every_hostile_runbook() {
    let dir = tempdir();
    write_folder(dir.path());
    let roots = vec![dir.path().to_path_buf()];
    let index = Arc::new(SearchIndex::open(
        &runbook::runbook::library::Catalog::scan(&roots),
        &Cache::Off,
        &Arc::new(Progress::default()),
    ));
    let mut app = App::new(
        std::sync::Arc::new(runbook::runbook::library::Catalog::new(&roots)),
        Theme { color: false },
        "",
        Arc::new(Progress::default()),
    );
    app.index_ready(Arc::clone(&index));
    assert!(index.entries().len() >= 12, "{} runbooks", index.entries().len());
    for entry in index.entries() {
        let from = OpenedFrom::Search { named: false, escalate: false };
        app.open(Opening { at: entry.at.clone(), section: None, from }, Instant::now());
        assert_eq!(app.screen(), Screen::Guide, "{} opens", entry.id);
        for (w, h) in [(60, 20), (80, 24)] {
            let screen = draw(&app, w, h);
            let first = entry.title.split_whitespace().next().unwrap_or("");
            assert!(screen.contains(first), "{} at {w}x{h}:\n{screen}", entry.id);
        }
        app.update(Action::Escape, Instant::now());
        assert_eq!(app.screen(), Screen::Search);
    }
}

fn draw(app: &App, w: u16, h: u16) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| runbook::tui::draw(f, app, Instant::now())).unwrap();
    let buf = term.backend().buffer();
    let text: String = buf.content().iter().map(|c| c.symbol()).collect();
    assert!(!has_control(&text), "a control character reached the screen");
    text
}

/// One level of generated nesting.
#[derive(Debug, Clone, Copy)]
enum Level {
    Quote,
    Bullet,
    Ordered,
    Task,
    Caution,
}

/// What the innermost level holds.
#[derive(Debug, Clone)]
enum Leaf {
    Paragraph { stars: usize, brackets: usize },
    Table,
    Code,
    Heading,
    Html,
    Entities,
}

const WORD: &str = "zebraword";

/// The markdown for `levels` of containers around `leaf`, one level after another. Each alert
/// needs a line of its own carrying every enclosing prefix, so alerts stop (and become plain
/// quotes) once the file nears the loader's 4 MB cap, the most a real folder can hold.
fn nested(levels: &[Level], leaf: &Leaf) -> String {
    const BUDGET: usize = 3 * 1024 * 1024;
    let mut lines = vec!["# Generated".to_owned(), String::new()];
    let (mut first, mut cont) = (String::new(), String::new());
    let mut size = 0;
    for level in levels {
        let (marker, more) = match level {
            Level::Quote => ("> ", "> "),
            Level::Bullet => ("- ", "  "),
            Level::Ordered => ("1. ", "   "),
            Level::Task => ("- [ ] ", "      "),
            Level::Caution if size + first.len() > BUDGET => ("> ", "> "),
            Level::Caution => {
                lines.push(format!("{first}> [!CAUTION]"));
                size += first.len() + 13;
                first = format!("{cont}> ");
                cont.push_str("> ");
                continue;
            }
        };
        first.push_str(marker);
        cont.push_str(more);
    }
    let body: Vec<String> = match leaf {
        Leaf::Paragraph { stars, brackets } => vec![format!(
            "{}{WORD}{} {}x{} <span>`c`</span>",
            "*".repeat(*stars),
            "*".repeat(*stars),
            "[".repeat(*brackets),
            "](#generated)".repeat(*brackets)
        )],
        Leaf::Table => vec![format!("| a | {WORD} |"), "|---|---|".into(), "| 1 | 2 |".into()],
        Leaf::Code => vec!["```sh".into(), format!("echo {WORD}"), "```".into()],
        Leaf::Heading => vec![format!("## {WORD}")],
        Leaf::Html => vec![format!("<div>{WORD}</div>")],
        Leaf::Entities => vec![format!("{WORD} &#x1b;[2J &#27;]0;t&#7; &#x9b;31m &#133;")],
    };
    for (i, line) in body.iter().enumerate() {
        lines.push(format!("{}{line}", if i == 0 { &first } else { &cont }));
    }
    lines.push(String::new());
    lines.push("After the nesting.".into());
    lines.join("\n")
}

fn env_usize(name: &str, default: usize) -> usize {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn level() -> impl Strategy<Value = Level> {
    prop_oneof![Just(Level::Quote), Just(Level::Bullet), Just(Level::Ordered), Just(Level::Task), Just(Level::Caution)]
}

fn leaf() -> impl Strategy<Value = Leaf> {
    prop_oneof![
        (0usize..40, 0usize..40).prop_map(|(stars, brackets)| Leaf::Paragraph { stars, brackets }),
        Just(Leaf::Table),
        Just(Leaf::Code),
        Just(Leaf::Heading),
        Just(Leaf::Html),
        Just(Leaf::Entities),
    ]
}

/// How deeply blocks nest in the model, walked without recursion.
fn model_depth(rb: &Runbook) -> usize {
    let mut deepest = 0;
    let mut stack: Vec<(&Block, usize)> = rb.sections.iter().flat_map(|s| s.blocks.iter().map(|b| (b, 1))).collect();
    while let Some((block, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        let children: Vec<&Block> = match block {
            Block::List { items, .. } => items.iter().flatten().collect(),
            Block::Quote { blocks, .. } | Block::Alert { blocks, .. } => blocks.iter().collect(),
            Block::Step(step) => step.body.iter().chain(step.risk.iter().flat_map(|r| r.blocks.iter())).collect(),
            _ => Vec::new(),
        };
        stack.extend(children.into_iter().map(|b| (b, depth + 1)));
    }
    deepest
}

/// The generated file through load, serialisation and `show`'s renderer.
fn check_model(text: &str, depth: usize) -> Result<(), TestCaseError> {
    let origin = Origin { root: 0, rel_path: "gen.md".into(), file: PathBuf::from("gen.md") };
    let (rb, findings) = parse_bytes(text.as_bytes(), origin);
    let flattened = findings.iter().any(|f| f.code == "nesting");
    prop_assert!(!flattened || depth > MAX_NESTING, "flattened at {depth} levels");
    prop_assert!(findings.iter().filter(|f| f.code == "nesting").count() <= 1, "reported once");
    // Containers, plus the leaf block (and a step's body) inside the last one.
    prop_assert!(model_depth(&rb) <= MAX_NESTING + 2, "model {} deep", model_depth(&rb));
    let all_text: String = rb.sections.iter().map(|s| format!("{}\n{}", s.title, s.text())).collect();
    prop_assert!(all_text.contains(WORD), "the innermost text is kept");
    prop_assert!(!rb.title.contains('\n') && !has_control(&rb.title));
    let json = serde_json::to_string(&rb);
    prop_assert!(json.is_ok(), "serialises: {:?}", json.err());
    let json = json.unwrap_or_default();
    prop_assert!(!has_control(&json) && !json.contains("\\u00"), "no control character in JSON");
    let back = serde_json::from_str::<Value>(&json);
    prop_assert!(back.is_ok(), "reads back within serde_json's default depth: {:?}", back.err());
    let shown = runbook::plain::runbook(&rb, None);
    prop_assert!(!has_control(&shown), "no control character in `show`");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(env_usize("RUNBOOK_HOSTILE_CASES", 64) as u32))]

    /// Load, serialise and render, from flat to far past the cap.
    #[test]
    fn generated_nesting_loads_serialises_and_renders(
        levels in prop::collection::vec(level(), 0..=env_usize("RUNBOOK_HOSTILE_DEPTH", 400)),
        leaf in leaf(),
    ) {
        check_model(&nested(&levels, &leaf), levels.len())?;
    }

    /// The same through the index, search with snippets, and the TUI.
    #[test]
    fn generated_nesting_is_searchable_and_opens_in_the_tui(
        levels in prop::collection::vec(level(), 0..=env_usize("RUNBOOK_HOSTILE_DEPTH", 400)),
        leaf in leaf(),
    ) {
        let text = nested(&levels, &leaf);
        check_model(&text, levels.len())?;
        let dir = tempdir();
        std::fs::write(dir.path().join("gen.md"), &text).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let roots = vec![dir.path().to_path_buf()];
        let index = Arc::new(SearchIndex::open(&runbook::runbook::library::Catalog::scan(&roots), &Cache::Off, &Arc::new(Progress::default())));
        let hits = index.search(WORD, 5);
        prop_assert_eq!(hits.first().map(|h| h.entry.id.as_str()), Some("gen"));
        prop_assert!(hits.iter().all(|h| !has_control(&h.snippet.text)));
        let mut app = App::new(std::sync::Arc::new(runbook::runbook::library::Catalog::new(&roots)), Theme { color: false }, "", Arc::new(Progress::default()));
        app.index_ready(Arc::clone(&index));
        if let Some(hit) = hits.first() {
            let from = OpenedFrom::Search { named: hit.section_named, escalate: false };
            app.open(Opening { at: hit.entry.at.clone(), section: hit.section.clone(), from }, Instant::now());
        }
        prop_assert_eq!(app.screen(), Screen::Guide);
        for (w, h) in [(60, 20), (80, 24), (120, 40)] {
            draw(&app, w, h);
        }
    }
}
