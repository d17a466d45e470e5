//! One module per subcommand. Each takes a `Context` and returns an `Outcome` (or an error,
//! which `main` turns into exit code 2).

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::Context as _;

use crate::output::ColorMode;
use crate::runbook::Library;

pub mod check;
pub mod journal;
pub mod list;
pub mod search;
pub mod show;
pub mod tui;

/// What a command found, for the exit code (grep's convention: 0 found/clean, 1 not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Findings,
}

/// What every command needs: the roots and how to print.
#[derive(Debug, Clone)]
pub struct Context {
    pub roots: Vec<PathBuf>,
    pub color: ColorMode,
}

impl Context {
    pub fn new(dirs: &[PathBuf], color: ColorMode) -> anyhow::Result<Context> {
        let env = std::env::var("RUNBOOK_PATH").ok();
        let cwd = std::env::current_dir().context("cannot read the current directory")?;
        let roots = crate::roots::resolve(dirs, env.as_deref(), &cwd)?;
        Ok(Context { roots, color })
    }

    pub fn load(&self) -> Library {
        Library::load(&self.roots)
    }
}

/// One line on stderr when some runbooks had problems (details: `runbook check`), and a note
/// when the index cache could not be used.
pub fn report_problems(problems: &[crate::Problem], fallback: Option<&str>) {
    let files: std::collections::BTreeSet<_> =
        problems.iter().filter(|p| p.severity == crate::Level::Error).map(|p| &p.path).collect();
    if !files.is_empty() {
        let _ = writeln!(
            std::io::stderr(),
            "runbook: {} file(s) have errors and may be incomplete; run `runbook check` for details",
            files.len()
        );
    }
    if let Some(why) = fallback {
        let _ = writeln!(
            std::io::stderr(),
            "runbook: note: index kept in memory for this run ({})",
            crate::text::one_line(why)
        );
    }
}
