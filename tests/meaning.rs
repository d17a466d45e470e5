//! Meaning search as a user meets it: a question in other words finds its runbook (and by words
//! alone it does not), the vectors are kept and only what changed is embedded again, damage
//! and links in the cache are never trusted, exact matches are never pushed down, the TUI says
//! when meaning search is ready, and without the model search is by words, said once.

#![cfg(test)]

mod common;
mod drive;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use runbook::runbook::library::Catalog;
use runbook::search::{Cache, Embedder, Progress, SearchIndex};

const BIN: &str = env!("CARGO_BIN_EXE_runbook");
/// From the kit's frozen meaning set: by words the handoff runbook is 5th.
const QUESTION: &str = "I'm going off duty in the middle of an outage, what do I leave for whoever picks it up";
const ANSWER: &str = "escalation/handoff";

fn kit() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("runbooks")
}

fn search(state: &Path, args: &[&str], env: &[(&str, &str)]) -> (Vec<String>, String) {
    let out = Command::new(BIN)
        .arg("--dir")
        .arg(kit())
        .args(["search", "--json"])
        .args(args)
        .envs(common::isolated(state))
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let hits: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap_or_default();
    (
        hits.iter().filter_map(|h| h["id"].as_str().map(str::to_owned)).collect(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn a_question_in_other_words_finds_its_runbook_and_without_the_model_search_is_by_words_said_once() {
    let state = tempfile::TempDir::new().unwrap();
    let (blended, said) = search(state.path(), &[QUESTION], &[]);
    assert_eq!(blended.first().map(String::as_str), Some(ANSWER), "{blended:?} {said}");
    let (words, _) = search(state.path(), &["--lexical", QUESTION], &[]);
    assert_ne!(words.first().map(String::as_str), Some(ANSWER), "by words alone it is not first: {words:?}");
    assert!(state.path().join("cache").read_dir().unwrap().flatten().any(|d| d.path().join("meaning.bin").is_file()));
    // Turned off by the setting: the words' ranking, nothing said.
    let (off, said) = search(state.path(), &[QUESTION], &[("RUNBOOK_MEANING", "0")]);
    assert_eq!((off.clone(), said.as_str()), (words.clone(), ""));
    // No model where it is looked for: the words' ranking, said once on stderr.
    let (none, said) = search(state.path(), &[QUESTION], &[("RUNBOOK_MODEL", "/nonexistent/model")]);
    assert_eq!(none, words);
    assert_eq!(said.matches("search by words only").count(), 1, "{said}");
    assert!(said.contains("/nonexistent/model"), "says where it looked: {said}");
    // A model folder holding something else: said, not a crash.
    let bad = state.path().join("bad-model");
    std::fs::create_dir(&bad).unwrap();
    std::fs::write(bad.join("model.safetensors"), b"not weights").unwrap();
    std::fs::write(bad.join("config.json"), std::fs::read(kit().join("../model/config.json")).unwrap()).unwrap();
    std::fs::write(bad.join("tokenizer.json"), b"{").unwrap();
    let out = Command::new(BIN)
        .arg("--dir")
        .arg(kit())
        .args(["search", QUESTION])
        .envs(common::isolated(state.path()))
        .env("RUNBOOK_MODEL", &bad)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("unusable"), "{out:?}");
}

fn copy_kit(to: &Path) {
    for entry in walkdir(&kit()) {
        let rel = entry.strip_prefix(kit()).unwrap();
        let dest = to.join(rel);
        std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
        std::fs::copy(&entry, dest).unwrap();
    }
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() { out.extend(walkdir(&p)) } else { out.push(p) }
    }
    out
}

fn attach(root: &Path, cache: &Path, model: &Embedder) -> (SearchIndex, runbook::search::MeaningStats) {
    let index = SearchIndex::open(
        &Catalog::scan(&[root.to_path_buf()]),
        &Cache::At(cache.to_path_buf()),
        &Arc::new(Progress::default()),
    );
    let stats = index.attach_meaning(model, &Progress::default()).unwrap();
    (index, stats)
}

#[test]
fn vectors_are_kept_only_a_changed_runbook_is_embedded_again_and_a_damaged_or_linked_file_is_never_trusted() {
    let model = Embedder::load().unwrap();
    let root = tempfile::TempDir::new().unwrap();
    copy_kit(root.path());
    let cache = tempfile::TempDir::new().unwrap();
    let (index, cold) = attach(root.path(), cache.path(), &model);
    let n = index.entries().len();
    assert_eq!((cold.runbooks, cold.embedded, cold.not_kept.clone()), (n, n, None));
    drop(index);
    assert_eq!(attach(root.path(), cache.path(), &model).1.embedded, 0, "all kept");
    // One runbook's text changed: that one only.
    let file = root.path().join("os/disk-full.md");
    let text = std::fs::read_to_string(&file).unwrap().replace("Disk full", "Disk is full");
    std::fs::write(&file, text).unwrap();
    assert_eq!(attach(root.path(), cache.path(), &model).1.embedded, 1);
    let kept = walkdir(cache.path()).into_iter().find(|p| p.ends_with("meaning.bin")).unwrap();
    // Damaged: made again, whole.
    let mut bytes = std::fs::read(&kept).unwrap();
    bytes.truncate(bytes.len() / 2);
    std::fs::write(&kept, &bytes).unwrap();
    assert_eq!(attach(root.path(), cache.path(), &model).1.embedded, n);
    // Replaced by a link to a file elsewhere: not read, and the file there is not touched.
    let elsewhere = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(elsewhere.path(), std::fs::read(&kept).unwrap()).unwrap();
    let before = std::fs::read(elsewhere.path()).unwrap();
    std::fs::remove_file(&kept).unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), &kept).unwrap();
    let (index, stats) = attach(root.path(), cache.path(), &model);
    assert_eq!(stats.embedded, n, "a link is not read");
    assert_eq!(std::fs::read(elsewhere.path()).unwrap(), before, "nor written through");
    assert!(!kept.is_symlink(), "the link was replaced by the tool's own file");
    // What searching finds with them.
    assert_eq!(index.search(QUESTION, 3).first().map(|h| h.entry.id.as_str()), Some(ANSWER));
}

