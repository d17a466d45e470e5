//! Meaning search: a small sentence-embedding model turns a runbook and a query into vectors
//! whose cosine says how close they are in meaning, even when they share no word ("names
//! won't resolve from pods" and a DNS page). The search module blends it with the lexical
//! ranking; this module knows nothing of the index.
//!
//! ```text
//! mod.rs   Vector, what the model reads of a runbook (passage), the model's folder, errors
//! model    the model: text -> vectors (candle, tokenizers); absent without feature `meaning`
//! store    vectors kept beside the index, keyed by the hash of the text embedded (leaf)
//! ```
//!
//! Imports `files` and `text`. Without the `meaning` feature, or without the model's files,
//! `Model::load` says why and search is lexical only.

#[cfg(feature = "meaning")]
mod model;
pub(crate) mod store;

#[cfg(feature = "meaning")]
pub(crate) use model::Model;

#[cfg(feature = "meaning")]
use std::path::{Path, PathBuf};

/// Numbers in a vector (all-MiniLM-L6-v2's hidden size).
pub(crate) const DIM: usize = 384;

#[cfg(feature = "meaning")]
/// Tokens of a text the model reads at most: a runbook's title, summary, symptoms and the
/// start of its body fit; the model was trained on up to 256.
pub(crate) const MAX_TOKENS: usize = 128;

/// Words of a runbook's text given to the model (it reads at most `MAX_TOKENS` tokens).
const PASSAGE_WORDS: usize = 300;

/// What the model reads of a runbook: its title, summary, symptoms and alert names
/// (`lines`; identifiers split into words), what the page says it covers (its section
/// titles), then what it says: the first `PASSAGE_WORDS` words of all that.
pub(crate) fn passage(title: &str, summary: &str, lines: &[&str], headings: &[&str], bodies: &[&str]) -> String {
    let mut text = words_of(title);
    text.push_str(". ");
    text.push_str(summary);
    for line in lines {
        text.push_str(". ");
        text.push_str(&words_of(line));
    }
    let titled: Vec<&str> = headings.iter().copied().filter(|h| !h.is_empty()).collect();
    if !titled.is_empty() {
        text.push_str(". ");
        text.push_str(&titled.join("; "));
    }
    // Enough of the text, not all of it (a page can be 80 KB).
    for body in bodies {
        if text.len() > PASSAGE_WORDS * 12 {
            break;
        }
        text.push_str(". ");
        let cut = body.char_indices().nth(PASSAGE_WORDS * 12).map_or(body.len(), |(i, _)| i);
        text.push_str(body.get(..cut).unwrap_or(body));
    }
    text.split_whitespace().take(PASSAGE_WORDS).collect::<Vec<_>>().join(" ")
}

/// Identifiers split into words ("KubePodCrashLooping" -> "Kube Pod Crash Looping").
fn words_of(line: &str) -> String {
    line.split_whitespace()
        .map(|w| {
            if w.chars().any(char::is_lowercase) && w.chars().skip(1).any(char::is_uppercase) {
                crate::text::split_words(w).join(" ")
            } else {
                w.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A unit vector: the dot product of two is their cosine.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Vector(pub(crate) Vec<f32>);

impl Vector {
    pub(crate) fn cosine(&self, other: &Vector) -> f32 {
        self.0.iter().zip(&other.0).map(|(a, b)| a * b).sum()
    }
}

#[derive(Debug, thiserror::Error)]
pub(crate) enum MeaningError {
    #[cfg(not(feature = "meaning"))]
    #[error("this build has no meaning search (built without the `meaning` feature)")]
    Disabled,
    #[cfg(feature = "meaning")]
    #[error("no model folder found (looked in {0})")]
    Missing(String),
    #[cfg(feature = "meaning")]
    #[error("{0}: {1}")]
    Read(PathBuf, String),
    #[cfg(feature = "meaning")]
    #[error("the model in {0} is unusable: {1}")]
    Bad(PathBuf, String),
    #[cfg(feature = "meaning")]
    #[error("the model failed: {0}")]
    Run(String),
}

/// The env variable naming the model folder, for a model kept elsewhere.
#[cfg(feature = "meaning")]
pub(crate) const MODEL_ENV: &str = "RUNBOOK_MODEL";

/// Where the model's folder may be, in order: `RUNBOOK_MODEL`; the package's share folder
/// beside the binary (`/usr/bin/runbook` -> `/usr/share/runbook/model`); the source tree's
/// `model/`, only for a binary that lives inside that source tree (a build from a clone:
/// `target/...`). The source tree's path is compiled in, and on a jump box the build
/// machine's path means nothing (anybody might create it), so a packaged binary never
/// looks there.
#[cfg(feature = "meaning")]
pub(crate) fn model_dirs() -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Some(dir) = std::env::var_os(MODEL_ENV).filter(|d| !d.is_empty()) {
        out.push(PathBuf::from(dir));
        return out;
    }
    let exe = std::env::current_exe().ok().and_then(|e| e.canonicalize().ok());
    if let Some(prefix) = exe.as_deref().and_then(|e| e.parent()?.parent()) {
        out.push(prefix.join("share/runbook/model"));
    }
    let source = Path::new(env!("CARGO_MANIFEST_DIR"));
    if exe.is_some_and(|e| source.canonicalize().is_ok_and(|s| e.starts_with(s))) {
        out.push(source.join("model"));
    }
    out
}

/// The first model folder that has the weights' file.
#[cfg(feature = "meaning")]
pub(crate) fn find_model() -> Result<PathBuf, MeaningError> {
    let dirs = model_dirs();
    dirs.iter().find(|d| d.join("model.safetensors").is_file()).cloned().ok_or_else(|| {
        let looked: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
        MeaningError::Missing(if looked.is_empty() { "no folder".to_owned() } else { looked.join(", ") })
    })
}

/// Load the model from where it is found.
#[cfg(feature = "meaning")]
pub(crate) fn load() -> Result<Model, MeaningError> {
    Model::load(&find_model()?)
}

/// Without the feature there is no model to load.
#[cfg(not(feature = "meaning"))]
pub(crate) fn load() -> Result<Model, MeaningError> {
    Err(MeaningError::Disabled)
}

/// Without the feature: a model that cannot be made.
#[cfg(not(feature = "meaning"))]
#[derive(Debug)]
pub(crate) enum Model {}

#[cfg(not(feature = "meaning"))]
impl Model {
    pub(crate) fn embed(&self, _texts: &[&str]) -> Result<Vec<Vector>, MeaningError> {
        match *self {}
    }

    pub(crate) fn knows(&self, _word: &str) -> bool {
        match *self {}
    }

    pub(crate) fn fingerprint(&self) -> u64 {
        match *self {}
    }
}
