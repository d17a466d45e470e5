//! The manifest: size, times, content hash, id and load problems of every indexed file, in a
//! compact text form, written beside the index and named by the commit's payload
//! (`payload`) so that it changes atomically with the index. One parser reads that text in place (`ManifestView`, the warm
//! path); a refresh takes it as an owned `Manifest`, changes it and writes it back.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;

use rustc_hash::FxHashMap;

use crate::problem::Problem;

/// Bump when the schema, the documents or the manifest format change: older caches are rebuilt.
pub(super) const FORMAT: &str = concat!("runbook-index/13/", env!("CARGO_PKG_VERSION"));

/// A file's key, in the manifest and in the index's `key` field: `root-index/relative-path`,
/// written into `out` (a reused buffer: the warm path checks every file).
pub(super) fn write_key(out: &mut String, root: usize, rel_path: &str) {
    out.clear();
    let _ = write!(out, "{root}/{rel_path}");
}

pub(super) fn file_key(root: usize, rel_path: &str) -> String {
    let mut key = String::new();
    write_key(&mut key, root, rel_path);
    key
}

/// The content hash kept in the manifest, to tell whether a racy file changed: XXH3-64 (a
/// published, frozen algorithm), so a manifest written by one build reads the same in the
/// next.
pub(super) fn content_hash(bytes: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64(bytes)
}

/// What tells a file's content apart without reading it (size, modification time), and the
/// hash of that content, for files modified too close to a refresh to trust the time alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) struct Stamp {
    pub size: u64,
    pub mtime_ns: i128,
    pub ctime_ns: i128,
    pub hash: u64,
}

/// One indexed file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct FileState {
    pub stamp: Stamp,
    /// The runbook's id and the line of its `id:` key (0: none), for the rule that two
    /// runbooks never share one (`runbook::library::duplicate_ids`); empty if it did not load.
    pub id: String,
    pub id_line: usize,
    /// What loading it found.
    pub problems: Vec<Problem>,
}

/// Every indexed file by its key (`root-index/relative-path`), and when they were last all
/// known to hold what the index holds.
#[derive(Debug, Clone, Default)]
pub(super) struct Manifest {
    pub written_ns: i128,
    pub files: FxHashMap<String, FileState>,
}

impl Manifest {
    /// The compact text form kept in the commit payload: a header, one line per file
    /// (`size mtime_ns ctime_ns hash id_line id key`, sorted by key; `\\` and newlines escaped
    /// in ids and keys, spaces in ids), then the problems of the files that have any, as one
    /// JSON object. About half the size of JSON and much quicker to read back.
    pub(crate) fn encode(&self) -> String {
        let mut files: Vec<(&String, &FileState)> = self.files.iter().collect();
        files.sort_by(|a, b| a.0.cmp(b.0));
        let mut out = String::with_capacity(64 + files.len() * 80);
        let _ = write!(out, "{FORMAT}\n{}\n{}\n", self.written_ns, files.len());
        let mut problems: BTreeMap<&str, &Vec<Problem>> = BTreeMap::new();
        for (key, f) in files {
            let escaped = escape(key);
            let id = escape(&f.id).replace(' ', "\\s");
            let Stamp { size, mtime_ns, ctime_ns, hash } = f.stamp;
            let _ = writeln!(out, "{size} {mtime_ns} {ctime_ns} {hash:x} {} {id} {escaped}", f.id_line);
            if !f.problems.is_empty() {
                problems.insert(key, &f.problems);
            }
        }
        out.push_str(&serde_json::to_string(&problems).unwrap_or_else(|_| "{}".into()));
        out
    }

    /// Every file's problems, in key order.
    pub(crate) fn problems(&self) -> Vec<Problem> {
        let mut with: Vec<(&String, &FileState)> = self.files.iter().filter(|(_, f)| !f.problems.is_empty()).collect();
        with.sort_by(|a, b| a.0.cmp(b.0));
        with.into_iter().flat_map(|(_, f)| f.problems.iter().cloned()).collect()
    }
}

/// The encoded manifest read in place: no key without an escape is copied, and the problems
/// are only parsed when asked for.
#[derive(Debug)]
pub(super) struct ManifestView<'a> {
    pub written_ns: i128,
    pub files: FxHashMap<Cow<'a, str>, Listed<'a>>,
    problems_json: &'a str,
}

/// A file's line of the manifest, read in place (its id still escaped).
#[derive(Debug, Clone, Copy)]
pub(super) struct Listed<'a> {
    pub stamp: Stamp,
    id_line: usize,
    id: &'a str,
}