#[test]
fn a_cache_that_cannot_be_written_still_searches_by_meaning_and_says_so() {
    if rustix::process::getuid().is_root() {
        eprintln!("SKIPPED: root writes into a read-only folder; run as a user to try it");
        return;
    }
    let model = Embedder::load().unwrap();
    let cache = tempfile::TempDir::new().unwrap();
    let index = SearchIndex::open(
        &Catalog::scan(&[kit()]),
        &Cache::At(cache.path().to_path_buf()),
        &Arc::new(Progress::default()),
    );
    let dir = walkdir(cache.path()).into_iter().find(|p| p.ends_with("meta.json")).unwrap();
    let dir = dir.parent().unwrap();
    std::fs::set_permissions(dir, std::os::unix::fs::PermissionsExt::from_mode(0o555)).unwrap();
    let stats = index.attach_meaning(&model, &Progress::default()).unwrap();
    std::fs::set_permissions(dir, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    assert!(stats.not_kept.is_some());
    assert_eq!(index.search(QUESTION, 1).first().map(|h| h.entry.id.as_str()), Some(ANSWER));
}

#[test]
fn an_exact_title_symptom_or_alert_is_never_pushed_down_by_meaning() {
    let model = Embedder::load().unwrap();
    let index = SearchIndex::open(&Catalog::scan(&[kit()]), &Cache::Off, &Arc::new(Progress::default()));
    let entries = index.entries().to_vec();
    let lines: Vec<String> = entries
        .iter()
        .flat_map(|e| std::iter::once(e.title.clone()).chain(e.symptoms.clone()).chain(e.alerts.clone()))
        .collect();
    let words: Vec<Option<String>> =
        lines.iter().map(|l| index.search_words(l, 1).first().map(|h| h.entry.id.clone())).collect();
    index.attach_meaning(&model, &Progress::default()).unwrap();
    let mut moved = Vec::new();
    for (line, before) in lines.iter().zip(&words) {
        let after = index.search(line, 1).first().map(|h| h.entry.id.clone());
        if &after != before {
            moved.push(format!("{line:?}: {before:?} -> {after:?}"));
        }
    }
    assert!(lines.len() > 200, "{}", lines.len());
    assert!(moved.is_empty(), "{moved:#?}");
}

#[test]
fn the_tui_says_when_meaning_search_is_ready_and_ranks_by_it() {
    let state = tempfile::TempDir::new().unwrap();
    let mut cmd = portable_pty::CommandBuilder::new(BIN);
    cmd.arg("--dir");
    cmd.arg(kit());
    for (k, v) in common::isolated(state.path()) {
        cmd.env(k, v);
    }
    cmd.cwd(state.path());
    let mut s = common::start_program(24, 80, cmd);
    s.wait_for("Meaning search ready");
    s.send(QUESTION);
    s.wait_for("Handover - what to pass on");
    let screen = s.contents();
    let first = screen.lines().find(|l| l.starts_with('▶')).unwrap_or_default().to_owned();
    assert!(first.contains("Handover - what to pass on"), "{screen}");
    s.send("\x1b\x1b\x1b");
}

#[test]
fn keys_search_by_words_and_each_frame_blends_meaning_in_once() {
    let mut app = app_with_meaning();
    let first = |app: &runbook::tui::app::App| app.search().results.first().map(|h| h.entry.id.clone());
    drive::type_text(&mut app, QUESTION);
    // Each key searched by words (a burst of keys costs no model run per key) ...
    assert_ne!(first(&app).as_deref(), Some(ANSWER));
    // ... and the frame that follows has meaning blended in.
    app.tick(std::time::Instant::now());
    assert_eq!(first(&app).as_deref(), Some(ANSWER));
}

#[test]
fn a_last_word_that_matches_nothing_is_left_to_words_until_the_query_rests() {
    let mut app = app_with_meaning();
    drive::type_text(&mut app, "s");
    app.tick(std::time::Instant::now());
    let before: Vec<String> = app.search().results.iter().map(|h| h.entry.id.clone()).collect();
    assert!(!before.is_empty());
    // No runbook has the word; two are close to it in meaning.
    drive::type_text(&mut app, "luggishness");
    app.tick(std::time::Instant::now());
    // A word no runbook has: the list stays, marked stale, and the model is not asked.
    assert!(app.search().stale);
    let shown: Vec<String> = app.search().results.iter().map(|h| h.entry.id.clone()).collect();
    // Once the query has rested, meaning answers it.
    app.tick(std::time::Instant::now() + std::time::Duration::from_secs(1));
    assert!(!app.search().stale, "meaning was asked once the query rested");
    let after: Vec<String> = app.search().results.iter().map(|h| h.entry.id.clone()).collect();
    assert!(!after.is_empty() && after != shown && after.len() < before.len(), "{after:?}");
}

/// The TUI's `App` on the kit, its index in memory with meaning attached.
fn app_with_meaning() -> runbook::tui::app::App {
    let catalog = Catalog::scan(&[kit()]);
    let index = SearchIndex::open(&catalog, &Cache::Off, &Arc::new(Progress::default()));
    index.attach_meaning(&Embedder::load().unwrap(), &Progress::default()).unwrap();
    drive::app_of(catalog, index, "")
}
