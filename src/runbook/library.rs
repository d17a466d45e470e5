//! Walk the runbook roots and load every markdown file into a `Library` of runbooks and
//! problems. One bad file never stops the rest: unreadable, oversized, odd or hostile files
//! become problems. The walk follows symlinks only where they stay inside a root, never loops,
//! and never opens anything but a regular file (a FIFO named `x.md` would block forever).

use std::collections::{HashMap, HashSet};
use std::fs::File;
use std::io::Read;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use super::blocks::Target;
use super::document::{Origin, parse_bytes};
use super::model::Runbook;
use crate::problem::Problem;

/// Files larger than this are skipped (a long runbook is a few hundred KB).
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// Everything found under the roots.
#[derive(Debug, Clone, Default)]
pub struct Library {
    pub roots: Vec<PathBuf>,
    pub runbooks: Vec<Runbook>,
    pub problems: Vec<Problem>,
}

/// A markdown file found by the walk, not yet read.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub root: usize,
    pub rel_path: String,
    pub file: PathBuf,
    /// Size and modification time when found, for cheap change detection.
    pub size: u64,
    pub mtime_ns: i128,
}

/// Whether a file name is a runbook: `.md` or `.markdown`, any case, not hidden.
pub fn is_markdown_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    !name.starts_with('.') && (lower.ends_with(".md") || lower.ends_with(".markdown"))
}

/// What the walk met, in walk order: a problem, or a markdown file not yet stat'ed.
enum Met {
    Problem(Problem),
    File { root: usize, rel_path: String, entry: walkdir::DirEntry },
}

/// Find the markdown files under `roots` (sorted, deduplicated), with problems for what was
/// skipped. The one walk: loading the library and refreshing the search index both start
/// here. The folders are read in order; the files found are then stat'ed in parallel (on a
/// warm refresh, with nothing to parse, that is most of the time spent).
pub fn discover(roots: &[PathBuf]) -> (Vec<Candidate>, Vec<Problem>) {
    let met = walk(roots);
    let metas: Vec<Option<std::fs::Metadata>> = met
        .par_iter()
        .map(|m| match m {
            Met::File { entry, .. } => entry.metadata().ok(),
            Met::Problem(_) => None,
        })
        .collect();
    let mut problems = Vec::new();
    let mut seen: HashSet<(u64, u64)> = HashSet::new();
    let mut found = Vec::new();
    for (m, meta) in met.into_iter().zip(metas) {
        let (root, rel_path, entry) = match m {
            Met::Problem(p) => {
                problems.push(p);
                continue;
            }
            Met::File { root, rel_path, entry } => (root, rel_path, entry),
        };
        let path = entry.path();
        let Some(meta) = meta else {
            problems.push(Problem::error(
                path,
                None,
                "file",
                "could not be read (it vanished or is unreadable); skipped",
            ));
            continue;
        };
        // The same file reached twice (through a symlink) is loaded once.
        if !seen.insert((meta.dev(), meta.ino())) {
            continue;
        }
        if rel_path.contains(crate::text::is_unsafe_control) {
            // Its id and path would carry escape sequences to every screen that names it.
            problems.push(Problem::error(path, None, "file", "file name holds control characters; rename it"));
            continue;
        }
        let mtime_ns = i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec());
        found.push(Candidate { root, rel_path, file: entry.into_path(), size: meta.len(), mtime_ns });
    }
    (found, problems)
}

