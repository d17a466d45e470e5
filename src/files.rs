//! The one rule for reading a file the tool is given (a runbook, the team file, a config
//! file, a drill list, a journal): opened without blocking (a FIFO answers nothing and must
//! not hang the tool), checked to be a regular file (`/dev/zero` never ends), and read up to
//! a cap. And the one rule for where a runbook file may be: a path that resolves outside its
//! runbook folder (a link pointing out) is refused, the same for every reader.

use std::fs::File;
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

/// Whether a link at the path itself is followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Links {
    /// Followed (a config file kept in a dotfiles checkout, a runbook folder linked in).
    Follow,
    /// Refused: the tool's own files (journals, its cache), which it never makes links.
    Refuse,
}

/// Why a file was not read: said after the file's name ("team.yml is not a regular file").
#[derive(Debug, thiserror::Error)]
pub(crate) enum ReadError {
    #[error("cannot be opened: {0}")]
    Open(std::io::Error),
    #[error("is not a regular file (a FIFO, a device, a folder): not read")]
    NotRegular,
    #[error("is {size} bytes, over the {cap}-byte limit: not read")]
    TooLarge { size: u64, cap: u64 },
    #[error("cannot be read: {0}")]
    Read(std::io::Error),
}

/// The bytes of the regular file at `path`, at most `cap` of them.
pub fn read(path: &Path, cap: u64, links: Links) -> Result<Vec<u8>, ReadError> {
    let mut flags = libc::O_NONBLOCK;
    if links == Links::Refuse {
        flags |= libc::O_NOFOLLOW;
    }
    let file = File::options().read(true).custom_flags(flags).open(path).map_err(ReadError::Open)?;
    let meta = file.metadata().map_err(ReadError::Read)?;
    if !meta.is_file() {
        return Err(ReadError::NotRegular);
    }
    if meta.len() > cap {
        return Err(ReadError::TooLarge { size: meta.len(), cap });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(cap + 1).read_to_end(&mut bytes).map_err(ReadError::Read)?;
    // It grew while being read.
    if bytes.len() as u64 > cap {
        return Err(ReadError::TooLarge { size: bytes.len() as u64, cap });
    }
    Ok(bytes)
}

/// `path`, resolved, when it lies inside `folder` (both resolved: links, `..`); else why not.
pub(crate) fn inside(folder: &Path, path: &Path) -> Result<PathBuf, String> {
    let root = folder.canonicalize().map_err(|e| format!("the folder {} cannot be resolved: {e}", folder.display()))?;
    let real = path.canonicalize().map_err(|e| format!("cannot be opened: {e}"))?;
    if real.starts_with(&root) {
        Ok(real)
    } else {
        Err(format!("resolves to {}, outside the runbook folder {}: not read", real.display(), folder.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fifos_devices_and_big_files_are_refused_without_blocking() {
        let dir = tempfile::TempDir::new().unwrap();
        let fifo = dir.path().join("config.toml");
        nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::S_IRWXU).unwrap();
        assert!(matches!(read(&fifo, 1024, Links::Follow), Err(ReadError::NotRegular)), "a FIFO does not hang");
        assert!(matches!(read(Path::new("/dev/zero"), 1024, Links::Follow), Err(ReadError::NotRegular)));
        let big = dir.path().join("big");
        std::fs::write(&big, vec![b'x'; 2048]).unwrap();
        assert!(matches!(read(&big, 1024, Links::Follow), Err(ReadError::TooLarge { size: 2048, cap: 1024 })));
        assert_eq!(read(&big, 4096, Links::Follow).unwrap().len(), 2048);
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&big, &link).unwrap();
        assert!(read(&link, 4096, Links::Follow).is_ok());
        assert!(matches!(read(&link, 4096, Links::Refuse), Err(ReadError::Open(_))));
    }

    #[test]
    fn a_path_through_a_link_out_of_the_folder_is_refused() {
        let (folder, outside) = (tempfile::TempDir::new().unwrap(), tempfile::TempDir::new().unwrap());
        std::fs::write(outside.path().join("secret.md"), "secret").unwrap();
        std::fs::write(folder.path().join("ok.md"), "ok").unwrap();
        std::os::unix::fs::symlink(outside.path().join("secret.md"), folder.path().join("secret.md")).unwrap();
        assert!(inside(folder.path(), &folder.path().join("ok.md")).is_ok());
        let refused = inside(folder.path(), &folder.path().join("secret.md")).unwrap_err();
        assert!(refused.contains("outside the runbook folder"), "{refused}");
        assert!(inside(folder.path(), &folder.path().join("../x.md")).is_err());
    }
}
