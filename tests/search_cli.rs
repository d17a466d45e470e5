//! `runbook search`, `list` and `show` end to end, on runbooks written to a temporary folder:
//! the JSON shape, exit codes (0 found, 1 nothing, 2 error), problems on stderr only, plain
//! output without escape codes when not on a terminal.

#![cfg(test)]

use std::path::Path;
use std::process::Output;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

const DISK_FULL: &str = "---
title: Disk full
summary: Free space safely when a filesystem is full.
symptoms: [No space left on device, disk full]
systems: [linux, disk]
kind: guide
severity: high
---
# Disk full

## Which filesystem is full? {#which-fs}

Run `df -h` and look at Use%.

- [One is at 100%](#logs)
- [None is full](#verify)

## Logs take the space {#logs}

- [ ] Shrink the journal:

  ```sh
  sudo journalctl --vacuum-size=500M
  ```

## Verify

`df -h` shows the filesystem below 90%.
";

const NGINX: &str = "---
title: nginx failing - 502 Bad Gateway
symptoms: [502 Bad Gateway, nginx is down]
systems: [nginx]
severity: critical
---
# nginx failing

## Is nginx running?

Check `systemctl status nginx` and the error log for upstream errors.
";

const DNS: &str = "---
title: DNS failures
symptoms: [Could not resolve host]
systems: [dns]
---
# DNS failures

Names do not resolve. Check /etc/resolv.conf and try `dig`.
";

/// Frontmatter that is not YAML: the runbook still loads, with an error for `runbook check`.
const BROKEN: &str = "---
title: [unclosed
---
# Disk cleanup notes

Old notes about a full disk.
";

struct Fixture {
    dir: TempDir,
    cache: TempDir,
}

fn fixture(with_broken: bool) -> Fixture {
    let dir = TempDir::new().expect("tempdir");
    let mut files = vec![("os/disk-full.md", DISK_FULL), ("web/nginx-failing.md", NGINX), ("net/dns.md", DNS)];
    if with_broken {
        files.push(("os/broken.md", BROKEN));
    }
    for (name, text) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&path, text).expect("write");
    }
    let cache = TempDir::new().expect("tempdir");
    Fixture { dir, cache }
}

/// Run `runbook ARGS` with `--dir` the fixture, a private cache, no colour settings inherited.
fn run(fx: &Fixture, args: &[&str]) -> Output {
    run_in(fx.dir.path(), Some(fx.dir.path()), fx.cache.path(), args)
}

fn run_in(cwd: &Path, dir: Option<&Path>, cache: &Path, args: &[&str]) -> Output {
    let mut cmd = Command::cargo_bin("runbook").expect("binary");
    // The built-in kit, if it is needed, goes beside the cache, never into the real home.
    cmd.current_dir(cwd)
        .env("RUNBOOK_SYSTEM_CONFIG", "/nonexistent/runbook/config.toml")
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .env("RUNBOOK_CACHE_DIR", cache)
        .env("XDG_DATA_HOME", cache.join("data"))
        .env_remove("RUNBOOK_PATH")
        .env_remove("NO_COLOR");
    if let Some(dir) = dir {
        cmd.arg("--dir").arg(dir);
    }
    cmd.args(args).timeout(std::time::Duration::from_secs(60)).output().expect("run")
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap_or(-1)
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("json: {e}: {}", stdout(out)))
}

