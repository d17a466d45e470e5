//! Running `git -C DIR ...` and reading its answer. Git never prompts (no terminal prompt,
//! no editor), and its messages are read in the C locale.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("git is not installed or not on PATH; install git to sync runbooks")]
    Missing,
    #[error("cannot run git: {0}")]
    Spawn(std::io::Error),
    /// Git ran and failed; its first line of complaint.
    #[error("{0}")]
    Failed(String),
}

/// `git -C dir args...`: its stdout without trailing blanks (a status line starts with
/// one), or its stderr's first meaningful line.
pub(crate) fn run(dir: &Path, args: &[&str]) -> Result<String, GitError> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
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
pub fn toplevel(dir: &Path) -> Option<PathBuf> {
    checkout(dir).ok().flatten()
}
