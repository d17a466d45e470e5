//! The starter kit, built into the binary: the shipped runbooks, so that `runbook` works on a
//! jump box where nobody has written any yet. It is written out once per kit version to the
//! user's data folder and opened from there like any runbook folder (one loader, one index),
//! and `runbook init DIR` writes it out as the start of a team's own repository.

use std::path::{Path, PathBuf};

use include_dir::{Dir, DirEntry, include_dir};

static KIT: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/runbooks");

/// The README that `init` puts beside the runbooks, for the people who write them.
const AUTHORS_README: &str = include_str!("kit/README.md");

/// The example CI job that `init` writes: `runbook check --strict` on every push.
const CI_JOB: &str = include_str!("kit/check.yml");

#[derive(Debug, thiserror::Error)]
pub(crate) enum KitError {
    #[error("cannot write the built-in runbooks to {path}: {source}; check that the folder is writable, or use --dir")]
    Write { path: PathBuf, source: std::io::Error },
    #[error("{0} is not empty: `runbook init` starts a new repository; give it a new or empty folder")]
    NotEmpty(PathBuf),
    #[error(
        "cannot list {path} ({source}), so cannot tell that it is empty: give `runbook init` a new or empty folder"
    )]
    Unlistable { path: PathBuf, source: std::io::Error },
    #[error(
        "no data folder for the built-in runbooks (HOME and XDG_DATA_HOME are not set); point the tool at runbooks with --dir"
    )]
    NoDataDir,
}

/// Every file of the kit: its path inside the kit and its bytes, in a stable order.
pub(crate) fn files() -> Vec<(&'static Path, &'static [u8])> {
    let mut out = Vec::new();
    let mut dirs = vec![&KIT];
    while let Some(dir) = dirs.pop() {
        for entry in dir.entries() {
            match entry {
                DirEntry::Dir(d) => dirs.push(d),
                DirEntry::File(f) => out.push((f.path(), f.contents())),
            }
        }
    }
    out.sort_by_key(|(p, _)| *p);
    out
}

/// Write the kit's runbooks under `dest`; how many files.
fn write_tree(dest: &Path) -> Result<usize, KitError> {
    let files = files();
    for (rel, bytes) in &files {
        write(&dest.join(rel), bytes)?;
    }
    Ok(files.len())
}

/// Write a new file: created exclusively, so that nothing already there is ever overwritten.
fn write(path: &Path, bytes: &[u8]) -> Result<(), KitError> {
    use std::io::Write as _;
    let err = |source| KitError::Write { path: path.to_path_buf(), source };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(err)?;
    }
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(path).map_err(err)?;
    f.write_all(bytes).map_err(err)
}

/// The folder holding this binary's kit, written out on first use: under the data folder,
/// named by the version and a hash of the kit, written to a temporary name and renamed so
/// that two processes starting together never see half a kit.
pub(crate) fn extracted() -> Result<PathBuf, KitError> {
    let base = dirs::data_dir().ok_or(KitError::NoDataDir)?.join("runbook");
    let mut hasher = xxhash_rust::xxh3::Xxh3::new();
    for (rel, bytes) in files() {
        hasher.update(rel.to_string_lossy().as_bytes());
        hasher.update(bytes);
    }
    let dir = base.join(format!("kit-{}-{:016x}", env!("CARGO_PKG_VERSION"), hasher.digest()));
    if dir.is_dir() {
        return Ok(dir);
    }
    let tmp = base.join(format!(".kit-tmp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    write_tree(&tmp)?;
    if std::fs::rename(&tmp, &dir).is_err() {
        // Another process won the race: its copy is the same kit.
        let _ = std::fs::remove_dir_all(&tmp);
    }
    if dir.is_dir() { Ok(dir) } else { Err(KitError::Write { path: dir, source: std::io::ErrorKind::NotFound.into() }) }
}

/// Write the kit as a new team repository in `dir` (created if missing, refused if not
/// empty): the runbooks, a README for authors and an example CI job. How many runbook files.
pub(crate) fn init(dir: &Path) -> Result<usize, KitError> {
    // A folder that cannot be listed cannot be known to be empty: refused, not written into.
    match std::fs::read_dir(dir).map(|mut d| d.next().is_some()) {
        Ok(true) => return Err(KitError::NotEmpty(dir.to_path_buf())),
        Ok(false) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(source) => return Err(KitError::Unlistable { path: dir.to_path_buf(), source }),
    }
    let n = write_tree(&dir.join("runbooks"))?;
    write(&dir.join("README.md"), AUTHORS_README.as_bytes())?;
    write(&dir.join(".github/workflows/runbooks.yml"), CI_JOB.as_bytes())?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kit_holds_the_shipped_runbooks() {
        let files = files();
        assert!(files.len() >= 40, "{} files", files.len());
        assert!(files.iter().any(|(p, _)| *p == Path::new("start-here.md")));
        let on_disk = std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("runbooks/start-here.md")).unwrap();
        assert!(files.iter().any(|(p, b)| *p == Path::new("start-here.md") && *b == on_disk.as_slice()));
    }

    #[test]
    fn init_refuses_a_folder_that_is_not_empty() {
        let dir = tempfile::TempDir::new().unwrap();
        std::fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        assert!(matches!(init(dir.path()), Err(KitError::NotEmpty(_))));
        assert_eq!(std::fs::read_to_string(dir.path().join("notes.txt")).unwrap(), "mine", "nothing touched");
    }
}
