//! The runbook folders as one catalog: the folders, their team file (read once), the files
//! the one walk found, and the problems that belong to no single runbook (the walk's, the
//! team file's, ids used twice). Every runbook is opened here, by a `RunbookRef`: the search
//! index is built from the catalog's files, and `show`, `graph`, `drill`, `preview`, the
//! handoff report and the TUI all open runbooks through `Catalog::open`, so one rule decides
//! which files may be read and every opened runbook has its team contacts resolved.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::walk::{Candidate, discover};
use super::{Library, load_team, normalize_rel, read_capped};
use crate::problem::Problem;
use crate::runbook::document::{Origin, parse_bytes};
use crate::runbook::model::Runbook;
use crate::runbook::team::Team;

/// A runbook file by the folder it was found in and its `/`-separated path inside that
/// folder: what a search entry, a journal's place and an open guide carry. Stable across
/// runs (a folder's position among the open ones is not).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
pub struct RunbookRef {
    /// Named `root` in JSON (journals, `--json` output), as it always was.
    #[serde(rename = "root", serialize_with = "lossy")]
    pub folder: PathBuf,
    pub path: String,
}

/// A folder's name as text: a name that is not UTF-8 is written with U+FFFD, never dropped
/// (a journal line that failed to serialise would be lost).
fn lossy<S: serde::Serializer>(folder: &Path, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&folder.to_string_lossy())
}

impl RunbookRef {
    pub fn new(folder: impl Into<PathBuf>, path: impl Into<String>) -> RunbookRef {
        RunbookRef { folder: folder.into(), path: path.into() }
    }

    /// The file on disk.
    pub(crate) fn file(&self) -> PathBuf {
        self.folder.join(&self.path)
    }

    /// Where a relative link in this runbook leads, in the same folder; `None` when it climbs
    /// out of the folder.
    pub(crate) fn link(&self, link: &str) -> Option<RunbookRef> {
        let base = self.path.rsplit_once('/').map_or("", |(dir, _)| dir);
        Some(RunbookRef { folder: self.folder.clone(), path: normalize_rel(base, link)? })
    }
}

/// The open runbook folders and what is known of them.
#[derive(Debug, Clone, Default)]
pub struct Catalog {
    folders: Vec<PathBuf>,
    team: Team,
    files: Vec<Candidate>,
    /// The walk's problems (files skipped), then the team file's.
    walk_problems: Vec<Problem>,
    team_problems: Vec<Problem>,
}

impl Catalog {
    /// The folders and their team file, not yet walked: enough to open a runbook by
    /// reference (a link, a journal's place, a preview).
    pub fn new(folders: &[PathBuf]) -> Catalog {
        let (team, team_problems) = load_team(folders);
        Catalog { folders: folders.to_vec(), team, files: Vec::new(), walk_problems: Vec::new(), team_problems }
    }

    /// `new`, then the one walk of the folders.
    pub fn scan(folders: &[PathBuf]) -> Catalog {
        Catalog::new(folders).walk()
    }

    /// The catalog with the files the walk finds, and what it skipped.
    #[must_use]
    pub(crate) fn walk(self) -> Catalog {
        let (files, walk_problems) = discover(&self.folders);
        Catalog { files, walk_problems, ..self }
    }

    pub(crate) fn folders(&self) -> &[PathBuf] {
        &self.folders
    }

    pub(crate) fn team(&self) -> &Team {
        &self.team
    }

    /// The markdown files the walk found, in walk order (empty before `walk`).
    pub(crate) fn files(&self) -> &[Candidate] {
        &self.files
    }

    /// What the walk skipped, and why.
    pub(crate) fn walk_problems(&self) -> &[Problem] {
        &self.walk_problems
    }

    /// The team file's problems.
    pub(crate) fn team_problems(&self) -> &[Problem] {
        &self.team_problems
    }

    /// Which open folder `folder` is, however it was named (relative, absolute, through a
    /// symlink).
    pub(crate) fn folder_index(&self, folder: &Path) -> Option<usize> {
        if let Some(i) = self.folders.iter().position(|f| f == folder) {
            return Some(i);
        }
        let absolute = std::path::absolute(folder).ok();
        let canonical = folder.canonicalize().ok();
        self.folders.iter().position(|f| {
            (absolute.is_some() && std::path::absolute(f).ok() == absolute)
                || (canonical.is_some() && f.canonicalize().ok() == canonical)
        })
    }

    /// A reference to `path` in the open folder `folder` (by its position).
    pub(crate) fn reference(&self, folder: usize, path: &str) -> Option<RunbookRef> {
        Some(RunbookRef::new(self.folders.get(folder)?.clone(), path))
    }

    /// Open one runbook: only from an open folder, only a file that resolves inside it (a
    /// link pointing out is refused, as the walk refuses it), read by the one rule (regular,
    /// non-blocking, capped), parsed with a panic guard, its escalation contacts resolved from
    /// the team file. Its problems come with it.
    pub(crate) fn open(&self, r: &RunbookRef) -> Result<(Runbook, Vec<Problem>), Problem> {
        let file = r.file();
        let Some(folder) = self.folder_index(&r.folder) else {
            let msg = format!("its folder {} is not one of the open runbook folders", r.folder.display());
            return Err(Problem::error(&file, None, "file", msg));
        };
        crate::files::inside(&r.folder, &file).map_err(|msg| Problem::error(&file, None, "file", msg))?;
        let bytes = read_capped(&file).map_err(|msg| Problem::error(&file, None, "file", msg))?;
        let origin = Origin { root: folder, rel_path: r.path.clone(), file };
        let (mut rb, problems) = parse(&bytes, origin)?;
        self.team.resolve(&mut rb);
        Ok((rb, problems))
    }

