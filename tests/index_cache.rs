//! The on-disk index cache: incremental refresh, racy files, damaged, unwritable and old
//! caches, two processes at once, and the two real corpora.

#![cfg(test)]

mod corpora;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use runbook::search::{Cache, Location, Progress, SearchIndex};
use tempfile::TempDir;

fn tempdir() -> TempDir {
    TempDir::new().expect("tempdir")
}

fn write(root: &Path, name: &str, text: &str) {
    let path = root.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, text).unwrap_or_else(|e| panic!("write {name}: {e}"));
}

fn runbook(title: &str, symptom: &str) -> String {
    format!("---\ntitle: {title}\nsymptoms: [{symptom}]\n---\n# {title}\n\n## Check\n\nLook at {symptom}.\n")
}

/// A folder with `n` runbooks `rb-N.md`, each with its own symptom word.
fn corpus(n: usize) -> TempDir {
    let dir = tempdir();
    for i in 0..n {
        write(
            dir.path(),
            &format!("team-{}/rb-{i}.md", i % 3),
            &runbook(&format!("Runbook {i}"), &format!("symptom{i}")),
        );
    }
    dir
}

fn open(root: &Path, cache: &Path) -> SearchIndex {
    SearchIndex::open(
        &runbook::runbook::library::Catalog::scan(&[root.to_path_buf()]),
        &Cache::At(cache.to_path_buf()),
        &Arc::new(Progress::default()),
    )
}

fn ids(index: &SearchIndex, query: &str) -> Vec<String> {
    index.search(query, 10).into_iter().map(|h| h.entry.id).collect()
}

#[test]
fn only_what_changed_is_reindexed() {
    let root = corpus(20);
    let cache = tempdir();
    let first = open(root.path(), cache.path());
    assert_eq!((first.stats.files, first.stats.reindexed, first.stats.removed), (20, 20, 0));
    assert_eq!(first.location, Location::Disk, "{:?}", first.stats.fallback);
    drop(first);

    let warm = open(root.path(), cache.path());
    assert_eq!((warm.stats.reindexed, warm.stats.removed), (0, 0));
    assert_eq!(ids(&warm, "symptom7"), ["team-1/rb-7"]);
    assert_eq!(warm.entries().len(), 20);
    drop(warm);

    // Add one.
    write(root.path(), "team-0/new.md", &runbook("Brand new", "freshword"));
    let added = open(root.path(), cache.path());
    assert_eq!((added.stats.files, added.stats.reindexed, added.stats.removed), (21, 1, 0));
    assert_eq!(ids(&added, "freshword"), ["team-0/new"]);
    drop(added);

    // Change one (a different size, so no timing matters).
    write(root.path(), "team-1/rb-7.md", &runbook("Runbook seven, rewritten", "otherword"));
    let changed = open(root.path(), cache.path());
    assert_eq!((changed.stats.reindexed, changed.stats.removed), (1, 0));
    assert_eq!(ids(&changed, "otherword"), ["team-1/rb-7"]);
    assert!(ids(&changed, "symptom7").is_empty());
    assert_eq!(changed.entries().len(), 21);
    drop(changed);

    // Remove one.
    std::fs::remove_file(root.path().join("team-2/rb-5.md")).expect("rm");
    let removed = open(root.path(), cache.path());
    assert_eq!((removed.stats.files, removed.stats.reindexed, removed.stats.removed), (20, 0, 1));
    assert!(ids(&removed, "symptom5").is_empty());
    assert!(!removed.entries().iter().any(|e| e.id == "team-2/rb-5"));
    assert_eq!(ids(&removed, "symptom6"), ["team-0/rb-6"]);
}

#[test]
fn a_change_within_the_same_second_and_size_is_noticed() {
    let root = corpus(3);
    let cache = tempdir();
    let path = root.path().join("team-1/rb-1.md");
    let mtime = SystemTime::now() - Duration::from_millis(300);
    let set_mtime = |t: SystemTime| {
        let f = std::fs::File::options().write(true).open(&path).expect("open");
        f.set_modified(t).expect("set mtime");
    };
    set_mtime(mtime);
    drop(open(root.path(), cache.path()));
    // Same length, same mtime, different words: only the content hash can tell.
    let before = std::fs::read_to_string(&path).expect("read");
    let after = before.replace("symptom1", "changed1");
    assert_eq!(before.len(), after.len());
    std::fs::write(&path, &after).expect("write");
    set_mtime(mtime);
    let index = open(root.path(), cache.path());
    assert_eq!(index.stats.reindexed, 1);
    assert_eq!(ids(&index, "changed1"), ["team-1/rb-1"]);
    assert!(ids(&index, "symptom1").is_empty());
}

