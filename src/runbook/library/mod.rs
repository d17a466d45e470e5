//! Load every markdown file under the runbook roots into a `Library` of runbooks and
//! problems. One bad file never stops the rest: unreadable, oversized, odd or hostile files
//! become problems. Files come from `walk`, the one walk of the runbook folders, and are
//! never opened unless they are regular files (a FIFO named `x.md` would block forever).

mod team_file;
mod walk;

pub use team_file::load_team;
pub use walk::{Candidate, discover, is_markdown_name};

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::blocks::Target;
use super::document::{Origin, parse_bytes};
use super::model::Runbook;
use super::team::Team;
use crate::problem::Problem;

/// Files larger than this are skipped (a long runbook is a few hundred KB).
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

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
pub fn read_capped(path: &Path) -> Result<Vec<u8>, String> {
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

/// Read and parse one candidate.
pub fn load_candidate(c: &Candidate) -> Result<(Runbook, Vec<Problem>), Problem> {
    let bytes = read_capped(&c.file).map_err(|msg| Problem::error(&c.file, None, "file", msg))?;
    parse_guarded(&bytes, c)
}

/// Parse a candidate's bytes, guarded: a panic becomes an `internal` problem for the file.
pub fn parse_guarded(bytes: &[u8], c: &Candidate) -> Result<(Runbook, Vec<Problem>), Problem> {
    let origin = Origin { root: c.root, rel_path: c.rel_path.clone(), file: c.file.clone() };
    let (runbook, findings) = crate::problem::guarded(&c.file, || parse_bytes(bytes, origin))?;
    Ok((runbook, findings.into_iter().map(|f| f.at(&c.file)).collect()))
}

/// Read and parse one runbook file by its root and path relative to that root (opening a
/// search hit, following a link, `show`, the handoff report, a preview), with its problems.
/// A path that resolves outside the root (a link pointing out) is refused, as the walk
/// refuses it.
pub fn open_file(root: usize, root_dir: &Path, rel_path: &str) -> Result<(Runbook, Vec<Problem>), Problem> {
    let file = root_dir.join(rel_path);
    crate::files::inside(root_dir, &file).map_err(|msg| Problem::error(&file, None, "file", msg))?;
    let c = Candidate { root, rel_path: rel_path.to_owned(), file, size: 0, mtime_ns: 0, ctime_ns: 0 };
    load_candidate(&c)
}

/// `open_file`, the runbook alone.
pub fn load_file(root: usize, root_dir: &Path, rel_path: &str) -> Result<Runbook, Problem> {
    open_file(root, root_dir, rel_path).map(|(rb, _)| rb)
}

impl Library {
    /// Load every runbook under `roots`, in parallel.
    pub fn load(roots: &[PathBuf]) -> Library {
        let (candidates, mut problems) = discover(roots);
        let loaded: Vec<_> = candidates.par_iter().map(load_candidate).collect();
        let mut runbooks = Vec::with_capacity(loaded.len());
        for item in loaded {
            match item {
                Ok((rb, p)) => {
                    runbooks.push(rb);
                    problems.extend(p);
                }
                Err(p) => problems.push(p),
            }
        }
        let (team, team_problems) = load_team(roots);
        problems.extend(team_problems);
        for rb in &mut runbooks {
            team.resolve(rb);
        }
        Library { team, ..Library::from_parts(roots.to_vec(), runbooks, problems) }
    }

    /// Assemble a library from loaded runbooks, reporting duplicate ids.
    pub fn from_parts(roots: Vec<PathBuf>, runbooks: Vec<Runbook>, mut problems: Vec<Problem>) -> Library {
        let mut first: HashMap<&str, &Runbook> = HashMap::new();
        for rb in &runbooks {
            if let Some(other) = first.get(rb.id.as_str()) {
                problems.push(Problem::error(
                    &rb.file,
                    rb.meta.key_lines.get("id").copied(),
                    "duplicate-id",
                    format!(
                        "id `{}` is already used by {}; give one of them another `id:`",
                        rb.id,
                        other.file.display()
                    ),
                ));
            } else {
                first.insert(&rb.id, rb);
            }
        }
        Library { roots, runbooks, problems, team: Team::default(), lookup: std::sync::OnceLock::new() }
    }

    pub fn by_id(&self, id: &str) -> Option<usize> {
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
    pub fn by_path(&self, root: usize, rel_path: &str) -> Option<usize> {
        self.lookup().paths.get(&(root, rel_path.to_owned())).copied()
    }

    /// Where an answer of `from` leads: the runbook index and, if named, the section id.
    /// `None` when the runbook does not exist.
    pub fn resolve(&self, from: &Runbook, target: &Target) -> Option<(usize, Option<String>)> {
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
pub fn normalize_rel(base: &str, link: &str) -> Option<String> {
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
