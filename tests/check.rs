//! `runbook check` end to end: every rule, and every kind of bad input the loader must survive.

#![cfg(test)]

mod corpora;

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

fn dir_with(files: &[(&str, &str)]) -> TempDir {
    let dir = TempDir::new().expect("tempdir");
    for (name, text) in files {
        write(dir.path(), name, text.as_bytes());
    }
    dir
}

fn write(root: &Path, name: &str, bytes: &[u8]) {
    let path = root.join(name);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).expect("mkdir");
    }
    std::fs::write(path, bytes).expect("write");
}

/// Run `check --json` on a folder: (exit code, problems).
fn check(dir: &Path, extra: &[&str]) -> (i32, Vec<Value>) {
    let out = Command::cargo_bin("runbook")
        .expect("binary")
        .env("RUNBOOK_SYSTEM_CONFIG", "/nonexistent/runbook/config.toml")
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .arg("check")
        .arg("--json")
        .args(extra)
        .arg(dir)
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .expect("run");
    let problems: Vec<Value> = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("json: {e}: {}", String::from_utf8_lossy(&out.stdout)));
    (out.status.code().unwrap_or(-1), problems)
}

fn codes(problems: &[Value]) -> Vec<String> {
    problems
        .iter()
        .map(|p| {
            format!(
                "{}:{}:{}",
                p["path"].as_str().and_then(|s| s.rsplit('/').next()).unwrap_or(""),
                p["line"],
                p["code"].as_str().unwrap_or("")
            )
        })
        .collect()
}

const GOOD: &str = "---
title: Disk full
symptoms: [No space left on device]
kind: guide
severity: high
escalation:
  - name: Ops
    contact: '#ops'
    after: 15m
last_reviewed: 2026-11-01
review_every: 180d
---
# Disk full

## Is it full? {#q}

