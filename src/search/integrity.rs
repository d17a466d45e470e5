//! Whether the index in the cache folder is whole. Opening it checks cheaply that every file
//! of its segments is there, the size and modification time they had when written (a stat
//! each, kept in `segments.stamp`); only when one changed are the checksums read, which takes
//! a few ms at 10,000 runbooks. A damaged index is emptied and built again by `store`.

use std::fmt::Write as _;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use tantivy::Index;
use tantivy::index::SegmentComponent as C;

/// The file that remembers the segment files as written.
const STAMPS: &str = "segments.stamp";

/// The files of the index's searchable segments, relative to its folder.
fn files(index: &Index) -> Option<Vec<PathBuf>> {
    let metas = index.searchable_segment_metas().ok()?;
    Some(
        metas
            .iter()
            .flat_map(|m| {
                let mut parts = vec![C::Postings, C::Positions, C::FastFields, C::FieldNorms, C::Terms, C::Store];
                if m.has_deletes() {
                    parts.push(C::Delete);
                }
                parts.into_iter().map(|c| m.relative_path(c)).collect::<Vec<_>>()
            })
            .collect(),
    )
}

/// `name size mtime` for each file, as now on disk; `None` when one is missing.
fn stamps(index: &Index, dir: &Path) -> Result<String, String> {
    let mut out = String::new();
    for f in files(index).ok_or("its segment list does not read")? {
        let meta = std::fs::symlink_metadata(dir.join(&f)).map_err(|_| format!("{} is missing", f.display()))?;
        let _ = writeln!(out, "{} {} {}.{}", f.display(), meta.len(), meta.mtime(), meta.mtime_nsec());
    }
    Ok(out)
}

/// Remember the segment files as they are now (just written, or just checked).
pub(super) fn stamp(index: &Index, dir: &Path) {
    if let Ok(text) = stamps(index, dir) {
        let tmp = dir.join(format!("{STAMPS}.{}", std::process::id()));
        if std::fs::write(&tmp, text).is_ok() {
            let _ = std::fs::rename(&tmp, dir.join(STAMPS));
        }
    }
}

/// What is wrong with the index in `dir`, if anything: a file missing, or, when a file is
/// not as it was written, a checksum that fails.
pub(super) fn check(index: &Index, dir: &Path) -> Option<String> {
    let now = match stamps(index, dir) {
        Ok(now) => now,
        Err(why) => return Some(why),
    };
    if std::fs::read_to_string(dir.join(STAMPS)).is_ok_and(|then| then == now) {
        return None;
    }
    let bad = checksums(index);
    if bad.is_none() {
        // Checked whole: the next opens need only look at the stamps.
        stamp(index, dir);
    }
    bad
}

/// Every file of the index read against its checksum.
pub(super) fn checksums(index: &Index) -> Option<String> {
    match index.validate_checksum() {
        Ok(bad) if bad.is_empty() => None,
        Ok(bad) => {
            let mut names: Vec<String> = bad.iter().map(|p| p.display().to_string()).collect();
            names.sort();
            Some(format!("{} fails its checksum", names.join(", ")))
        }
        Err(e) => Some(format!("its checksums cannot be read: {e}")),
    }
}

/// The index in `dir` checked whole, whatever its stamps say.
pub(super) fn verify(dir: &Path) -> Option<String> {
    let index = match Index::open_in_dir(dir) {
        Ok(i) => i,
        Err(e) => return Some(format!("it does not open: {e}")),
    };
    if let Err(why) = stamps(&index, dir) {
        return Some(why);
    }
    checksums(&index)
}
