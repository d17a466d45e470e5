//! A damaged or aimed index cache never survives a run and never makes the tool read or
//! write outside its folder: each kind of segment file garbled, truncated or removed is
//! noticed, said in one line, and rebuilt; a cache folder replaced by a link, or its lock by a
//! link, is not followed; an edit that keeps a file's size and mtime is still seen.

#![cfg(test)]

use std::path::{Path, PathBuf};
use std::process::Command;

fn corpus() -> tempfile::TempDir {
    let dir = tempfile::TempDir::new().unwrap();
    for i in 0..6 {
        let text = format!(
            "---\ntitle: Runbook {i}\nsymptoms: [symptom{i}]\n---\n# Runbook {i}\n\n## Check\n\nLook at symptom{i} and word{i}.\n"
        );
        std::fs::write(dir.path().join(format!("rb-{i}.md")), text).unwrap();
    }
    dir
}

/// `runbook search QUERY --json` over `root` with `cache`: exit code, ids, stderr.
fn search(root: &Path, cache: &Path, query: &str) -> (i32, Vec<String>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_runbook"))
        .args(["--dir"])
        .arg(root)
        .args(["search", "--json", query])
        .env("RUNBOOK_CACHE_DIR", cache)
        // The lexical index is what is tried here: near-identical runbooks are close in
        // meaning, and would be found by it too.
        .env("RUNBOOK_MEANING", "0")
        .env("RUNBOOK_SYSTEM_CONFIG", "/nonexistent/config.toml")
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .output()
        .unwrap();
    let hits: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).unwrap_or_default();
    let ids = hits.iter().filter_map(|h| h["id"].as_str().map(str::to_owned)).collect();
    (out.status.code().unwrap_or(-1), ids, String::from_utf8_lossy(&out.stderr).into_owned())
}

fn index_dir(cache: &Path) -> PathBuf {
    std::fs::read_dir(cache).unwrap().flatten().map(|e| e.path()).find(|p| p.is_dir()).unwrap()
}

fn files_with(dir: &Path, ext: &str) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect()
}

/// Garble the middle of a file, keeping its length (a bad sector, a stray write).
fn garble(file: &Path) {
    let mut bytes = std::fs::read(file).unwrap();
    let n = bytes.len();
    for (i, b) in bytes.iter_mut().enumerate().skip(n / 4).take(n / 2 + 1) {
        *b = (i as u8).wrapping_mul(131).wrapping_add(7);
    }
    std::fs::write(file, bytes).unwrap();
}

#[test]
fn every_kind_of_damaged_segment_file_is_noticed_said_and_rebuilt() {
    let root = corpus();
    for ext in ["fast", "idx", "term", "store", "pos", "fieldnorm"] {
        for damage in ["garbled", "truncated", "removed"] {
            let cache = tempfile::TempDir::new().unwrap();
            assert_eq!(search(root.path(), cache.path(), "symptom3").1, ["rb-3"]);
            let dir = index_dir(cache.path());
            let files = files_with(&dir, ext);
            assert!(!files.is_empty(), "a .{ext} file");
            for f in &files {
                match damage {
                    "garbled" => garble(f),
                    "truncated" => std::fs::write(
                        f,
                        &std::fs::read(f).unwrap()[..std::fs::metadata(f).unwrap().len() as usize / 2],
                    )
                    .unwrap(),
                    _ => std::fs::remove_file(f).unwrap(),
                }
            }
            let (code, ids, err) = search(root.path(), cache.path(), "symptom3");
            assert_eq!((code, ids.as_slice()), (0, &["rb-3".to_owned()][..]), ".{ext} {damage}: {err}");
            assert!(err.contains("was damaged") && err.contains("rebuilt"), ".{ext} {damage}: said in one line: {err}");
            assert_eq!(err.lines().filter(|l| l.contains("damaged")).count(), 1, "{err}");
            // Healed: the next run is quiet, and no orphan segment is left behind.
            let (_, ids, err) = search(root.path(), cache.path(), "word5");
            assert_eq!(ids, ["rb-5"], ".{ext} {damage}");
            assert!(!err.contains("damaged"), ".{ext} {damage}: {err}");
            assert_eq!(files_with(&dir, ext).len(), 1, ".{ext} {damage}: one segment, no orphans");
        }
    }
}

