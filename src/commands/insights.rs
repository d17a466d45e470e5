//! `runbook insights`: what responders did over many session journals, for the runbooks'
//! authors (see `journal::insights` for what is counted and how). Reads the user's own
//! journals, or a folder of journals collected from many machines, searched recursively for
//! `*.jsonl` within fixed bounds; a journal that cannot be read is named in the header,
//! never fatal. Prints a terminal table, markdown or JSON on stdout; nothing leaves the machine.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context as _;

use super::Outcome;
use crate::journal::{self, insights};

/// How to print the insights.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Plain text with aligned columns, for a terminal.
    #[default]
    Table,
    /// For the authors' repository.
    Markdown,
    Json,
}

/// How far the search for journals goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Limits {
    /// Folders deeper than this below the journals folder are not searched.
    pub depth: usize,
    /// Folders searched at most.
    pub folders: usize,
    /// Journals read at most.
    pub files: usize,
    /// A journal larger than this is not read (a long session is a few hundred kB).
    pub bytes: u64,
}

pub(crate) const LIMITS: Limits = Limits { depth: 8, folders: 10_000, files: 20_000, bytes: 16 * 1024 * 1024 };

/// `runbook insights [--since 30d] [--journals DIR] [--markdown|--json]`. No session to sum
/// up is said on stderr; the exit code is 0 either way.
pub fn run(journals: Option<&Path>, since: Option<&str>, format: Format) -> anyhow::Result<Outcome> {
    let (period, dir, own, logs, unread) = load(journals, since)?;
    let mut found = insights::analyze(&logs, &period);
    found.unread = unread;
    for d in &mut found.to_draft {
        // One's own session by its id; one in a collected folder by its file.
        d.command = if own {
            format!("runbook journal --draft {}", d.session)
        } else if !dir.is_dir() {
            "(from the system log: no journal file to draft from)".to_owned()
        } else {
            format!("runbook journal --draft {}", d.journal.display())
        };
    }
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => crate::output::write_json(&mut out, &found)?,
        Format::Markdown => write!(out, "{}", insights::markdown(&found))?,
        Format::Table => write!(out, "{}", insights::table(&found))?,
    }
    if found.sessions == 0 {
        // Nothing to count is an answer, not a failure: say where was looked and why.
        let _ = writeln!(
            std::io::stderr(),
            "runbook: no session to sum up in {}: sessions are recorded when responders use `runbook`; \
             --journals DIR reads a folder collected from several machines",
            dir.display()
        );
    }
    Ok(Outcome::Success)
}

/// `runbook insights --suggest`: symptoms learned from these journals, as a patch.
pub fn suggest(cx: &super::Context, journals: Option<&Path>, since: Option<&str>) -> anyhow::Result<Outcome> {
    let (period, dir, _, logs, _) = load(journals, since)?;
    super::suggest::run(cx, &logs, &period, &dir)
}

/// The period asked for, the journals folder, whether it is the user's own, and its
/// journals read (and those that could not be).
type Loaded = (insights::Period, PathBuf, bool, Vec<journal::Log>, Vec<insights::Unread>);

fn load(journals: Option<&Path>, since: Option<&str>) -> anyhow::Result<Loaded> {
    let period = match since {
        Some(text) => insights::Period {
            since: Some(insights::since(text, &jiff::Zoned::now()).context("cannot read --since")?),
            label: Some(text.trim().to_owned()),
        },
        None => insights::Period::default(),
    };
    let (dir, own) = match journals {
        Some(dir) => (dir.to_owned(), false),
        None => {
            (journal::sessions_dir().context("cannot tell where the session journal lives (no home folder)")?, true)
        }
    };
    // `-` or a file: the system log's entries (`journalctl -t runbook -o json`).
    let system_log = (!own && (dir == Path::new("-") || dir.is_file())).then(|| -> anyhow::Result<String> {
        let bytes = if dir == Path::new("-") {
            let mut b = Vec::new();
            std::io::Read::read_to_end(&mut std::io::Read::take(std::io::stdin().lock(), LIMITS.bytes), &mut b)
                .context("cannot read the system log's entries from standard input")?;
            b
        } else {
            crate::files::read(&dir, LIMITS.bytes, crate::files::Links::Follow)
                .with_context(|| format!("cannot read {}", dir.display()))?
        };
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    });
    let (logs, unread) = if let Some(text) = system_log {
        let text = text?;
        // One session's journal file, named on its own, reads as that session.
        let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
        if serde_json::from_str::<journal::Record>(first).is_ok() {
            let mut log = journal::parse_log(&text);
            log.path = Some(dir.clone());
            (vec![log], Vec::new())
        } else {
            (journal::from_system_log(&text), Vec::new())
        }
    } else if own && !dir.exists() {
        (Vec::new(), Vec::new())
    } else {
        read_all(&dir, LIMITS).with_context(|| format!("cannot read the journals folder {}", dir.display()))?
    };
    Ok((period, dir, own, logs, unread))
}

