//! The vectors kept beside the index: one per runbook text, keyed by the text's hash, so that
//! a refresh embeds only what changed and a runbook moved or renamed keeps its vector. One
//! file, `meaning.bin`, written whole to a temporary file and renamed: a reader sees the old
//! file or the new one. A file that is damaged, of another model or another format is read
//! as empty (everything is embedded again), never trusted.
//!
//! Layout (little-endian): `RBMEAN01`, the model's fingerprint (u64), the count (u64), then
//! per vector its text hash (u64) and `DIM` f32.

use std::collections::HashMap;
use std::io::Write;
use std::path::Path;

use super::{DIM, Vector};
use crate::files::{self, Links};

const MAGIC: &[u8; 8] = b"RBMEAN01";
pub(crate) const FILE: &str = "meaning.bin";
/// 170,000 runbooks' vectors (1.5 KB each; the scale tests go to 50,000); a larger file is
/// not read.
const CAP: u64 = 256 << 20;
const RECORD: usize = 8 + DIM * 4;

/// The hash a text is kept under.
pub(crate) fn text_hash(text: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(text.as_bytes())
}

/// Vectors by text hash.
#[derive(Debug, Default, Clone)]
pub(crate) struct Vectors(pub(crate) HashMap<u64, Vector>);

impl Vectors {
    /// The file in `dir`, when it is whole and of the model `fingerprint`; else none.
    pub(crate) fn read(dir: &Path, fingerprint: u64) -> Vectors {
        let Ok(bytes) = files::read(&dir.join(FILE), CAP, Links::Refuse) else { return Vectors::default() };
        Vectors::decode(&bytes, fingerprint).unwrap_or_default()
    }

    fn decode(bytes: &[u8], fingerprint: u64) -> Option<Vectors> {
        let u64_at = |at: usize| bytes.get(at..at + 8).and_then(|b| b.try_into().ok()).map(u64::from_le_bytes);
        if bytes.get(..8)? != MAGIC || u64_at(8)? != fingerprint {
            return None;
        }
        let count = usize::try_from(u64_at(16)?).ok()?;
        let body = bytes.get(24..)?;
        if body.len() != count.checked_mul(RECORD)? {
            return None;
        }
        let mut out = HashMap::with_capacity(count);
        for record in body.chunks_exact(RECORD) {
            let (hash, values) = record.split_at(8);
            let hash = u64::from_le_bytes(hash.try_into().ok()?);
            let values: Vec<f32> =
                values.chunks_exact(4).filter_map(|b| b.try_into().ok()).map(f32::from_le_bytes).collect();
            if values.len() != DIM || values.iter().any(|v| !v.is_finite()) {
                return None;
            }
            out.insert(hash, Vector(values));
        }
        Some(Vectors(out))
    }

    fn encode(&self, fingerprint: u64) -> Vec<u8> {
        let mut out = Vec::with_capacity(24 + self.0.len() * RECORD);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&fingerprint.to_le_bytes());
        out.extend_from_slice(&(self.0.len() as u64).to_le_bytes());
        let mut keys: Vec<&u64> = self.0.keys().collect();
        keys.sort();
        for key in keys {
            out.extend_from_slice(&key.to_le_bytes());
            for v in self.0.get(key).map(|v| v.0.as_slice()).unwrap_or_default() {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        out
    }

    /// Write them to `dir` (a temporary file renamed over the old one).
    pub(crate) fn write(&self, dir: &Path, fingerprint: u64) -> std::io::Result<()> {
        // Unique to this write: two threads or processes may write at once (the last rename
        // wins, whole).
        static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tmp = dir.join(format!("{FILE}.{}-{n}.tmp", std::process::id()));
        let result = (|| {
            let mut file = std::fs::File::options().write(true).create_new(true).open(&tmp)?;
            file.write_all(&self.encode(fingerprint))?;
            file.sync_all()?;
            std::fs::rename(&tmp, dir.join(FILE))
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn some(n: usize) -> Vectors {
        Vectors((0..n as u64).map(|i| (i * 7 + 1, Vector(vec![i as f32 / 10.0; DIM]))).collect())
    }

    #[test]
    fn vectors_read_back_as_written_and_damage_reads_as_none() {
        let dir = tempfile::TempDir::new().unwrap();
        let v = some(5);
        v.write(dir.path(), 42).unwrap();
        assert_eq!(Vectors::read(dir.path(), 42).0, v.0);
        assert!(Vectors::read(dir.path(), 43).0.is_empty(), "another model's vectors are not used");
        let bytes = std::fs::read(dir.path().join(FILE)).unwrap();
        for cut in [0, 7, 24, bytes.len() - 1] {
            assert!(Vectors::decode(&bytes[..cut], 42).is_none(), "cut at {cut}");
        }
        let mut nan = bytes.clone();
        nan[24 + 8..24 + 12].copy_from_slice(&f32::NAN.to_le_bytes());
        assert!(Vectors::decode(&nan, 42).is_none());
    }
}