#[test]
fn search_json_has_every_field() {
    let fx = fixture(false);
    let out = run(&fx, &["search", "disk", "full", "--json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let hits = json(&out);
    let first = &hits[0];
    for key in ["id", "title", "path", "root", "score", "kind", "severity", "systems", "symptoms", "section", "snippet"]
    {
        assert!(first.get(key).is_some(), "no {key} in {first}");
    }
    assert_eq!(first["id"], "os/disk-full");
    assert_eq!(first["path"], "os/disk-full.md");
    assert_eq!(first["kind"], "guide");
    assert_eq!(first["severity"], "high");
    assert_eq!(first["systems"], serde_json::json!(["linux", "disk"]));
    assert!(first["score"].as_f64().is_some_and(|s| s > 0.0));
    assert!(first["root"].as_str().is_some_and(|r| Path::new(r) == fx.dir.path()), "{}", first["root"]);
    assert!(first["snippet"].as_str().is_some_and(|s| !s.is_empty()));
}

#[test]
fn search_points_at_the_best_section() {
    let fx = fixture(false);
    let out = run(&fx, &["search", "vacuum", "journal", "--json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let hits = json(&out);
    assert_eq!(hits[0]["id"], "os/disk-full");
    assert_eq!(hits[0]["section"], "logs");
    assert!(hits[0]["snippet"].as_str().is_some_and(|s| s.contains("journalctl")), "{}", hits[0]["snippet"]);
}

#[test]
fn nothing_found_is_exit_1_and_an_empty_array() {
    let fx = fixture(false);
    let out = run(&fx, &["search", "zzqqxx", "--json"]);
    assert_eq!(code(&out), 1);
    assert_eq!(json(&out), serde_json::json!([]));
    let out = run(&fx, &["search", "zzqqxx"]);
    assert_eq!(code(&out), 1);
    assert!(stdout(&out).is_empty());
}

#[test]
fn errors_are_exit_2_on_stderr() {
    let fx = fixture(false);
    // A --dir that does not exist.
    let missing = fx.dir.path().join("nope");
    let out = run_in(fx.dir.path(), Some(&missing), fx.cache.path(), &["search", "disk", "--json"]);
    assert_eq!(code(&out), 2);
    assert!(stdout(&out).is_empty(), "{}", stdout(&out));
    assert!(stderr(&out).contains("nope"), "{}", stderr(&out));
    // No --dir, no RUNBOOK_PATH and no ./runbooks: the built-in kit, said on stderr only.
    let empty = TempDir::new().expect("tempdir");
    let out = run_in(empty.path(), None, fx.cache.path(), &["search", "disk", "--json"]);
    assert_eq!(code(&out), 0);
    assert!(stdout(&out).contains("os/disk-full"), "{}", stdout(&out));
    assert!(stderr(&out).contains("built-in starter kit") && stderr(&out).contains("--dir"), "{}", stderr(&out));
    // A query is required.
    let out = run(&fx, &["search"]);
    assert_eq!(code(&out), 2);
}

#[test]
fn problems_are_one_line_on_stderr_never_in_the_json() {
    let fx = fixture(true);
    let out = run(&fx, &["search", "disk", "--json"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let hits = json(&out);
    assert!(hits.as_array().is_some_and(|h| h.iter().all(|h| h.get("problems").is_none())));
    let err = stderr(&out);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("1 file(s) have errors") && err.contains("runbook check"), "{err}");
    // The broken runbook still loads and is found.
    assert!(hits.as_array().is_some_and(|h| h.iter().any(|h| h["id"] == "os/broken")), "{hits}");
    // The same from the warm cache (problems are kept with the index).
    let out = run(&fx, &["search", "disk", "--json"]);
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
}

#[test]
fn limit_caps_the_hits() {
    let fx = fixture(false);
    // Every runbook matches "check" or "failing" or "disk" somewhere.
    let all = json(&run(&fx, &["search", "disk", "nginx", "dns", "--json"]));
    assert_eq!(all.as_array().map(Vec::len), Some(3), "{all}");
    let out = run(&fx, &["search", "disk", "nginx", "dns", "--json", "--limit", "2"]);
    assert_eq!(json(&out).as_array().map(Vec::len), Some(2));
    let out = run(&fx, &["search", "disk", "nginx", "dns", "-n", "1"]);
    assert_eq!(stdout(&out).lines().count(), 1, "{}", stdout(&out));
}

#[test]
fn plain_output_is_one_line_per_hit_without_escape_codes() {
    let fx = fixture(false);
    let out = run(&fx, &["search", "disk", "full"]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    assert!(!text.contains('\u{1b}'), "{text:?}");
    let first = text.lines().next().unwrap_or_default();
    assert!(first.starts_with(" 1. Disk full  os/disk-full#"), "{first}");
    assert!(first.contains("[high]"), "{first}");
    // The snippet is on the same line, after the title, id and section.
    assert!(first.to_lowercase().contains("disk"), "{first}");
    for line in text.lines() {
        assert!(line.trim_start().chars().next().is_some_and(|c| c.is_ascii_digit()), "{line}");
    }
}

#[test]
fn list_plain_and_json() {
    let fx = fixture(false);
    let out = run(&fx, &["list", "--json"]);
    assert_eq!(code(&out), 0);
    let items = json(&out);
    let ids: Vec<&str> = items.as_array().into_iter().flatten().filter_map(|i| i["id"].as_str()).collect();
    assert_eq!(ids, ["net/dns", "os/disk-full", "web/nginx-failing"]);
    for key in ["id", "title", "kind", "severity", "systems", "path", "root"] {
        assert!(items[0].get(key).is_some(), "no {key}");
    }
    let out = run(&fx, &["list"]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    assert_eq!(text.lines().count(), 3, "{text}");
    assert!(text.lines().nth(1).is_some_and(|l| l.starts_with("os/disk-full") && l.contains("Disk full")), "{text}");
    assert!(!text.contains('\u{1b}'));
}

#[test]
fn show_a_runbook_a_section_and_json() {
    let fx = fixture(false);
    let out = run(&fx, &["show", "os/disk-full"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Disk full") && text.contains("journalctl --vacuum-size=500M"), "{text}");
    assert!(!text.contains('\u{1b}'));

    let out = run(&fx, &["show", "os/disk-full#verify"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("below 90%"), "{text}");
    assert!(!text.contains("journalctl"), "{text}");

    let out = run(&fx, &["show", "os/disk-full", "--json"]);
    assert_eq!(code(&out), 0);
    let rb = json(&out);
    assert_eq!(rb["id"], "os/disk-full");
    assert!(rb["sections"].as_array().is_some_and(|s| s.len() >= 3));

    let out = run(&fx, &["show", "os/disk-full#nope"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("verify"), "{}", stderr(&out));
}

#[test]
fn show_unknown_id_names_the_closest() {
    let fx = fixture(false);
    let out = run(&fx, &["show", "os/disk-ful"]);
    assert_eq!(code(&out), 2);
    assert!(stdout(&out).is_empty());
    let err = stderr(&out);
    assert!(err.contains("os/disk-ful") && err.contains("did you mean") && err.contains("os/disk-full"), "{err}");
}

#[test]
fn show_needs_no_index_and_writes_none() {
    let fx = fixture(false);
    // A runbook whose id is not its path, reached by id and by path.
    let custom = "---\nid: dns-is-down\ntitle: DNS is down\n---\n# DNS is down\n\nCheck the resolvers.\n";
    std::fs::write(fx.dir.path().join("net/resolvers.md"), custom).expect("write");
    let base = TempDir::new().expect("tempdir");
    let cache = base.path().join("cache");
    for args in [["show", "os/disk-full"], ["show", "dns-is-down"], ["show", "net/resolvers.md"]] {
        let out = run_in(fx.dir.path(), Some(fx.dir.path()), &cache, &args);
        assert_eq!(code(&out), 0, "{args:?}: {}", stderr(&out));
        assert!(stdout(&out).contains(if args[1] == "os/disk-full" { "Disk full" } else { "DNS is down" }));
        assert!(!cache.exists(), "{args:?} created the cache folder");
    }
    // An unwritable cache folder is no obstacle either, and says nothing.
    std::fs::create_dir(&cache).expect("mkdir");
    let mut ro = std::fs::metadata(&cache).expect("stat").permissions();
    std::os::unix::fs::PermissionsExt::set_mode(&mut ro, 0o500);
    std::fs::set_permissions(&cache, ro).expect("chmod");
    let out = run_in(fx.dir.path(), Some(fx.dir.path()), &cache, &["show", "dns-is-down"]);
    assert_eq!((code(&out), stderr(&out).as_str()), (0, ""));
    assert_eq!(std::fs::read_dir(&cache).expect("ls").count(), 0, "nothing written into it");
    // With an index already in the cache (from `search`), a custom id is found through it.
    let out = run(&fx, &["search", "resolvers"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let out = run(&fx, &["show", "dns-is-down"]);
    assert!(stdout(&out).contains("DNS is down"), "{}", stderr(&out));
}