#[test]
fn a_cache_folder_replaced_by_a_link_is_never_followed() {
    let root = corpus();
    let cache = tempfile::TempDir::new().unwrap();
    search(root.path(), cache.path(), "symptom1");
    let dir = index_dir(cache.path());
    // Another user aims the predictable folder name at files of the victim's.
    let victim = tempfile::TempDir::new().unwrap();
    std::fs::write(victim.path().join("meta.json"), "precious").unwrap();
    std::fs::write(victim.path().join("0123456789abcdef0123456789abcdef.fast"), "precious").unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    std::os::unix::fs::symlink(victim.path(), &dir).unwrap();
    let (code, ids, err) = search(root.path(), cache.path(), "symptom1");
    assert_eq!((code, ids), (0, vec!["rb-1".to_owned()]), "answers from memory: {err}");
    assert!(err.contains("symbolic link"), "{err}");
    let left: Vec<String> =
        std::fs::read_dir(victim.path()).unwrap().flatten().map(|e| e.file_name().into_string().unwrap()).collect();
    assert_eq!(left.len(), 2, "nothing deleted or added there: {left:?}");
    assert_eq!(std::fs::read_to_string(victim.path().join("meta.json")).unwrap(), "precious");
}

#[test]
fn an_edit_that_keeps_size_and_mtime_is_still_seen() {
    let root = corpus();
    let cache = tempfile::TempDir::new().unwrap();
    let file = root.path().join("rb-2.md");
    // Old enough that size and mtime alone would be trusted.
    let old = std::time::SystemTime::now() - std::time::Duration::from_secs(3600);
    std::fs::File::options().write(true).open(&file).unwrap().set_modified(old).unwrap();
    assert_eq!(search(root.path(), cache.path(), "word2").1, ["rb-2"]);
    std::thread::sleep(std::time::Duration::from_millis(2100));
    let text = std::fs::read_to_string(&file).unwrap().replace("word2", "zebra");
    std::fs::write(&file, text).unwrap();
    std::fs::File::options().write(true).open(&file).unwrap().set_modified(old).unwrap();
    assert_eq!(search(root.path(), cache.path(), "zebra").1, ["rb-2"], "the new word is found");
    assert!(search(root.path(), cache.path(), "word2").1.is_empty(), "the old one is gone");
}

#[test]
fn a_damaged_or_missing_manifest_file_means_a_rebuild_not_a_stale_index() {
    let root = corpus();
    let cache = tempfile::TempDir::new().unwrap();
    assert_eq!(search(root.path(), cache.path(), "symptom2").1, ["rb-2"]);
    let manifest = |dir: &Path| files_with(dir, "txt").into_iter().find(|p| p.to_string_lossy().contains("manifest-"));
    for damage in ["garbled", "removed"] {
        let dir = index_dir(cache.path());
        let Some(file) = manifest(&dir) else { panic!("the index keeps its manifest beside it") };
        match damage {
            "garbled" => garble(&file),
            _ => std::fs::remove_file(&file).unwrap(),
        }
        // Meanwhile a runbook changed: the run must see it, never trust a manifest it cannot read.
        std::fs::write(root.path().join("rb-2.md"), format!("# Runbook 2\n\nNow about {damage}word.\n")).unwrap();
        let (code, ids, _) = search(root.path(), cache.path(), &format!("{damage}word"));
        assert_eq!((code, ids), (0, vec!["rb-2".to_owned()]), "{damage}");
        assert_eq!(files_with(&index_dir(cache.path()), "txt").len(), 1, "{damage}: one manifest, no orphans");
    }
}
