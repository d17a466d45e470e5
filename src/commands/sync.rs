//! `runbook sync`: fast-forward each runbook folder that is a git checkout from its
//! upstream, one line per folder. The only command that touches the network.

use std::io::Write;
use std::path::PathBuf;

use super::{Context, Outcome};
use crate::repo::{self, Age};
use crate::text::one_line;

pub fn run(cx: &Context) -> anyhow::Result<Outcome> {
    let mut out = std::io::stdout().lock();
    if cx.notice.is_some() {
        writeln!(
            out,
            "The built-in starter kit comes with the binary: nothing to sync. Point runbook at your team's \
             git checkout (`runbook config` says how), or make one with `runbook init DIR`."
        )?;
        return Ok(Outcome::Findings);
    }
    let mut seen: Vec<(PathBuf, PathBuf)> = Vec::new();
    let mut all_ok = true;
    let now = jiff::Timestamp::now();
    // Not walked: a synced checkout's age comes from git, never from its files.
    let catalog = crate::runbook::library::Catalog::new(&cx.roots);
    for (i, dir) in cx.roots.iter().enumerate() {
        let top = repo::checkout_of(dir);
        let outcome = match top.as_ref().and_then(|t| seen.iter().find(|(top, _)| top == t)) {
            Some((_, first)) => repo::Outcome::SameCheckout(first.clone()),
            None => repo::sync(dir)?,
        };
        if let Some(t) = top {
            seen.push((t, dir.clone()));
        }
        all_ok &= outcome.is_ok();
        let age = match outcome {
            repo::Outcome::NotGit | repo::Outcome::SameCheckout(_) => String::new(),
            _ => format!("; {}", Age::of(&catalog, i).long(now)),
        };
        writeln!(out, "{}: {}{}", one_line(&dir.display().to_string()), outcome.message(), one_line(&age))?;
    }
    Ok(if all_ok { Outcome::Success } else { Outcome::Findings })
}