impl<'a> ManifestView<'a> {
    /// Read `Manifest::encode`'s form; `None` if it is not exactly that (another version,
    /// damage).
    pub(crate) fn parse(text: &'a str) -> Option<ManifestView<'a>> {
        let mut rest = text;
        let mut line = || -> Option<&'a str> {
            let (l, r) = rest.split_once('\n')?;
            rest = r;
            Some(l)
        };
        if line()? != FORMAT {
            return None;
        }
        let written_ns: i128 = line()?.parse().ok()?;
        let n: usize = line()?.parse().ok()?;
        let mut files = FxHashMap::with_capacity_and_hasher(n.min(1 << 20), Default::default());
        for _ in 0..n {
            let mut parts = line()?.splitn(7, ' ');
            let size = parts.next()?.parse().ok()?;
            let mtime_ns = parts.next()?.parse().ok()?;
            let ctime_ns = parts.next()?.parse().ok()?;
            let hash = u64::from_str_radix(parts.next()?, 16).ok()?;
            let id_line = parts.next()?.parse().ok()?;
            let id = parts.next()?;
            let key = unescape(parts.next()?)?;
            files.insert(key, Listed { stamp: Stamp { size, mtime_ns, ctime_ns, hash }, id_line, id });
        }
        Some(ManifestView { written_ns, files, problems_json: rest })
    }

    fn problems_by_key(&self) -> Option<BTreeMap<String, Vec<Problem>>> {
        serde_json::from_str(self.problems_json).ok()
    }

    /// Problems in key order; `None` if they do not parse.
    pub(crate) fn problems(&self) -> Option<Vec<Problem>> {
        Some(self.problems_by_key()?.into_values().flatten().collect())
    }

    /// The manifest as an owned value, to change and write back; `None` if the problems do
    /// not parse or name a file it does not list.
    pub(crate) fn into_manifest(self) -> Option<Manifest> {
        let problems = self.problems_by_key()?;
        let mut files = FxHashMap::with_capacity_and_hasher(self.files.len(), Default::default());
        for (key, l) in self.files {
            let id = unescape(l.id)?.into_owned();
            files.insert(key.into_owned(), FileState { stamp: l.stamp, id, id_line: l.id_line, problems: Vec::new() });
        }
        for (key, p) in problems {
            files.get_mut(&key)?.problems = p;
        }
        Some(Manifest { written_ns: self.written_ns, files })
    }
}

/// `\\` and newlines escaped, so that a key or an id stays on its line.
fn escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('\n', "\\n")
}

/// A key or an id as `encode` escaped it, back; borrowed when it holds no escape.
fn unescape(s: &str) -> Option<Cow<'_, str>> {
    if !s.contains('\\') {
        return Some(Cow::Borrowed(s));
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next()? {
                'n' => out.push('\n'),
                's' => out.push(' '),
                '\\' => out.push('\\'),
                _ => return None,
            }
        } else {
            out.push(c);
        }
    }
    Some(Cow::Owned(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_manifest_survives_its_text_form() {
        let mut files = FxHashMap::default();
        let problem = Problem::error("/r/a.md", Some(2), "yaml", "bad");
        let stamp = Stamp { size: 10, mtime_ns: -5, ctime_ns: 3, hash: u64::MAX };
        let id = "an id with spaces, \\s, a\nnewline".to_owned();
        files.insert("0/a.md".to_owned(), FileState { stamp, id, id_line: 3, problems: vec![problem] });
        let stamp = Stamp { size: 0, mtime_ns: 1 << 70, ctime_ns: 1 << 70, hash: 7 };
        let state = FileState { stamp, ..FileState::default() };
        files.insert("1/odd\nname\\x s.md".to_owned(), state);
        let m = Manifest { written_ns: 123, files };
        let text = m.encode();
        let view = ManifestView::parse(&text);
        assert_eq!(view.as_ref().map(|v| (v.files.len(), v.problems())), Some((2, Some(m.problems()))));
        let back = view.and_then(ManifestView::into_manifest).unwrap_or_default();
        assert_eq!((back.written_ns, back.files), (123, m.files));
        let cut = text.get(..text.len() / 2).unwrap_or_default();
        assert!(ManifestView::parse(cut).is_none_or(|v| v.into_manifest().is_none()));
        assert!(ManifestView::parse(&text.replace(FORMAT, "runbook-index/0")).is_none());
    }

    #[test]
    fn the_content_hash_sees_every_byte_and_never_changes() {
        let a = b"0123456789abcdef-tail".to_vec();
        let mut b = a.clone();
        b[20] = b'X';
        assert_ne!(content_hash(&a), content_hash(&b));
        assert_ne!(content_hash(b""), content_hash(b"\0"));
        // Hashes that last on disk must not change between builds or releases.
        assert_eq!(content_hash(b""), 0x2d06_8005_38d3_94c2, "XXH3-64 of the empty input");
    }

    #[test]
    fn a_bad_escape_or_a_problem_of_an_unlisted_file_is_damage() {
        let head = format!("{FORMAT}\n1\n1\n");
        assert!(ManifestView::parse(&format!("{head}1 2 2 3 0 x 0/a\\t.md\n{{}}")).is_none());
        let stray = format!("{head}1 2 2 3 0 x 0/a.md\n{{\"0/b.md\":[]}}");
        assert!(ManifestView::parse(&stray).is_some_and(|v| v.into_manifest().is_none()));
    }
}
