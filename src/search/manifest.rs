//! The manifest: size, modification time, content hash and load problems of every indexed
//! file, kept in tantivy's commit payload in a compact text form so that it changes
//! atomically with the index, and read in place on the warm path.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::store::FORMAT;
use crate::problem::Problem;

#[derive(Debug, Clone, Serialize, Deserialize, Default)]
pub struct Manifest {
    pub format: String,
    pub written_ns: i128,
    pub files: HashMap<String, FileState>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileState {
    pub size: u64,
    pub mtime_ns: i128,
    pub hash: u64,
    pub problems: Vec<Problem>,
}

impl Manifest {
    /// The compact text form kept in the commit payload: a header, one line per file
    /// (`size mtime_ns hash key`, sorted by key, `\\` and newlines in keys escaped), then the
    /// problems of the files that have any, as one JSON object. About half the size of JSON
    /// and much quicker to read back.
    pub fn encode(&self) -> String {
        let mut keys: Vec<&String> = self.files.keys().collect();
        keys.sort();
        let mut out = String::with_capacity(64 + keys.len() * 80);
        out.push_str(&format!("{}\n{}\n{}\n", self.format, self.written_ns, keys.len()));
        let mut problems: std::collections::BTreeMap<&str, &Vec<Problem>> = std::collections::BTreeMap::new();
        for key in keys {
            let f = &self.files[key];
            let escaped = key.replace('\\', "\\\\").replace('\n', "\\n");
            out.push_str(&format!("{} {} {:x} {escaped}\n", f.size, f.mtime_ns, f.hash));
            if !f.problems.is_empty() {
                problems.insert(key, &f.problems);
            }
        }
        out.push_str(&serde_json::to_string(&problems).unwrap_or_else(|_| "{}".into()));
        out
    }

    /// Read `encode`'s form back; `None` if it is not exactly that (another version, damage).
    pub fn decode(text: &str) -> Option<Manifest> {
        let mut rest = text;
        let mut line = || -> Option<&str> {
            let (l, r) = rest.split_once('\n')?;
            rest = r;
            Some(l)
        };
        let format = line()?.to_owned();
        let written_ns: i128 = line()?.parse().ok()?;
        let n: usize = line()?.parse().ok()?;
        let mut files = HashMap::with_capacity(n.min(1 << 20));
        for _ in 0..n {
            let mut parts = line()?.splitn(4, ' ');
            let size = parts.next()?.parse().ok()?;
            let mtime_ns = parts.next()?.parse().ok()?;
            let hash = u64::from_str_radix(parts.next()?, 16).ok()?;
            let key = unescape(parts.next()?)?;
            files.insert(key, FileState { size, mtime_ns, hash, problems: Vec::new() });
        }
        let problems: HashMap<String, Vec<Problem>> = serde_json::from_str(rest).ok()?;
        for (key, p) in problems {
            files.get_mut(&key)?.problems = p;
        }
        Some(Manifest { format, written_ns, files })
    }

    /// Every file's problems, in key order.
    pub fn problems(&self) -> Vec<Problem> {
        let mut with: Vec<(&String, &FileState)> = self.files.iter().filter(|(_, f)| !f.problems.is_empty()).collect();
        with.sort_by(|a, b| a.0.cmp(b.0));
        with.into_iter().flat_map(|(_, f)| f.problems.iter().cloned()).collect()
    }
}

/// The encoded manifest read in place, for the warm path: no key is copied, and the problems
/// are only parsed when the index is used as it is.
pub(super) struct ManifestView<'a> {
    pub(super) written_ns: i128,
    pub(super) files: HashMap<std::borrow::Cow<'a, str>, (u64, i128, u64), FastHash>,
    pub(super) problems_json: &'a str,
}

impl<'a> ManifestView<'a> {
    pub(super) fn parse(text: &'a str) -> Option<ManifestView<'a>> {
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
        let mut files = HashMap::with_capacity_and_hasher(n.min(1 << 20), FastHash::default());
        for _ in 0..n {
            let mut parts = line()?.splitn(4, ' ');
            let size = parts.next()?.parse().ok()?;
            let mtime_ns = parts.next()?.parse().ok()?;
            let hash = u64::from_str_radix(parts.next()?, 16).ok()?;
            let key = parts.next()?;
            let key = if key.contains('\\') { std::borrow::Cow::Owned(unescape(key)?) } else { key.into() };
            files.insert(key, (size, mtime_ns, hash));
        }
        Some(ManifestView { written_ns, files, problems_json: rest })
    }

    /// Problems in key order.
    pub(super) fn problems(&self) -> Option<Vec<Problem>> {
        let map: std::collections::BTreeMap<String, Vec<Problem>> = serde_json::from_str(self.problems_json).ok()?;
        Some(map.into_values().flatten().collect())
    }
}

/// Fast hashing for the manifest's keys (our own file names).
type FastHash = rustc_hash::FxBuildHasher;

fn unescape(s: &str) -> Option<String> {
    if !s.contains('\\') {
        return Some(s.to_owned());
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next()? {
                'n' => out.push('\n'),
                '\\' => out.push('\\'),
                _ => return None,
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}
