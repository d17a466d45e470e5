//! One module per subcommand. Each takes a `Context` and returns an `Outcome` (or an error,
//! which `main` turns into exit code 2).

use std::io::Write as _;
use std::path::PathBuf;

use anyhow::Context as _;

use crate::config::{Folders, Settings};
use crate::output::ColorMode;
use crate::runbook::Library;
use crate::runbook::library::Catalog;

pub mod alert;
pub mod check;
pub mod config;
pub mod drill;
pub mod graph;
pub mod init;
pub mod insights;
pub mod journal;
pub mod list;
pub(crate) mod meaning;
pub mod new;
pub mod preview;
pub mod search;
pub mod show;
pub(crate) mod suggest;
pub mod sync;
pub mod tui;

/// What a command found, for the exit code (grep's convention: 0 found/clean, 1 not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Findings,
}

/// What every command needs: the roots, how to print, and who the responder is.
#[derive(Debug, Clone)]
pub struct Context {
    pub roots: Vec<PathBuf>,
    pub color: ColorMode,
    /// The responder's name for the journal (config `name`, `RUNBOOK_NAME`, else the login).
    pub name: String,
    /// Said once when the roots are the built-in kit (no folder was given or found).
    pub notice: Option<String>,
    /// How the TUI copies (the `copy` setting).
    pub copy: crate::config::CopyChoice,
    /// Where else the session journal goes (`journals`, `syslog`).
    pub sharing: crate::journal::Sharing,
    /// Whether search blends meaning in (`meaning`).
    pub meaning: bool,
}

/// What a responder is told when no runbook folder was given or found.
pub(crate) const BUILT_IN: &str = "no runbook folder given (--dir, RUNBOOK_PATH, a config file or ./runbooks): using the built-in starter kit; `runbook init DIR` writes it out for your team, `runbook config` shows where to point at it";

/// The same for a status line a phone's 60 columns wide.
pub(crate) const BUILT_IN_SHORT: &str = "Built-in kit: no folder configured (runbook config)";

impl Context {
    /// The context for these settings; the built-in kit is written out when no folder is set.
    pub fn new(settings: &Settings) -> anyhow::Result<Context> {
        let color = ColorMode::detect(settings.color.value);
        let name = settings.name.value.clone();
        let copy = settings.copy.value;
        let sharing =
            crate::journal::Sharing { journals: settings.journals.value.clone(), syslog: settings.syslog.value };
        let meaning = settings.meaning.value;
        match &settings.runbooks.value {
            Folders::Dirs(roots) => {
                Ok(Context { roots: roots.clone(), color, name, notice: None, copy, sharing, meaning })
            }
            Folders::BuiltIn => {
                let kit = crate::kit::extracted().context("cannot open the built-in runbooks")?;
                let notice = Some(BUILT_IN.to_owned());
                Ok(Context { roots: vec![kit], color, name, notice, copy, sharing, meaning })
            }
        }
    }

    /// Say on stderr, once, that the built-in kit is in use.
    pub(crate) fn say_notice(&self) {
        if let Some(n) = &self.notice {
            let _ = writeln!(std::io::stderr(), "runbook: {n}");
        }
    }

    /// The folders walked once, with their team file.
    pub(crate) fn catalog(&self) -> Catalog {
        Catalog::scan(&self.roots)
    }

    /// Every runbook parsed, with every problem (`check`, `graph`, `drill`).
    pub(crate) fn load(&self) -> Library {
        self.catalog().load()
    }
}

/// One line on stderr when the index cache was found damaged and rebuilt.
pub(crate) fn say_repaired(note: Option<&str>) {
    if let Some(note) = note {
        let _ = writeln!(std::io::stderr(), "runbook: note: {}", crate::text::one_line(note));
    }
}

/// One line on stderr when some runbooks had problems (details: `runbook check`), and a note
/// when the index cache could not be used.
pub(crate) fn report_problems(problems: &[crate::Problem], fallback: Option<&str>) {
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
