//! `runbook sync` against a local git remote: it fast-forwards a clean checkout, refuses a
//! diverged or dirty one and a remote it cannot reach (leaving the checkout as it was), and
//! nothing else touches the network.

#![cfg(test)]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use tempfile::TempDir;

/// Whether git can run: missing in CI (`CI` set) fails; on a developer's machine with only
/// the Rust toolchain the test says loudly that it did not run.
fn have_git() -> bool {
    match Process::new("git").arg("--version").output() {
        Ok(out) if out.status.success() => true,
        _ if std::env::var_os("CI").is_some() => panic!("git is not installed; CI installs it in .ci/run"),
        _ => {
            let _ = writeln!(std::io::stderr(), "SKIPPED: git is not installed, so `runbook sync` was not tested");
            false
        }
    }
}

/// A remote, an author's clone that pushes to it, and the jump box's clone that syncs.
struct Repos {
    tmp: TempDir,
}

fn git(dir: &Path, args: &[&str]) -> String {
    let out = Process::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("HOME", dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Author")
        .env("GIT_AUTHOR_EMAIL", "author@example.com")
        .env("GIT_COMMITTER_NAME", "Author")
        .env("GIT_COMMITTER_EMAIL", "author@example.com")
        .output()
        .unwrap();
    assert!(out.status.success(), "git {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

impl Repos {
    fn new() -> Repos {
        let tmp = TempDir::new().unwrap();
        let r = Repos { tmp };
        git(r.tmp.path(), &["init", "--quiet", "--bare", "-b", "main", "remote.git"]);
        git(r.tmp.path(), &["clone", "--quiet", "remote.git", "author"]);
        r.commit("author", "runbooks/first.md", "# First\n\nThe first runbook.\n");
        git(&r.path("author"), &["push", "--quiet", "origin", "main"]);
        git(r.tmp.path(), &["clone", "--quiet", "remote.git", "box"]);
        r
    }
    fn path(&self, p: &str) -> PathBuf {
        self.tmp.path().join(p)
    }
    fn commit(&self, clone: &str, file: &str, text: &str) {
        let dir = self.path(clone);
        let path = dir.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        git(&dir, &["add", "."]);
        git(&dir, &["commit", "--quiet", "-m", &format!("write {file}")]);
    }
    fn push_new(&self, file: &str) {
        self.commit("author", file, &format!("# {file}\n\nNew upstream.\n"));
        git(&self.path("author"), &["push", "--quiet", "origin", "main"]);
    }
    fn head(&self) -> String {
        git(&self.path("box"), &["rev-parse", "HEAD"])
    }
    /// `runbook ARGS` with the box's runbooks as its folder.
    fn runbook(&self, args: &[&str]) -> (i32, String, String) {
        let out = Command::cargo_bin("runbook")
            .unwrap()
            .arg("--dir")
            .arg(self.path("box/runbooks"))
            .args(args)
            .env("HOME", self.tmp.path())
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("RUNBOOK_CACHE_DIR", self.path("cache"))
            .env("RUNBOOK_SYSTEM_CONFIG", self.path("no-system-config.toml"))
            .env_remove("XDG_CONFIG_HOME")
            .output()
            .unwrap();
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
    }
}

#[test]
fn sync_fast_forwards_a_clean_checkout() {
    if !have_git() {
        return;
    }
    let r = Repos::new();
    r.push_new("runbooks/second.md");
    let before = r.head();
    let (code, out, err) = r.runbook(&["sync"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("updated from origin/main: 1 new commit(s)"), "{out}");
    assert!(out.contains("last change ") && out.contains("last sync "), "{out}");
    assert_ne!(r.head(), before);
    assert!(r.path("box/runbooks/second.md").is_file());
    let (_, out, _) = r.runbook(&["list"]);
    assert!(out.lines().any(|l| l.starts_with("second ")), "{out}");
    let (code, out, _) = r.runbook(&["sync"]);
    assert_eq!(code, 0);
    assert!(out.contains("already up to date with origin/main"), "{out}");
}

#[test]
fn sync_refuses_a_diverged_checkout_and_leaves_it_as_it_was() {
    if !have_git() {
        return;
    }
    let r = Repos::new();
    r.commit("box", "runbooks/local.md", "# Local\n\nWritten on the box.\n");
    r.push_new("runbooks/second.md");
    let before = r.head();
    let (code, out, _) = r.runbook(&["sync"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("not synced: diverged from origin/main (1 local commit(s), 1 upstream)"), "{out}");
    assert!(out.contains("merge or rebase by hand"), "{out}");
    assert_eq!(r.head(), before);
    assert!(!r.path("box/runbooks/second.md").exists());
}

#[test]
fn sync_refuses_local_changes_and_an_unreachable_remote() {
    if !have_git() {
        return;
    }
    let r = Repos::new();
    r.push_new("runbooks/second.md");
    std::fs::write(r.path("box/runbooks/first.md"), "# First\n\nEdited on the box.\n").unwrap();
    let (code, out, _) = r.runbook(&["sync"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("not synced: local changes to runbooks/first.md; commit or stash them"), "{out}");
    git(&r.path("box"), &["checkout", "--quiet", "--", "."]);
    git(&r.path("box"), &["remote", "set-url", "origin", r.path("gone.git").to_str().unwrap()]);
    let before = r.head();
    let (code, out, _) = r.runbook(&["sync"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("not synced: cannot fetch from the remote ("), "{out}");
    assert_eq!(r.head(), before);
}

#[test]
fn nothing_but_sync_fetches_and_a_plain_folder_is_left_alone() {
    if !have_git() {
        return;
    }
    let r = Repos::new();
    let fetch_head = r.path("box/.git/FETCH_HEAD");
    assert!(!fetch_head.exists(), "a fresh clone has never fetched");
    for args in [&["list"][..], &["search", "first"], &["check"], &["show", "first"]] {
        r.runbook(args);
    }
    assert!(!fetch_head.exists(), "only `runbook sync` may touch the remote");
    let plain = TempDir::new().unwrap();
    std::fs::write(plain.path().join("a.md"), "# A\n\nText.\n").unwrap();
    let out = Command::cargo_bin("runbook")
        .unwrap()
        .arg("--dir")
        .arg(plain.path())
        .arg("sync")
        .env("RUNBOOK_SYSTEM_CONFIG", r.path("no-system-config.toml"))
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("not a git checkout; nothing to sync"));
}

#[test]
fn sync_runs_nothing_that_the_checkouts_own_git_config_names() {
    if !have_git() {
        return;
    }
    let r = Repos::new();
    // Something with write access to the box's checkout plants programs in its .git.
    let marks = r.path("marks");
    std::fs::create_dir_all(&marks).unwrap();
    let plant = |name: &str| {
        let script = r.path(&format!("{name}.sh"));
        std::fs::write(&script, format!("#!/bin/sh\ntouch {}/{name}\ncat\n", marks.display())).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
        script.display().to_string()
    };
    let box_dir = r.path("box");
    let hooks = box_dir.join(".git/hooks");
    std::fs::create_dir_all(&hooks).unwrap();
    for hook in ["post-merge", "post-checkout", "reference-transaction", "pre-auto-gc"] {
        std::fs::copy(plant(hook), hooks.join(hook)).unwrap();
    }
    let elsewhere = r.path("other-hooks");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::copy(plant("hookspath"), elsewhere.join("post-merge")).unwrap();
    git(&box_dir, &["config", "core.hooksPath", &elsewhere.display().to_string()]);
    git(&box_dir, &["config", "core.fsmonitor", &plant("fsmonitor")]);
    git(&box_dir, &["config", "core.sshCommand", &plant("sshcommand")]);
    git(&box_dir, &["config", "remote.origin.uploadpack", &plant("uploadpack")]);
    git(&box_dir, &["config", "filter.evil.smudge", &plant("smudge")]);
    git(&box_dir, &["config", "credential.helper", &plant("credential")]);
    r.commit("author", ".gitattributes", "*.md filter=evil\n");
    r.push_new("runbooks/second.md");
    let (code, out, err) = r.runbook(&["sync"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(r.path("box/runbooks/second.md").is_file(), "fast-forwarded");
    let ran: Vec<String> =
        std::fs::read_dir(&marks).unwrap().flatten().map(|e| e.file_name().into_string().unwrap()).collect();
    assert!(ran.is_empty(), "programs the checkout named were run: {ran:?}");
}
