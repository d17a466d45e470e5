//! The manifest beside the index. It is written to a file of its own, named by its content
//! hash, before the commit, and the commit's payload names that file: the index and its
//! manifest still change together (a crash before the commit leaves the old payload naming
//! the old file), while tantivy's `meta.json`, which every open of the index parses several
//! times, stays small (with the manifest inside it was 1.4 MB at 10,000 runbooks).

use std::io::Write as _;
use std::path::Path;

use super::manifest::{FORMAT, content_hash};

/// A manifest this large is damage (10,000 runbooks make about 1.4 MB).
const MAX_BYTES: u64 = 256 * 1024 * 1024;

fn name_of(text: &str) -> String {
    format!("manifest-{:016x}.txt", content_hash(text.as_bytes()))
}

/// Whether `name` is a manifest file's name (the cache folder's own files).
pub(super) fn is_manifest_name(name: &str) -> bool {
    name.strip_prefix("manifest-")
        .and_then(|rest| rest.strip_suffix(".txt"))
        .is_some_and(|hex| hex.len() == 16 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Write `text` to its file in `dir` (synced), and the payload that names it.
pub(super) fn write(dir: &Path, text: &str) -> std::io::Result<String> {
    let name = name_of(text);
    let tmp = dir.join(format!("{name}.{}", std::process::id()));
    let mut f = std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp)?;
    let written = f.write_all(text.as_bytes()).and_then(|()| f.sync_all());
    if let Err(e) = written.and_then(|()| std::fs::rename(&tmp, dir.join(&name))) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    Ok(format!("{FORMAT}\n{name}"))
}

/// The manifest a payload names, if it is there whole (its hash is its name).
pub(super) fn read(dir: &Path, payload: &str) -> Option<String> {
    let name = payload.strip_prefix(FORMAT)?.strip_prefix('\n')?;
    if !is_manifest_name(name) {
        return None;
    }
    let bytes = crate::files::read(&dir.join(name), MAX_BYTES, crate::files::Links::Refuse).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    (name_of(&text) == name).then_some(text)
}

/// Remove the manifest files the payload no longer names.
pub(super) fn prune(dir: &Path, payload: &str) {
    let keep = payload.rsplit('\n').next().unwrap_or_default();
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if is_manifest_name(name) && name != keep && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_payload_names_its_manifest_and_damage_is_no_manifest() {
        let dir = tempfile::TempDir::new().unwrap_or_else(|e| panic!("{e}"));
        let first = write(dir.path(), "one").unwrap_or_default();
        let second = write(dir.path(), "two").unwrap_or_default();
        assert_eq!(read(dir.path(), &first).as_deref(), Some("one"));
        prune(dir.path(), &second);
        assert_eq!(read(dir.path(), &first), None, "pruned");
        assert_eq!(read(dir.path(), &second).as_deref(), Some("two"));
        let file = dir.path().join(second.rsplit('\n').next().unwrap_or_default());
        std::fs::write(&file, "tampered").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read(dir.path(), &second), None, "a file that is not what was written");
        assert_eq!(read(dir.path(), "runbook-index/0/x\nmanifest-0000000000000000.txt"), None);
        assert_eq!(read(dir.path(), &format!("{FORMAT}\n../../etc/passwd")), None);
    }
}
