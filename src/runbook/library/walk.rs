//! The one walk of the runbook folders: every markdown file under the roots, sorted and
//! deduplicated, with its size and modification time, and a problem for each thing skipped.
//! It follows symlinks only where they stay inside a root and never loops. Loading the
//! library and refreshing the search index both start here.

use std::collections::{HashMap, HashSet};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::problem::Problem;

/// A markdown file found by the walk, not yet read.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub root: usize,
    pub rel_path: String,
    pub file: PathBuf,
    /// Size, modification time and inode change time when found, for cheap change detection
    /// (the change time moves when an edit keeps the size and puts the old mtime back).
    pub size: u64,
    pub mtime_ns: i128,
    pub ctime_ns: i128,
}

/// Whether a file name is a runbook: `.md` or `.markdown`, any case, not hidden.
pub(crate) fn is_markdown_name(name: &str) -> bool {
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
pub(crate) fn discover(roots: &[PathBuf]) -> (Vec<Candidate>, Vec<Problem>) {
    let met = walk(roots);
    let metas = stat_files(&met);
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
        if !seen.insert((meta.dev, meta.ino)) {
            continue;
        }
        if rel_path.contains(crate::text::is_unsafe_control) {
            // Its id and path would carry escape sequences to every screen that names it.
            problems.push(Problem::error(path, None, "file", "file name holds control characters; rename it"));
            continue;
        }
        let (mtime_ns, ctime_ns) = (meta.mtime_ns, meta.ctime_ns);
        found.push(Candidate { root, rel_path, file: entry.into_path(), size: meta.size, mtime_ns, ctime_ns });
    }
    (found, problems)
}

/// What the walk keeps of a file's status.
struct Status {
    dev: u64,
    ino: u64,
    size: u64,
    mtime_ns: i128,
    ctime_ns: i128,
}

/// The status of every file met (following a link, as opening it would), in parallel, each
/// by its name inside its folder's descriptor: the kernel resolves one name instead of the
/// whole path. `None`: vanished or unreadable.
fn stat_files(met: &[Met]) -> Vec<Option<Status>> {
    use rustix::fs::{AtFlags, Mode, OFlags, StatxFlags, open, statx};
    let mut folders: HashMap<&Path, Option<rustix::fd::OwnedFd>> = HashMap::new();
    for m in met {
        if let Met::File { entry, .. } = m
            && let Some(parent) = entry.path().parent()
        {
            folders.entry(parent).or_insert_with(|| {
                open(parent, OFlags::PATH | OFlags::DIRECTORY | OFlags::CLOEXEC, Mode::empty()).ok()
            });
        }
    }
    let ns = |t: rustix::fs::StatxTimestamp| i128::from(t.tv_sec) * 1_000_000_000 + i128::from(t.tv_nsec);
    met.par_iter()
        .map(|m| {
            let Met::File { entry, .. } = m else { return None };
            let path = entry.path();
            let folder = path.parent().and_then(|p| folders.get(p)).and_then(Option::as_ref);
            if let (Some(fd), Some(name)) = (folder, path.file_name()) {
                let x = statx(fd, name, AtFlags::empty(), StatxFlags::BASIC_STATS).ok()?;
                let dev = rustix::fs::makedev(x.stx_dev_major, x.stx_dev_minor);
                let (mtime_ns, ctime_ns) = (ns(x.stx_mtime), ns(x.stx_ctime));
                return Some(Status { dev, ino: x.stx_ino, size: x.stx_size, mtime_ns, ctime_ns });
            }
            let meta = std::fs::metadata(path).ok()?;
            Some(Status {
                dev: meta.dev(),
                ino: meta.ino(),
                size: meta.len(),
                mtime_ns: i128::from(meta.mtime()) * 1_000_000_000 + i128::from(meta.mtime_nsec()),
                ctime_ns: i128::from(meta.ctime()) * 1_000_000_000 + i128::from(meta.ctime_nsec()),
            })
        })
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_names() {
        assert!(is_markdown_name("a.md"));
        assert!(is_markdown_name("A.MarkDown"));
        assert!(!is_markdown_name(".hidden.md"));
        assert!(!is_markdown_name("a.txt"));
    }
}
