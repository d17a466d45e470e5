//! The runbook folders as the rest of the tool sees them. `walk` is the one walk of the
//! folders; `catalog` holds its files with the team file (`team_file`) and opens every
//! runbook by reference; `Library` is every runbook of a catalog parsed (`check`, `graph`,
//! `drill`), with lookups by id and path. One bad file never stops the rest: unreadable,
//! oversized, odd or hostile files become problems, and no file is opened unless it is a
//! regular file (a FIFO named `x.md` would block forever).

mod catalog;
mod team_file;
mod walk;

pub use catalog::{Catalog, DUPLICATE_ID, Named, RunbookRef, duplicate_ids, parse_candidate};
pub use team_file::load_team;
pub(crate) use walk::{Candidate, is_markdown_name};

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::blocks::Target;
use super::model::Runbook;
use super::team::Team;
use crate::problem::Problem;

/// Files larger than this are skipped (a long runbook is a few hundred KB).
pub(crate) const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// Everything found under the roots.
#[derive(Debug, Clone, Default)]
pub struct Library {
    pub roots: Vec<PathBuf>,
    pub runbooks: Vec<Runbook>,
    pub problems: Vec<Problem>,
    /// The folders' team files, merged; escalations naming a contact are resolved from it.
    pub team: Team,
    /// Runbooks by id and by path, built on first use: a library of 1,000 runbooks linking to
    /// each other resolves a million links.
    lookup: std::sync::OnceLock<Lookup>,
}

/// Where each runbook is in `Library::runbooks`, by id, by (root, path) and by path alone
/// (the first one, as a linear search would find it).
#[derive(Debug, Clone, Default)]
struct Lookup {
    ids: HashMap<String, usize>,
    paths: HashMap<(usize, String), usize>,
    any_root: HashMap<String, usize>,
}

/// Read a runbook file by the one rule (`files::read`): non-blocking, a regular file, at
/// most `MAX_FILE_BYTES`; why not, in words for a runbook.
pub(crate) fn read_capped(path: &Path) -> Result<Vec<u8>, String> {
    crate::files::read(path, MAX_FILE_BYTES, crate::files::Links::Follow).map_err(|e| match e {
        crate::files::ReadError::TooLarge { size, .. } => {
            format!(
                "is {} KB, over the {} KB limit; split it into several runbooks",
                size / 1024,
                MAX_FILE_BYTES / 1024
            )
        }
        crate::files::ReadError::NotRegular => "is not a regular file; skipped".to_owned(),
        other => other.to_string(),
    })
}

impl Library {
    /// A library of parsed runbooks (`Catalog::load` makes one; its problems are given).
    pub(crate) fn new(roots: Vec<PathBuf>, runbooks: Vec<Runbook>, problems: Vec<Problem>, team: Team) -> Library {
        Library { roots, runbooks, problems, team, lookup: std::sync::OnceLock::new() }
    }

    pub(crate) fn by_id(&self, id: &str) -> Option<usize> {
        self.lookup().ids.get(id).copied()
    }

    fn lookup(&self) -> &Lookup {
        self.lookup.get_or_init(|| {
            let mut l = Lookup::default();
            // The first of a duplicated id or path wins, as a search from the start would.
            for (i, r) in self.runbooks.iter().enumerate().rev() {
                l.ids.insert(r.id.clone(), i);
                l.paths.insert((r.root, r.path.clone()), i);
                l.any_root.insert(r.path.clone(), i);
            }
            l
        })
    }

    /// Find a runbook by the path of its file relative to a root.
    pub(crate) fn by_path(&self, root: usize, rel_path: &str) -> Option<usize> {
        self.lookup().paths.get(&(root, rel_path.to_owned())).copied()
    }

    /// Where an answer of `from` leads: the runbook index and, if named, the section id.
    /// `None` when the runbook does not exist.
    pub(crate) fn resolve(&self, from: &Runbook, target: &Target) -> Option<(usize, Option<String>)> {
        match target {
            Target::Section { section } => Some((self.by_id(&from.id)?, Some(section.clone()))),
            Target::Runbook { path, section } => {
                let base = from.path.rsplit_once('/').map_or("", |(dir, _)| dir);
                let joined = normalize_rel(base, path)?;
                // Another root may hold it (several roots form one collection).
                let idx = self.by_path(from.root, &joined).or_else(|| self.lookup().any_root.get(&joined).copied())?;
                Some((idx, section.clone()))
            }
        }
    }
}

/// Join a relative link onto a base folder, resolving `.` and `..`; `None` if it climbs out
/// of the root.
pub(crate) fn normalize_rel(base: &str, link: &str) -> Option<String> {
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for part in link.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_resolve_inside_root() {
        assert_eq!(normalize_rel("os", "disk-full.md").as_deref(), Some("os/disk-full.md"));
        assert_eq!(normalize_rel("os", "../net/dns.md").as_deref(), Some("net/dns.md"));
        assert_eq!(normalize_rel("", "./a.md").as_deref(), Some("a.md"));
        assert_eq!(normalize_rel("", "../a.md"), None);
    }
}