/// Every journal under `dir` read, oldest name first, and those that could not be read (or
/// were beyond the limits). Only an unreadable `dir` itself is an error.
pub(crate) fn read_all(dir: &Path, limits: Limits) -> std::io::Result<(Vec<journal::Log>, Vec<insights::Unread>)> {
    let (files, mut unread) = find(dir, limits)?;
    let mut logs = Vec::with_capacity(files.len());
    for path in files {
        let name = path.strip_prefix(dir).unwrap_or(&path).display().to_string();
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        if size > limits.bytes {
            unread.push(insights::Unread { journal: name, why: format!("larger than {} bytes", limits.bytes) });
            continue;
        }
        match journal::read(&path) {
            Ok(log) => logs.push(log),
            Err(e) => {
                let why = std::error::Error::source(&e).map_or_else(|| e.to_string(), ToString::to_string);
                unread.push(insights::Unread { journal: name, why });
            }
        }
    }
    Ok((logs, unread))
}

/// The `*.jsonl` files under `dir`, sorted, walked with an explicit stack. Symbolic links are
/// not followed (below `dir` itself), so a loop of links cannot keep the walk going.
fn find(dir: &Path, limits: Limits) -> std::io::Result<(Vec<PathBuf>, Vec<insights::Unread>)> {
    let (mut files, mut unread) = (Vec::new(), Vec::new());
    let name = |p: &Path| p.strip_prefix(dir).unwrap_or(p).display().to_string();
    let mut stack = vec![(dir.to_owned(), 0)];
    let (mut folders, mut more_files, mut more_folders) = (0, 0, 0);
    while let Some((folder, depth)) = stack.pop() {
        let entries = match std::fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(e) if depth == 0 => return Err(e),
            Err(e) => {
                unread.push(insights::Unread { journal: name(&folder), why: e.to_string() });
                continue;
            }
        };
        for entry in entries.flatten() {
            let (path, kind) = (entry.path(), entry.file_type());
            if kind.as_ref().is_ok_and(std::fs::FileType::is_dir) {
                if depth >= limits.depth {
                    let why = format!("deeper than {} folders: not searched", limits.depth);
                    unread.push(insights::Unread { journal: name(&path), why });
                } else if folders >= limits.folders {
                    more_folders += 1;
                } else {
                    folders += 1;
                    stack.push((path, depth + 1));
                }
            } else if kind.is_ok_and(|k| k.is_file()) && path.extension().is_some_and(|e| e == "jsonl") {
                if files.len() < limits.files {
                    files.push(path);
                } else {
                    more_files += 1;
                }
            }
        }
    }
    if more_files > 0 {
        let why = format!("not read: more than {} journals", limits.files);
        unread.push(insights::Unread { journal: format!("{more_files} more journals"), why });
    }
    if more_folders > 0 {
        let why = format!("not searched: more than {} folders", limits.folders);
        unread.push(insights::Unread { journal: format!("{more_folders} more folders"), why });
    }
    files.sort();
    Ok((files, unread))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn journals_are_found_in_subfolders_within_the_limits() {
        let dir = tempfile::TempDir::new().unwrap();
        let deep = dir.path().join("a/b/c");
        std::fs::create_dir_all(&deep).unwrap();
        let line = "{\"at\":\"2026-11-25T03:00:00+01:00\",\"event\":\"search\",\"query\":\"disk\",\"results\":0}\n";
        for p in ["top.jsonl", "a/one.jsonl", "a/b/c/deep.jsonl", "a/notes.txt"] {
            std::fs::write(dir.path().join(p), line).unwrap();
        }
        std::fs::write(dir.path().join("a/big.jsonl"), line.repeat(10)).unwrap();
        let limits = Limits { depth: 2, folders: 10, files: 10, bytes: 500 };
        let (logs, unread) = read_all(dir.path(), limits).unwrap();
        assert_eq!(logs.len(), 2, "top and a/one; a/b/c is too deep, a/big too large: {unread:?}");
        let said: Vec<String> = unread.iter().map(|u| format!("{}: {}", u.journal, u.why)).collect();
        assert!(said.contains(&"a/b/c: deeper than 2 folders: not searched".to_owned()), "{said:?}");
        assert!(said.contains(&"a/big.jsonl: larger than 500 bytes".to_owned()), "{said:?}");
        let few = Limits { files: 1, ..LIMITS };
        let (logs, unread) = read_all(dir.path(), few).unwrap();
        assert_eq!(logs.len(), 1);
        assert!(unread.iter().any(|u| u.journal == "3 more journals"), "{unread:?}");
        assert!(read_all(&dir.path().join("missing"), LIMITS).is_err(), "a folder that is not there is an error");
    }
}