#[test]
fn two_runbooks_with_one_id_are_a_problem_until_one_changes() {
    let root = tempdir();
    let with_id = |title: &str, id: &str| format!("---\nid: {id}\ntitle: {title}\n---\n# {title}\n\nText.\n");
    write(root.path(), "a.md", &with_id("First", "same"));
    write(root.path(), "b.md", &with_id("Second", "same"));
    write(root.path(), "c.md", &with_id("Third", "other"));
    let cache = tempdir();
    let duplicates = |index: &SearchIndex| -> Vec<(String, Option<usize>)> {
        let problems = index.problems().iter().filter(|p| p.code == "duplicate-id");
        problems.map(|p| (p.path.file_name().unwrap_or_default().to_string_lossy().into_owned(), p.line)).collect()
    };
    let cold = open(root.path(), cache.path());
    assert_eq!(duplicates(&cold), [("b.md".to_owned(), Some(2))], "as `check` says it: the later file, its id line");
    let warm = open(root.path(), cache.path());
    assert_eq!(
        (warm.stats.reindexed, duplicates(&warm)),
        (0, vec![("b.md".to_owned(), Some(2))]),
        "kept with the index"
    );
    // Another file changes to the same id: the clash now has two later files.
    write(root.path(), "c.md", &with_id("Third", "same"));
    let names: Vec<String> = duplicates(&open(root.path(), cache.path())).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["b.md", "c.md"]);
    // The first one goes: b is now the first of its id, and c still clashes with it.
    std::fs::remove_file(root.path().join("a.md")).expect("rm");
    let names: Vec<String> = duplicates(&open(root.path(), cache.path())).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["c.md"]);
    write(root.path(), "c.md", &with_id("Third", "other"));
    assert!(duplicates(&open(root.path(), cache.path())).is_empty());
}

#[test]
fn a_corrupt_cache_still_answers() {
    let root = corpus(5);
    let cache = tempdir();
    drop(open(root.path(), cache.path()));
    // Garbage over every file of the index, and garbage files beside them.
    let mut damaged = 0;
    for dir in std::fs::read_dir(cache.path()).expect("ls").flatten() {
        for file in std::fs::read_dir(dir.path()).expect("ls").flatten() {
            if file.file_name() != "runbook.lock" {
                std::fs::write(file.path(), b"\x00garbage{{{not an index").expect("write");
                damaged += 1;
            }
        }
        std::fs::write(dir.path().join("junk.bin"), b"junk").expect("write");
    }
    assert!(damaged > 3, "the cache had only {damaged} files");
    let index = open(root.path(), cache.path());
    assert_eq!(ids(&index, "symptom3"), ["team-0/rb-3"]);
    assert_eq!(index.entries().len(), 5);
    // Rebuilt on disk: the next run is warm again.
    let again = open(root.path(), cache.path());
    assert_eq!((again.location, again.stats.reindexed), (Location::Disk, 0), "{:?}", again.stats.fallback);
    assert_eq!(ids(&again, "symptom3"), ["team-0/rb-3"]);
}

#[test]
fn an_unwritable_cache_falls_back_to_memory() {
    let root = corpus(4);
    let base = tempdir();
    let file = base.path().join("not-a-folder");
    std::fs::write(&file, b"a regular file").expect("write");
    let index = open(root.path(), &file);
    assert_eq!(index.location, Location::Memory);
    assert!(index.stats.fallback.is_some());
    assert_eq!(index.stats.reindexed, 4);
    assert_eq!(ids(&index, "symptom2"), ["team-2/rb-2"]);
}

#[test]
fn a_cache_from_another_version_is_rebuilt() {
    let root = corpus(6);
    let cache = tempdir();
    drop(open(root.path(), cache.path()));
    // Rewrite the manifest's format line, as an older or newer version would have written it.
    let dir = std::fs::read_dir(cache.path()).expect("ls").flatten().next();
    let meta_path = dir.map(|d| d.path().join("meta.json")).expect("no index folder");
    let text = std::fs::read_to_string(&meta_path).expect("read");
    let mut meta: serde_json::Value = serde_json::from_str(&text).expect("json");
    let payload = payload(cache.path());
    let (_, rest) = payload.split_once('\n').unwrap_or_else(|| panic!("payload {payload:?}"));
    meta["payload"] = serde_json::Value::String(format!("runbook-index/1/0.0.1\n{rest}"));
    std::fs::write(&meta_path, meta.to_string()).expect("write");

    let index = open(root.path(), cache.path());
    assert_eq!((index.location, index.stats.reindexed), (Location::Disk, 6), "{:?}", index.stats.fallback);
    assert_eq!(ids(&index, "symptom4"), ["team-1/rb-4"]);
    assert_eq!(index.entries().len(), 6);
}

#[test]
fn two_processes_on_a_cold_cache_both_answer() {
    let root = corpus(300);
    let cache = tempdir();
    let spawn = || {
        std::process::Command::new(assert_cmd::cargo::cargo_bin("runbook"))
            .env("RUNBOOK_SYSTEM_CONFIG", "/nonexistent/runbook/config.toml")
            .env("XDG_CONFIG_HOME", "/nonexistent")
            .args(["search", "symptom42", "--json", "--dir"])
            .arg(root.path())
            .env("RUNBOOK_CACHE_DIR", cache.path())
            .env_remove("RUNBOOK_PATH")
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn")
    };
    let (a, b) = (spawn(), spawn());
    for child in [a, b] {
        let out = child.wait_with_output().expect("wait");
        assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
        let hits: serde_json::Value =
            serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("json: {e}: {:?}", out.stdout));
        assert_eq!(hits[0]["id"], "team-0/rb-42", "{hits}");
    }
    // Afterwards the cache is whole and warm.
    let index = open(root.path(), cache.path());
    assert_eq!((index.location, index.stats.reindexed), (Location::Disk, 0), "{:?}", index.stats.fallback);
    assert_eq!(index.entries().len(), 300);
}