/// Walk the roots in file-name order, depth first, following links that stay inside a root.
fn walk(roots: &[PathBuf]) -> Vec<Met> {
    let canon_roots: Vec<PathBuf> = roots.iter().filter_map(|r| r.canonicalize().ok()).collect();
    let mut met = Vec::new();
    let problem = |path: &Path, msg: &str| Met::Problem(Problem::error(path, None, "file", msg));
    for (root_idx, root) in roots.iter().enumerate() {
        if !root.is_dir() {
            met.push(problem(root, "runbook folder does not exist or is not a folder"));
            continue;
        }
        // In file-name order. Entries of one folder share its path up to their names, so
        // comparing whole paths orders them by name, without `sort_by_file_name`'s parse of
        // each path on every comparison (a third of the walk at 10,000 files).
        let by_name = |a: &walkdir::DirEntry, b: &walkdir::DirEntry| a.path().as_os_str().cmp(b.path().as_os_str());
        let walk = WalkDir::new(root).follow_links(true).sort_by(by_name).into_iter();
        let mut walk = walk.filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
        while let Some(entry) = walk.next() {
            let entry = match entry {
                Ok(e) => e,
                Err(err) => {
                    let path = err.path().map_or_else(|| root.clone(), Path::to_path_buf);
                    let msg = if err.loop_ancestor().is_some() {
                        "symbolic link loop; skipped".to_owned()
                    } else {
                        format!(
                            "could not be read: {}",
                            err.io_error().map_or_else(|| err.to_string(), ToString::to_string)
                        )
                    };
                    met.push(problem(&path, &msg));
                    continue;
                }
            };
            let path = entry.path();
            if entry.path_is_symlink() {
                let inside = path.canonicalize().is_ok_and(|c| canon_roots.iter().any(|r| c.starts_with(r)));
                if !inside {
                    met.push(problem(path, "symbolic link points outside the runbook folders; skipped"));
                    if entry.file_type().is_dir() {
                        walk.skip_current_dir();
                    }
                    continue;
                }
            }
            let name = entry.file_name().to_string_lossy();
            if !is_markdown_name(&name) {
                continue;
            }
            let ft = entry.file_type();
            if !ft.is_file() {
                let what = if ft.is_dir() { "a folder" } else { "not a regular file (FIFO, socket or device)" };
                met.push(problem(path, &format!("named like a runbook but is {what}; skipped")));
                if ft.is_dir() {
                    walk.skip_current_dir();
                }
                continue;
            }
            let rel = path.strip_prefix(root).unwrap_or(path);
            let rel_path = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            met.push(Met::File { root: root_idx, rel_path, entry });
        }
    }
    met
}

/// Read a regular file without ever blocking: opened non-blocking, checked again after
/// opening (the walk's answer may be stale), and read up to the size cap.
pub fn read_capped(path: &Path) -> Result<Vec<u8>, String> {
    use std::os::unix::fs::OpenOptionsExt;
    let file = File::options()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
        .map_err(|e| format!("could not be opened: {e}"))?;
    let meta = file.metadata().map_err(|e| format!("could not be read: {e}"))?;
    if !meta.is_file() {
        return Err("is not a regular file; skipped".into());
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(format!(
            "is {} KB, over the {} KB limit; split it into several runbooks",
            meta.len() / 1024,
            MAX_FILE_BYTES / 1024
        ));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(|e| format!("could not be read: {e}"))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!("grew over the {} KB limit while being read; skipped", MAX_FILE_BYTES / 1024));
    }
    Ok(bytes)
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
/// search hit, following a link, `show`, the handoff report).
pub fn load_file(root: usize, root_dir: &Path, rel_path: &str) -> Result<Runbook, Problem> {
    let c = Candidate { root, rel_path: rel_path.to_owned(), file: root_dir.join(rel_path), size: 0, mtime_ns: 0 };
    load_candidate(&c).map(|(rb, _)| rb)
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
        Library::from_parts(roots.to_vec(), runbooks, problems)
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
        Library { roots, runbooks, problems }
    }

    pub fn by_id(&self, id: &str) -> Option<usize> {
        self.runbooks.iter().position(|r| r.id == id)
    }

    /// Find a runbook by the path of its file relative to a root.
    pub fn by_path(&self, root: usize, rel_path: &str) -> Option<usize> {
        self.runbooks.iter().position(|r| r.root == root && r.path == rel_path)
    }

    /// Where an answer of `from` leads: the runbook index and, if named, the section id.
    /// `None` when the runbook does not exist.
    pub fn resolve(&self, from: &Runbook, target: &Target) -> Option<(usize, Option<String>)> {
        match target {
            Target::Section { section } => Some((self.by_id(&from.id)?, Some(section.clone()))),
            Target::Runbook { path, section } => {
                let base = from.path.rsplit_once('/').map_or("", |(dir, _)| dir);
                let joined = normalize_rel(base, path)?;
                let idx = self.by_path(from.root, &joined).or_else(|| {
                    // Another root may hold it (several roots form one collection).
                    self.runbooks.iter().position(|r| r.path == joined)
                })?;
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

    #[test]
    fn markdown_names() {
        assert!(is_markdown_name("a.md"));
        assert!(is_markdown_name("A.MarkDown"));
        assert!(!is_markdown_name(".hidden.md"));
        assert!(!is_markdown_name("a.txt"));
    }
}