- [Yes](#fix)
- [No](other.md)

## Fix it {#fix}

> [!CAUTION]
> Deletes old logs.

- [ ] Vacuum the journal

  ```sh
  sudo journalctl --vacuum-size=500M
  ```

## Verify

Run `df -h`.

## Rollback

Nothing to undo.
";

const OTHER: &str = "# Other\n\nNot a disk problem.\n";

#[test]
fn a_clean_collection_passes_strict() {
    let dir = dir_with(&[("disk.md", GOOD), ("other.md", OTHER)]);
    let (code, problems) = check(dir.path(), &["--strict"]);
    assert_eq!(problems, Vec::<Value>::new());
    assert_eq!(code, 0);
}

#[test]
fn json_problems_have_the_documented_fields() {
    let dir = dir_with(&[("a.md", "# A\n\n- [x](#nowhere)\n")]);
    let (code, problems) = check(dir.path(), &[]);
    assert_eq!(code, 1);
    let p = &problems[0];
    for key in ["path", "line", "severity", "code", "message"] {
        assert!(p.get(key).is_some(), "missing {key} in {p}");
    }
    assert_eq!(p["code"], "broken-link");
    assert_eq!(p["line"], 3);
    assert_eq!(p["severity"], "error");
}

#[test]
fn every_structural_rule_fires() {
    let bad = "---
kind: procedure
start: nope
escalation:
  - name: Nobody
last_reviewed: 2020-01-01
review_every: 30d
---
# Bad

## Q1

- [go](#q2)
- [elsewhere](missing.md)
- [other section](other.md#nope)

## Q2

- [back](#q3)

## Q3

- [round](#q2)

## Lonely

- [q](#q1)

> [!WARNING]
> Risky.

- [ ] Do it

  ```sh
  echo hi
  ```
";
    let dir = dir_with(&[("bad.md", bad), ("other.md", OTHER)]);
    let (code, problems) = check(dir.path(), &[]);
    assert_eq!(code, 1);
    let got = codes(&problems);
    for want in [
        "bad.md:3:unknown-start",
        "bad.md:4:escalation-contact",
        "bad.md:6:stale",
        "bad.md:14:broken-link",
        "bad.md:15:broken-link",
        "bad.md:2:no-verify",
        "bad.md:2:no-rollback",
    ] {
        assert!(got.iter().any(|g| g == want), "missing {want} in {got:?}");
    }
    // With an unknown start, the tree starts at the first question: Q2/Q3 loop, Lonely unreachable.
    assert!(got.iter().any(|g| g.ends_with(":loop")), "{got:?}");
    assert!(got.iter().any(|g| g.ends_with(":unreachable")), "{got:?}");
}

#[test]
fn risky_step_needs_a_rollback() {
    let text = "---\nkind: guide\n---\n# G\n\n> [!CAUTION]\n> Restarts it.\n\n- [ ] Restart\n";
    let dir = dir_with(&[("g.md", text)]);
    let (_, problems) = check(dir.path(), &[]);
    assert!(codes(&problems).contains(&"g.md:9:risky-without-rollback".to_owned()), "{problems:?}");
}

#[test]
fn duplicate_ids_across_files() {
    let dir = dir_with(&[("a.md", "---\nid: same\n---\n# A\n"), ("b.md", "---\nid: same\n---\n# B\n")]);
    let (code, problems) = check(dir.path(), &[]);
    assert_eq!(code, 1);
    assert!(codes(&problems).iter().any(|c| c.ends_with(":2:duplicate-id")), "{problems:?}");
}

#[test]
fn warnings_fail_only_with_strict() {
    let dir = dir_with(&[("a.md", "---\nsymptoms: [x]\n---\n# A\n\n## Q\n\n- [a](#b)\n\n## B\n\n## Orphan\n")]);
    let (code, problems) = check(dir.path(), &[]);
    assert_eq!(code, 0, "{problems:?}");
    assert!(codes(&problems).iter().any(|c| c.ends_with("unreachable")));
    let (code, _) = check(dir.path(), &["--strict"]);
    assert_eq!(code, 1);
}

#[test]
fn hostile_yaml_is_a_problem_and_the_rest_loads() {
    let bomb = "---\na: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n---\n# Bomb\n";
    let deep = format!("---\nx: {}{}\n---\n# Deep\n", "[".repeat(5000), "]".repeat(5000));
    let huge_yaml = format!("---\nsummary: \"{}\"\n---\n# Huge\n", "a".repeat(200_000));
    let dir = dir_with(&[
        ("bomb.md", bomb),
        ("deep.md", &deep),
        ("huge-yaml.md", &huge_yaml),
        ("malformed.md", "---\ntitle: [unclosed\nkind: guide\n---\n# M\n"),
        ("mistyped.md", "---\ntitle: ok\nsymptoms: {a: b}\nseverity: 7\nkind: nonsense\n---\n# T\n"),
        ("unclosed.md", "---\ntitle: never closed\n# Body\n"),
        ("fine.md", OTHER),
    ]);
    let (code, problems) = check(dir.path(), &[]);
    assert_eq!(code, 1);
    let got = codes(&problems);
    for want in ["bomb.md:", "deep.md:", "huge-yaml.md:", "malformed.md:"] {
        assert!(got.iter().any(|g| g.starts_with(want) && g.ends_with(":yaml")), "no yaml problem for {want}: {got:?}");
    }
    assert_eq!(got.iter().filter(|g| g.starts_with("mistyped.md:") && g.ends_with(":type")).count(), 3, "{got:?}");
    assert!(got.iter().any(|g| g.starts_with("unclosed.md:1:yaml")), "{got:?}");
    assert!(!got.iter().any(|g| g.starts_with("fine.md")));
}

#[test]
fn encodings_and_control_characters() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "latin1.md", b"# Caf\xe9\n\nline two \xff\n");
    write(dir.path(), "escape.md", b"# Title\n\n\x1b]52;c;cm0gLXJmIC8=\x07 clipboard\n");
    write(dir.path(), "crlf.MARKDOWN", b"---\r\ntitle: CRLF\r\n---\r\n# Head\r\n\r\n- [a](#head)\r\n");
    write(dir.path(), "cr-only.md", b"# Old Mac\r\rtext\r");
    let (_, problems) = check(dir.path(), &[]);
    let got = codes(&problems);
    assert!(got.contains(&"latin1.md:1:encoding".to_owned()), "{got:?}");
    assert!(got.contains(&"escape.md:3:control-chars".to_owned()), "{got:?}");
    assert!(!got.iter().any(|g| g.starts_with("crlf") || g.starts_with("cr-only")), "{got:?}");
}

#[test]
fn odd_files_are_skipped_without_blocking() {
    let dir =
        dir_with(&[("ok.md", OTHER), ("notes.txt", "not markdown"), (".hidden.md", "# hidden\n\n- [x](#nope)\n")]);
    let root = dir.path();
    std::fs::create_dir(root.join("folder.md")).unwrap();
    let fifo = root.join("pipe.md");
    let status = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo");
    assert!(status.success());
    std::os::unix::fs::symlink(root, root.join("loop")).unwrap();
    std::os::unix::fs::symlink("/etc", root.join("escape")).unwrap();
    std::os::unix::fs::symlink("ok.md", root.join("alias.md")).unwrap();
    std::fs::write(root.join("huge.md"), vec![b'a'; 5 * 1024 * 1024]).unwrap();
    let (code, problems) = check(root, &[]);
    let got = codes(&problems);
    assert_eq!(code, 1, "{got:?}");
    for want in ["folder.md:null:file", "pipe.md:null:file", "loop:null:file", "escape:null:file", "huge.md:null:file"]
    {
        assert!(got.contains(&want.to_owned()), "missing {want} in {got:?}");
    }
    assert!(!got.iter().any(|g| g.contains("hidden") || g.contains("notes") || g.contains("duplicate")), "{got:?}");
}

#[test]
fn plain_output_reads_like_a_compiler() {
    let dir = dir_with(&[("a.md", "# A\n\n- [x](#nowhere)\n")]);
    let out = Command::cargo_bin("runbook")
        .unwrap()
        .env("RUNBOOK_SYSTEM_CONFIG", "/nonexistent/runbook/config.toml")
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .args(["check"])
        .arg(dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("a.md:3: error[broken-link]: link to `#nowhere`"), "{text}");
    assert!(text.contains("1 error(s), 0 warning(s)"), "{text}");
    assert!(!text.contains('\u{1b}'), "no colour when not a terminal");
}

#[test]
fn missing_folder_is_a_usage_error() {
    let out = Command::cargo_bin("runbook")
        .unwrap()
        .env("RUNBOOK_SYSTEM_CONFIG", "/nonexistent/runbook/config.toml")
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .args(["check", "/no/such/folder"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/no/such/folder"));
}

#[test]
fn no_root_found_checks_the_built_in_kit_and_says_how_to_point_at_runbooks() {
    let dir = TempDir::new().unwrap();
    let out = Command::cargo_bin("runbook")
        .unwrap()
        .env("RUNBOOK_SYSTEM_CONFIG", "/nonexistent/runbook/config.toml")
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .arg("check")
        .current_dir(dir.path())
        .env("XDG_DATA_HOME", dir.path().join("data"))
        .env("RUNBOOK_CACHE_DIR", dir.path().join("cache"))
        .env_remove("RUNBOOK_PATH")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "the shipped kit is clean");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("built-in starter kit") && err.contains("--dir") && err.contains("RUNBOOK_PATH"), "{err}");
}

#[test]
fn runbook_path_env_is_used() {
    let dir = dir_with(&[("a.md", "# A\n\n- [x](#nowhere)\n")]);
    let out = Command::cargo_bin("runbook")
        .unwrap()
        .env("RUNBOOK_SYSTEM_CONFIG", "/nonexistent/runbook/config.toml")
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .args(["check", "--json"])
        .env("RUNBOOK_PATH", dir.path())
        .current_dir("/")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("broken-link"));
}

#[test]
fn the_shipped_runbooks_pass_strict_check_but_for_the_team_files_placeholders() {
    let (code, problems) = check(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/runbooks")), &["--strict"]);
    // The kit's example values are accepted here, explicitly: a team replaces them.
    let others: Vec<&Value> = problems
        .iter()
        .filter(|p| {
            !(p["code"] == "placeholder" && p["path"].as_str().is_some_and(|f| f.ends_with("runbooks/team.yml")))
        })
        .collect();
    assert_eq!(others, Vec::<&Value>::new());
    assert!(problems.len() >= 10, "every REPLACE of the team file is a finding: {problems:?}");
    assert_eq!(code, 1, "strict fails on them");
}

#[test]
fn both_shared_corpora_check_without_panic_or_noise() {
    for (name, max_problems) in [("prometheus-operator-runbooks", 10), ("linkerd-website", 20)] {
        let Some(root) = corpora::corpus(name) else { continue };
        let (code, problems) = check(&root, &[]);
        assert!(code == 0 || code == 1, "{name}: exit {code}");
        assert!(problems.len() <= max_problems, "{name}: {} problems is noise: {problems:?}", problems.len());
    }
}

const TEAM: &str = "# the team file
contacts:
  platform: {name: Platform on-call, phone: '+1 555 0100'}
  dba: {name: Database owner}
  nobody: {name: Former team}
systems:
  nginx: {what: Web server, owner: platform, depends_on: [app]}
  app: {what: Our app, owner: dba, depends_on: [db, queue]}
  db: {what: PostgreSQL, owner: dbteam, depends_on: [nginx]}
";

fn team_runbook(who: &str, systems: &str) -> String {
    format!(
        "---\ntitle: Web down\nsymptoms: [site down]\nsystems: [{systems}]\nescalation:\n  - who: {who}\n    after: 15m\n---\n# Web down\n\nCall them.\n"
    )
}

#[test]
fn the_team_file_and_the_names_runbooks_take_from_it_are_checked() {
    let dir = dir_with(&[
        ("team.yml", TEAM),
        ("web.md", &team_runbook("platform", "nginx, web server")),
        ("db.md", &team_runbook("dbas", "db")),
    ]);
    let (code, problems) = check(dir.path(), &[]);
    assert_eq!(code, 1, "{problems:?}");
    let got = codes(&problems);
    for want in [
        "db.md:5:unknown-contact",     // who: dbas
        "web.md:4:unknown-system",     // "web server"
        "team.yml:5:unused-contact",   // nobody
        "team.yml:8:unknown-system",   // app depends on queue
        "team.yml:9:unknown-contact",  // db owned by dbteam
        "team.yml:8:dependency-cycle", // app -> db -> nginx -> app
    ] {
        assert!(got.iter().any(|g| g == want), "want {want} in {got:?}");
    }
    let cycle =
        problems.iter().find(|p| p["code"] == "dependency-cycle").and_then(|p| p["message"].as_str()).unwrap_or("");
    assert!(cycle.contains("app -> db -> nginx -> app"), "{cycle}");
    assert!(!got.iter().any(|g| g.starts_with("web.md") && g.ends_with("unknown-contact")), "{got:?}");
    assert!(!got.iter().any(|g| g.ends_with("escalation-contact")), "said once, as unknown-contact: {got:?}");
}

#[test]
fn a_broken_team_file_is_a_problem_with_its_line_and_the_runbooks_still_load() {
    let dir = dir_with(&[
        ("team.yml", "contacts:\n  platform: {name: [oops\n"),
        ("web.md", &team_runbook("platform", "nginx")),
    ]);
    let (_, problems) = check(dir.path(), &[]);
    let got = codes(&problems);
    assert!(got.iter().any(|g| g.starts_with("team.yml:") && g.ends_with(":yaml")), "{got:?}");
    // The runbook is still checked; its contact is not called unknown, the team file's error
    // says why it cannot be known.
    assert!(got.iter().any(|g| g.starts_with("team.yml:") && g.ends_with(":team-unread")), "{got:?}");
    assert!(!got.iter().any(|g| g.ends_with("unknown-contact")), "{got:?}");
}

#[test]
fn an_escalation_by_id_shows_the_contact_from_the_team_file() {
    let dir = dir_with(&[
        (
            "team.yml",
            "contacts:\n  platform: {name: Platform on-call, phone: '+1 555 0100', chat: '#platform', role: servers}\n",
        ),
        ("web.md", &team_runbook("platform", "")),
    ]);
    let out = Command::cargo_bin("runbook")
        .unwrap()
        .env("RUNBOOK_SYSTEM_CONFIG", "/nonexistent/runbook/config.toml")
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .env("RUNBOOK_CACHE_DIR", dir.path().join(".cache"))
        .arg("--dir")
        .arg(dir.path())
        .args(["show", "web"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Platform on-call") && text.contains("+1 555 0100 · #platform"), "{text}");
    let (code, problems) = check(dir.path(), &["--strict"]);
    assert_eq!((code, problems.len()), (0, 0), "{problems:?}");
}

#[test]
fn one_yaml_mistake_in_the_team_file_is_reported_first_at_its_line_with_its_cause_and_nothing_else_cascades() {
    let dir = tempfile::TempDir::new().unwrap();
    let rb = dir.path().join("rb");
    std::fs::create_dir_all(&rb).unwrap();
    std::fs::write(
        rb.join("team.yml"),
        "contacts:\n  ops: {name: Ops, phone: \"+1 555 0100\", chat: #payments, hours: 24/7}\n  db: {name: DB, phone: \"+1 555 0101\"}\n",
    )
    .unwrap();
    for n in 0..5 {
        std::fs::write(rb.join(format!("r{n}.md")), "---\ntitle: R\nescalation:\n  - who: ops\n---\n# R\n\nText.\n")
            .unwrap();
    }
    std::fs::write(rb.join("bad.md"), "---\ntitle: Bad\nsummary: Fix: restart nginx\n---\n# Bad\n").unwrap();
    let (code, problems) = check(&rb, &[]);
    assert_eq!(code, 1);
    let first = &problems[0];
    assert_eq!((first["code"].as_str(), first["line"].as_u64()), (Some("yaml"), Some(3)), "{problems:#?}");
    let yaml: Vec<&Value> = problems.iter().filter(|p| p["code"] == "yaml").collect();
    let team = yaml.iter().find(|p| p["path"].as_str().is_some_and(|f| f.ends_with("team.yml"))).unwrap();
    assert_eq!(team["line"].as_u64(), Some(2), "the line with the `#`, not the one the parser stopped at");
    assert!(team["message"].as_str().is_some_and(|m| m.contains("starts a comment")), "{team}");
    let bad = yaml.iter().find(|p| p["path"].as_str().is_some_and(|f| f.ends_with("bad.md"))).unwrap();
    assert!(bad["message"].as_str().is_some_and(|m| m.contains("quote the whole value")), "{bad}");
    assert!(!problems.iter().any(|p| p["code"] == "unknown-contact"), "no cascade: {problems:#?}");
    let unread: Vec<&Value> = problems.iter().filter(|p| p["code"] == "team-unread").collect();
    assert_eq!(unread.len(), 1, "one line for what follows: {problems:#?}");
    assert!(unread[0]["message"].as_str().is_some_and(|m| m.starts_with("5 escalation(s)")), "{unread:?}");
}

#[test]
fn one_malformed_answer_is_named_with_its_line_and_why() {
    let dir = tempfile::TempDir::new().unwrap();
    let text = "---\ntitle: Slow\nkind: guide\nescalation:\n  - name: Ops\n    contact: \"#ops\"\n---\n# Slow\n\n## Is it still slow? {#q}\n\n- [Yes, still slow](#slow)\n- [x](#slow) - keep watching\n- [No, fine now](#fine)\n\n## Slow {#slow}\n\nEscalate.\n\n## Fine {#fine}\n\nDone.\n";
    std::fs::write(dir.path().join("slow.md"), text).unwrap();
    // A list of links with a note among them is text, as before: no finding.
    std::fs::write(dir.path().join("links.md"), "# Links\n\n- [Grafana](https://grafana.example)\n- a note\n").unwrap();
    let (code, problems) = check(dir.path(), &[]);
    assert_eq!(code, 1);
    let answers: Vec<&Value> = problems.iter().filter(|p| p["code"] == "answers").collect();
    assert_eq!(answers.len(), 1, "{problems:#?}");
    assert_eq!(answers[0]["line"].as_u64(), Some(13), "the item that breaks it");
    assert!(answers[0]["message"].as_str().is_some_and(|m| m.contains("text beside its link")), "{answers:?}");
}