/// Both shared corpora load, index, answer, and open warm the second time.
#[test]
fn the_real_corpora_load_index_and_answer() {
    for (name, min_files, query, want) in [
        ("prometheus-operator-runbooks", 100, "pod crash looping", "KubePodCrashLooping"),
        ("linkerd-website", 1500, "tap", "tap"),
    ] {
        let Some(root) = corpora::corpus(name) else { continue };
        let cache = tempdir();
        let index = open(&root, cache.path());
        assert_eq!(index.location, Location::Disk, "{name}: {:?}", index.stats.fallback);
        assert!(index.stats.files >= min_files, "{name}: {} files", index.stats.files);
        assert_eq!(index.stats.reindexed, index.entries().len(), "{name}");
        let hits = index.search(query, 10);
        assert!(!hits.is_empty(), "{name}: no hits for {query:?}");
        assert!(hits.iter().take(3).any(|h| h.entry.id.contains(want)), "{name}: {:?}", ids(&index, query));
        assert!(hits.iter().all(|h| !h.snippet.text.is_empty() || h.section.is_none()));
        let cold_ids = ids(&index, query);
        drop(index);
        let warm = open(&root, cache.path());
        assert_eq!(warm.stats.reindexed, 0, "{name}");
        assert_eq!(ids(&warm, query), cold_ids, "{name}");
    }
}

/// The manifest of the one index in `cache`: the file its commit payload names.
fn payload(cache: &Path) -> String {
    let dir = std::fs::read_dir(cache).expect("ls").flatten().next().map(|d| d.path()).expect("no index folder");
    let text = std::fs::read_to_string(dir.join("meta.json")).expect("read");
    let meta: serde_json::Value = serde_json::from_str(&text).expect("json");
    let payload = meta["payload"].as_str().unwrap_or_else(|| panic!("no payload in {text}"));
    let name = payload.lines().nth(1).unwrap_or_else(|| panic!("the payload names no file: {payload}"));
    std::fs::read_to_string(dir.join(name)).expect("the manifest file")
}

#[test]
fn racy_files_are_compared_then_stamped_once() {
    let root = corpus(3);
    let cache = tempdir();
    // Modified just before the build: too close to it to trust size and mtime alone.
    let mtime = SystemTime::now() - Duration::from_millis(1200);
    for entry in walk_md(root.path()) {
        let f = std::fs::File::options().write(true).open(&entry).expect("open");
        f.set_modified(mtime).expect("set mtime");
    }
    drop(open(root.path(), cache.path()));
    let stamp = |cache: &Path| payload(cache).lines().nth(1).and_then(|l| l.parse::<i128>().ok()).unwrap_or_default();
    let first = stamp(cache.path());
    // Once the files are old enough (their change time, moved by setting the mtime, too), the
    // next run compares their content and stamps the manifest anew; the run after that has
    // nothing to do.
    std::thread::sleep(Duration::from_millis(2100));
    let second = open(root.path(), cache.path());
    assert_eq!((second.location, second.stats.reindexed), (Location::Disk, 0), "{:?}", second.stats.fallback);
    let restamped = stamp(cache.path());
    assert!(restamped > first, "{first} -> {restamped}");
    let third = open(root.path(), cache.path());
    assert_eq!(third.stats.reindexed, 0);
    assert_eq!(stamp(cache.path()), restamped);
    assert_eq!(ids(&third, "symptom2"), ["team-2/rb-2"]);
}

fn walk_md(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("ls").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk_md(&path));
        } else if path.extension().is_some_and(|e| e == "md") {
            out.push(path);
        }
    }
    out
}

/// Typos and unfinished words are matched against every word of a runbook, the body's too.
#[test]
fn typos_and_prefixes_reach_words_of_the_body() {
    let root = tempdir();
    write(
        root.path(),
        "a.md",
        "---\ntitle: Node trouble\n---\n# Node trouble\n\n## Check\n\nRestart the kubelet service.\n",
    );
    write(root.path(), "b.md", "---\ntitle: Other\n---\n# Other\n\nNothing to see.\n");
    let disk = tempdir();
    for cache in [Cache::Off, Cache::At(disk.path().to_path_buf())] {
        let index = SearchIndex::open(
            &runbook::runbook::library::Catalog::scan(&[root.path().to_path_buf()]),
            &cache,
            &Arc::new(Progress::default()),
        );
        let ids = |q: &str| index.search(q, 10).into_iter().map(|h| h.entry.id).collect::<Vec<_>>();
        assert_eq!(ids("kublet "), ["a"], "typo");
        assert_eq!(ids("kubel"), ["a"], "prefix");
        assert_eq!(ids("servic"), ["a"], "prefix");
        assert!(ids("kubelot ").len() == 1 && ids("zzzz ").is_empty());
    }
}
