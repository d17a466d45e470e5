//! `runbook sync` for one folder: fast-forward only, and a clear refusal otherwise (local
//! changes, no upstream, diverged, the remote unreachable). Nothing is merged, rebased,
//! stashed or reset: a checkout that cannot fast-forward is left as it was.

use std::path::{Path, PathBuf};

use super::git::{self, GitError};

/// What syncing one folder did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// Fast-forwarded `commits` commits, `from..to` (short ids).
    Updated { upstream: String, commits: u64, from: String, to: String },
    /// Nothing new upstream (`ahead` local commits not pushed, if any).
    UpToDate { upstream: String, ahead: u64 },
    /// The folder is not in a git checkout.
    NotGit,
    /// The same checkout as a folder synced before it.
    SameCheckout(PathBuf),
    /// Local changes to tracked files (the first few named).
    Dirty(Vec<String>),
    /// The branch tracks nothing (or HEAD is detached).
    NoUpstream,
    /// Local and upstream both have commits the other lacks.
    Diverged { upstream: String, ahead: u64, behind: u64 },
    /// `git fetch` failed: no network, no such remote, no access.
    Unreachable(String),
    /// Git will not work in a checkout owned by another user, or may not write to it.
    NotYours(String),
    /// Another git failure (the fast-forward itself, say).
    Failed(String),
}

impl Outcome {
    /// Whether the folder is now as new as its upstream (or has nothing to sync).
    pub(crate) fn is_ok(&self) -> bool {
        matches!(self, Outcome::Updated { .. } | Outcome::UpToDate { .. } | Outcome::NotGit | Outcome::SameCheckout(_))
    }

    /// One line for the responder: what happened, and what to do when it could not.
    pub(crate) fn message(&self) -> String {
        match self {
            Outcome::Updated { upstream, commits, from, to } => {
                format!("updated from {upstream}: {commits} new commit(s), {from}..{to}")
            }
            Outcome::UpToDate { upstream, ahead: 0 } => format!("already up to date with {upstream}"),
            Outcome::UpToDate { upstream, ahead } => {
                format!("nothing new on {upstream}; {ahead} local commit(s) not pushed yet")
            }
            Outcome::NotGit => "not a git checkout; nothing to sync".into(),
            Outcome::SameCheckout(other) => format!("same git checkout as {}; synced with it", other.display()),
            Outcome::Dirty(files) => format!(
                "not synced: local changes to {}; commit or stash them (git status), then sync again",
                files.join(", ")
            ),
            Outcome::NoUpstream => {
                "not synced: the current branch tracks no remote branch; check out a tracking branch (git branch -u origin/main)".into()
            }
            Outcome::Diverged { upstream, ahead, behind } => format!(
                "not synced: diverged from {upstream} ({ahead} local commit(s), {behind} upstream); merge or rebase by hand, then sync again"
            ),
            Outcome::Unreachable(why) => {
                format!("not synced: cannot fetch from the remote ({why}); check the network and the remote's address")
            }
            Outcome::NotYours(why) => format!(
                "not synced: this checkout is another user's ({why}); run `runbook sync` as its owner (on a shared box, \
                 a timer running as that user keeps it fresh)"
            ),
            Outcome::Failed(why) => format!("not synced: git failed ({why})"),
        }
    }
}

/// Sync the checkout holding `dir`: fetch its upstream, then fast-forward if that is all it
/// takes. `Err` only when git itself cannot be run.
pub(crate) fn sync(dir: &Path) -> Result<Outcome, GitError> {
    let top = match git::checkout(dir) {
        Ok(Some(top)) => top,
        Ok(None) => return Ok(Outcome::NotGit),
        Err(GitError::Failed(why)) if why.contains("dubious ownership") => return Ok(Outcome::NotYours(why)),
        Err(GitError::Failed(why)) => return Ok(Outcome::Failed(why)),
        Err(e) => return Err(e),
    };
    let fails = |e: GitError| match e {
        GitError::Failed(why) => Ok(Outcome::Failed(why)),
        other => Err(other),
    };
    let dirty = match git::run(&top, &["status", "--porcelain", "--untracked-files=no"]) {
        Ok(s) => s,
        Err(e) => return fails(e),
    };
    if !dirty.is_empty() {
        let mut files: Vec<String> = dirty.lines().take(3).map(|l| l.get(3..).unwrap_or(l).to_owned()).collect();
        let n = dirty.lines().count();
        if n > files.len() {
            files.push(format!("and {} more", n.saturating_sub(files.len())));
        }
        return Ok(Outcome::Dirty(files));
    }
    let Ok(upstream) = git::run(&top, &["rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}"]) else {
        return Ok(Outcome::NoUpstream);
    };
    match git::run(&top, &["fetch", "--quiet", "--upload-pack=git-upload-pack"]) {
        Ok(_) => {}
        // Not allowed to write this checkout's files (ssh's "Permission denied (publickey)" is
        // the remote refusing, below).
        Err(GitError::Failed(why)) if why.contains("Permission denied") && why.contains(".git/") => {
            return Ok(Outcome::NotYours(why));
        }
        Err(GitError::Failed(why)) => return Ok(Outcome::Unreachable(why)),
        Err(e) => return Err(e),
    }
    let counts = match git::run(&top, &["rev-list", "--left-right", "--count", "HEAD...@{upstream}"]) {
        Ok(c) => c,
        Err(e) => return fails(e),
    };
    let mut parts = counts.split_whitespace().map(|n| n.parse::<u64>().unwrap_or(0));
    let (ahead, behind) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
    if behind == 0 {
        return Ok(Outcome::UpToDate { upstream, ahead });
    }
    if ahead > 0 {
        return Ok(Outcome::Diverged { upstream, ahead, behind });
    }
    let short = |rev: &str| git::run(&top, &["rev-parse", "--short", rev]).unwrap_or_default();
    let from = short("HEAD");
    if let Err(e) = git::run(&top, &["merge", "--ff-only", "--quiet", "@{upstream}"]) {
        return fails(e);
    }
    Ok(Outcome::Updated { upstream, commits: behind, from, to: short("HEAD") })
}