    /// Every runbook in the catalog, parsed in parallel (`check`, `graph`, `drill`), with
    /// every problem: the walk's, each file's, ids used twice, the team file's.
    pub fn load(&self) -> Library {
        let loaded: Vec<_> = self.files.par_iter().map(|c| load_candidate(c, &self.team)).collect();
        let mut runbooks = Vec::with_capacity(loaded.len());
        let mut problems = self.walk_problems.clone();
        for item in loaded {
            match item {
                Ok((rb, p)) => {
                    runbooks.push(rb);
                    problems.extend(p);
                }
                Err(p) => problems.push(p),
            }
        }
        problems.extend(self.team_problems.iter().cloned());
        problems.extend(duplicate_ids(runbooks.iter().map(Named::of)));
        Library::new(self.folders.clone(), runbooks, problems, self.team.clone())
    }
}

impl Candidate {
    /// The file's bytes, read by the one rule (the index writer hashes them before parsing).
    pub fn read(&self) -> Result<Vec<u8>, Problem> {
        read_capped(&self.file).map_err(|msg| Problem::error(&self.file, None, "file", msg))
    }
}

/// Read and parse a file the walk found.
fn load_candidate(c: &Candidate, team: &Team) -> Result<(Runbook, Vec<Problem>), Problem> {
    let bytes = c.read()?;
    let (mut rb, problems) = parse_candidate(&bytes, c)?;
    team.resolve(&mut rb);
    Ok((rb, problems))
}

/// Parse a found file's bytes, guarded: a panic becomes an `internal` problem for the file.
pub fn parse_candidate(bytes: &[u8], c: &Candidate) -> Result<(Runbook, Vec<Problem>), Problem> {
    parse(bytes, Origin { root: c.root, rel_path: c.rel_path.clone(), file: c.file.clone() })
}

fn parse(bytes: &[u8], origin: Origin) -> Result<(Runbook, Vec<Problem>), Problem> {
    let file = origin.file.clone();
    let (runbook, findings) = crate::problem::guarded(&file, || parse_bytes(bytes, origin))?;
    Ok((runbook, findings.into_iter().map(|f| f.at(&file)).collect()))
}

/// A runbook's id, where it is, and the line of its `id:` key: what the duplicate-id rule
/// needs, from a parsed runbook or from the index's manifest.
#[derive(Debug, Clone)]
pub struct Named<'a> {
    pub id: &'a str,
    pub file: &'a Path,
    pub line: Option<usize>,
}

impl<'a> Named<'a> {
    pub(crate) fn of(rb: &'a Runbook) -> Named<'a> {
        Named { id: &rb.id, file: &rb.file, line: rb.meta.key_lines.get("id").copied() }
    }
}

/// The code of the problem `duplicate_ids` reports.
pub const DUPLICATE_ID: &str = "duplicate-id";

/// One problem for each runbook whose id an earlier one (in walk order) already has.
pub fn duplicate_ids<'a>(named: impl IntoIterator<Item = Named<'a>>) -> Vec<Problem> {
    let mut first: std::collections::HashMap<&str, &Path> = std::collections::HashMap::new();
    let mut problems = Vec::new();
    for n in named {
        match first.get(n.id) {
            Some(other) => problems.push(Problem::error(
                n.file,
                n.line,
                DUPLICATE_ID,
                format!("id `{}` is already used by {}; give one of them another `id:`", n.id, other.display()),
            )),
            None => {
                first.insert(n.id, n.file);
            }
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_opens_only_inside_an_open_folder() {
        let dir = tempfile::TempDir::new().unwrap_or_else(|e| panic!("{e}"));
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        for d in [&a, &b] {
            std::fs::create_dir_all(d).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(a.join("x.md"), "# X\n\nText.\n").unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(b.join("secret.md"), "# Secret\n").unwrap_or_else(|e| panic!("{e}"));
        std::os::unix::fs::symlink(b.join("secret.md"), a.join("out.md")).unwrap_or_else(|e| panic!("{e}"));
        let catalog = Catalog::new(std::slice::from_ref(&a));
        let opened = catalog.open(&RunbookRef::new(&a, "x.md")).map(|(rb, _)| rb.title);
        assert_eq!(opened.ok().as_deref(), Some("X"));
        assert!(catalog.open(&RunbookRef::new(&b, "secret.md")).is_err(), "a folder that is not open");
        assert!(catalog.open(&RunbookRef::new(&a, "out.md")).is_err(), "a link pointing out");
        let up = RunbookRef::new(&a, "x.md").link("../b/secret.md");
        assert!(up.is_none(), "a link climbing out of the folder is no reference");
    }

    #[test]
    fn the_second_of_two_runbooks_with_one_id_is_the_problem() {
        let (one, two) = (Path::new("/r/a.md"), Path::new("/r/b.md"));
        let named = [Named { id: "x", file: one, line: Some(2) }, Named { id: "x", file: two, line: Some(3) }];
        let problems = duplicate_ids(named);
        assert_eq!(problems.len(), 1);
        assert_eq!((problems[0].path.as_path(), problems[0].line), (two, Some(3)));
        assert!(problems[0].message.contains("/r/a.md"));
    }
}
