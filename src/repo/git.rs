//! Running `git -C DIR ...` and reading its answer. Git never prompts (no terminal prompt,
//! no editor), and its messages are read in the C locale.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

#[derive(Debug, thiserror::Error)]
pub(crate) enum GitError {
    #[error("git is not installed or not on PATH; install git to sync runbooks")]
    Missing,
    #[error("cannot run git: {0}")]
    Spawn(std::io::Error),
    /// Git ran and failed; its first line of complaint.
    #[error("{0}")]
    Failed(String),
}

/// `git -C dir args...`: its stdout without trailing blanks (a status line starts with
/// one), or its stderr's first meaningful line. Nothing the checkout's own configuration names
/// is run (see `neutral`).
pub(crate) fn run(dir: &Path, args: &[&str]) -> Result<String, GitError> {
    // Worked out once per folder and process: it costs three `git config` runs.
    static KNOWN: std::sync::Mutex<Vec<(PathBuf, Vec<String>)>> = std::sync::Mutex::new(Vec::new());
    let known = KNOWN.lock().ok().and_then(|k| k.iter().find(|(d, _)| d == dir).map(|(_, o)| o.clone()));
    let overrides = known.unwrap_or_else(|| {
        let o = neutral(dir);
        if let Ok(mut k) = KNOWN.lock() {
            k.push((dir.to_path_buf(), o.clone()));
        }
        o
    });
    raw(dir, &overrides, args)
}

fn raw(dir: &Path, overrides: &[String], args: &[&str]) -> Result<String, GitError> {
    let mut cmd = Command::new("git");
    cmd.arg("-C").arg(dir);
    for o in overrides {
        cmd.arg("-c").arg(o);
    }
    let out = cmd
        .args(args)
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_MERGE_AUTOEDIT", "no")
        .env("LC_ALL", "C")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| if e.kind() == std::io::ErrorKind::NotFound { GitError::Missing } else { GitError::Spawn(e) })?;
    if out.status.success() {
        return Ok(String::from_utf8_lossy(&out.stdout).trim_end().to_owned());
    }
    let err = String::from_utf8_lossy(&out.stderr);
    let line = err
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("hint:"))
        .unwrap_or("git failed without saying why");
    Err(GitError::Failed(crate::text::one_line(line.trim_start_matches("fatal: ").trim_start_matches("error: "))))
}

/// `-c` settings that keep git from running anything a checkout's `.git/config` (which
/// whoever can write the checkout controls) names: no hooks, no fsmonitor, the system's ssh,
/// no `ext::` remotes, no filter or textconv
/// program, no proxy or askpass command, and only the user's and the system's credential
/// helpers. A remote's `uploadpack` keeps its first value whatever comes after, so `fetch`
/// names the standard one itself (`--upload-pack`). Read with `git config`, which runs nothing.
fn neutral(dir: &Path) -> Vec<String> {
    let mut out: Vec<String> = [
        "core.hooksPath=/dev/null",
        "core.fsmonitor=false",
        "core.sshCommand=ssh",
        "core.gitProxy=none",
        "core.askPass=",
        "protocol.ext.allow=never",
        "credential.helper=",
    ]
    .map(str::to_owned)
    .to_vec();
    for scope in ["--system", "--global"] {
        if let Ok(helpers) = raw(dir, &[], &["config", scope, "--get-all", "credential.helper"]) {
            out.extend(helpers.lines().filter(|h| !h.trim().is_empty()).map(|h| format!("credential.helper={h}")));
        }
    }
    let local = raw(dir, &[], &["config", "--local", "--name-only", "--list"]).unwrap_or_default();
    for key in local.lines() {
        let lower = key.to_ascii_lowercase();
        let Some((section_and_sub, var)) = key.rsplit_once('.') else { continue };
        let var = var.to_ascii_lowercase();
        let set = |value: &str| format!("{section_and_sub}.{var}={value}");
        if lower.starts_with("filter.") {
            match var.as_str() {
                "smudge" | "clean" => out.push(set("cat")),
                "process" => out.push(set("")),
                _ => {}
            }
            out.push(format!("{section_and_sub}.required=false"));
        } else if var == "textconv" || var == "command" || var == "cmd" {
            out.push(set(""));
        }
    }
    out.dedup();
    out
}

/// The top of the checkout holding `dir`; `Ok(None)` when it is not in one, an error when
/// git will not say (git missing, or a checkout owned by another user: "dubious ownership").
pub(crate) fn checkout(dir: &Path) -> Result<Option<PathBuf>, GitError> {
    match run(dir, &["rev-parse", "--show-toplevel"]) {
        Ok(top) if !top.is_empty() => Ok(Some(PathBuf::from(top))),
        Ok(_) => Ok(None),
        Err(GitError::Failed(why)) if why.contains("not a git repository") => Ok(None),
        Err(e) => Err(e),
    }
}

/// The top of the checkout holding `dir`, when git can tell.
pub(crate) fn toplevel(dir: &Path) -> Option<PathBuf> {
    checkout(dir).ok().flatten()
}
