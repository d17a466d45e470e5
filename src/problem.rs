//! Problems are values: one bad runbook becomes a `Problem` with file and line, and the rest
//! of the library still loads (as ripgrep reports a per-file error and goes on).

use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Warning,
    Error,
}

impl Level {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Level::Warning => "warning",
            Level::Error => "error",
        }
    }
}

/// Something a runbook author should fix, located as precisely as we can.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// The file, as the user named it (root joined with the relative path).
    pub path: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    pub severity: Level,
    /// Short stable code, e.g. `broken-link` (see docs/format.md).
    pub code: String,
    pub message: String,
}

impl Problem {
    pub(crate) fn error(
        path: impl Into<PathBuf>,
        line: Option<usize>,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Problem { path: path.into(), line, severity: Level::Error, code: code.into(), message: message.into() }
    }

    pub(crate) fn warning(
        path: impl Into<PathBuf>,
        line: Option<usize>,
        code: &'static str,
        message: impl Into<String>,
    ) -> Self {
        Problem { path: path.into(), line, severity: Level::Warning, code: code.into(), message: message.into() }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        write!(f, ": {}[{}]: {}", self.severity.as_str(), self.code, self.message)
    }
}

/// A problem found inside one file before the file's path is attached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub line: Option<usize>,
    pub severity: Level,
    pub code: &'static str,
    pub message: String,
}

impl Finding {
    pub(crate) fn error(line: Option<usize>, code: &'static str, message: impl Into<String>) -> Self {
        Finding { line, severity: Level::Error, code, message: message.into() }
    }

    pub(crate) fn warning(line: Option<usize>, code: &'static str, message: impl Into<String>) -> Self {
        Finding { line, severity: Level::Warning, code, message: message.into() }
    }

    pub(crate) fn at(self, path: impl Into<PathBuf>) -> Problem {
        Problem {
            path: path.into(),
            line: self.line,
            severity: self.severity,
            code: self.code.into(),
            message: self.message,
        }
    }
}

/// The message of a caught panic, for a problem that names it.
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".to_owned());
    crate::text::one_line(&text)
}

thread_local! {
    /// How many `guarded` calls this thread is inside.
    static GUARDED: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Run `f`, the work of loading one file; a panic in it (a bug, never the input's fault)
/// becomes an `internal` problem for `file`, so one file can never take the others down.
pub(crate) fn guarded<T>(file: &std::path::Path, f: impl FnOnce() -> T) -> Result<T, Problem> {
    GUARDED.with(|g| g.set(g.get().saturating_add(1)));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(g.get().saturating_sub(1)));
    result.map_err(|payload| {
        Problem::error(
            file,
            None,
            "internal",
            format!(
                "could not be loaded: runbook failed on it ({}). This is a bug in runbook; please report it with this file",
                panic_message(payload.as_ref())
            ),
        )
    })
}

/// Run `f`; a panic in it comes back as its message, and the panic hooks stay quiet (as for
/// `guarded`): for work on data that may be damaged, such as a cached index.
pub(crate) fn caught<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    GUARDED.with(|g| g.set(g.get().saturating_add(1)));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(g.get().saturating_sub(1)));
    result.map_err(|payload| panic_message(payload.as_ref()))
}

/// Whether this thread is inside `guarded`: a panic now is caught and becomes a problem, so
/// a panic hook should neither print it over the screen nor restore the terminal.
pub fn in_guarded() -> bool {
    GUARDED.with(|g| g.get() > 0)
}
