//! The sentence-embedding model (all-MiniLM-L6-v2): a BERT encoder run on the CPU by candle,
//! its WordPiece tokenizer by HF `tokenizers`, mean pooling, unit length. Read from a model
//! folder (`model/` of the source tree, or the package's share folder); nothing is fetched.

use std::path::Path;

use candle_core::{D, DType, Device, Tensor};
use candle_nn::VarBuilder;
use candle_transformers::models::bert::{BertModel, Config};
use tokenizers::{PaddingParams, PaddingStrategy, Tokenizer, TruncationParams};

use super::{DIM, MeaningError, Vector};
use crate::files::{self, Links};

/// The weights' file is about 45 MB (float16); a file far larger is not this model.
const WEIGHTS_CAP: u64 = 128 << 20;
const TOKENIZER_CAP: u64 = 8 << 20;
const CONFIG_CAP: u64 = 64 << 10;

/// A loaded model: about 95 MB resident (the weights as float32).
pub(crate) struct Model {
    bert: BertModel,
    tokenizer: Tokenizer,
    /// What vectors made by it are kept under: a hash of its three files and `MAX_TOKENS`.
    fingerprint: u64,
}

impl std::fmt::Debug for Model {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Model").field("fingerprint", &self.fingerprint).finish_non_exhaustive()
    }
}

fn read(dir: &Path, name: &str, cap: u64) -> Result<Vec<u8>, MeaningError> {
    let path = dir.join(name);
    files::read(&path, cap, Links::Follow).map_err(|e| MeaningError::Read(path, e.to_string()))
}

impl Model {
    /// The model in `dir` (model.safetensors, tokenizer.json, config.json).
    pub(crate) fn load(dir: &Path) -> Result<Model, MeaningError> {
        let bad = |what: &str, e: &dyn std::fmt::Display| MeaningError::Bad(dir.to_path_buf(), format!("{what}: {e}"));
        let config_bytes = read(dir, "config.json", CONFIG_CAP)?;
        let config: Config = serde_json::from_slice(&config_bytes).map_err(|e| bad("config.json", &e))?;
        if config.hidden_size != DIM {
            return Err(bad("config.json", &format!("vectors of {} numbers, not {DIM}", config.hidden_size)));
        }
        let tokenizer_bytes = read(dir, "tokenizer.json", TOKENIZER_CAP)?;
        let mut tokenizer = Tokenizer::from_bytes(&tokenizer_bytes).map_err(|e| bad("tokenizer.json", &e))?;
        tokenizer
            .with_truncation(Some(TruncationParams { max_length: super::MAX_TOKENS, ..TruncationParams::default() }))
            .map_err(|e| bad("tokenizer.json", &e))?;
        tokenizer
            .with_padding(Some(PaddingParams { strategy: PaddingStrategy::BatchLongest, ..PaddingParams::default() }));
        let weights = read(dir, "model.safetensors", WEIGHTS_CAP)?;
        let hash = xxhash_rust::xxh3::xxh3_64;
        let fingerprint = hash(&weights)
            ^ hash(&tokenizer_bytes).rotate_left(21)
            ^ hash(&config_bytes).rotate_left(42)
            ^ super::MAX_TOKENS as u64;
        let vb = VarBuilder::from_buffered_safetensors(weights, DType::F32, &Device::Cpu)
            .map_err(|e| bad("model.safetensors", &e))?;
        let bert = BertModel::load(vb, &config).map_err(|e| bad("model.safetensors", &e))?;
        Ok(Model { bert, tokenizer, fingerprint })
    }

    pub(crate) fn fingerprint(&self) -> u64 {
        self.fingerprint
    }

    /// Whether `word` is a whole word of the tokenizer's vocabulary.
    pub(crate) fn knows(&self, word: &str) -> bool {
        self.tokenizer.token_to_id(&word.to_lowercase()).is_some()
    }

    /// One unit vector per text, in order. Texts are cut at `MAX_TOKENS` tokens.
    pub(crate) fn embed(&self, texts: &[&str]) -> Result<Vec<Vector>, MeaningError> {
        if texts.is_empty() {
            return Ok(Vec::new());
        }
        let run = |e: &dyn std::fmt::Display| MeaningError::Run(e.to_string());
        let encodings = self.tokenizer.encode_batch(texts.to_vec(), true).map_err(|e| run(&e))?;
        let ids: Vec<Vec<u32>> = encodings.iter().map(|e| e.get_ids().to_vec()).collect();
        let mask: Vec<Vec<u32>> = encodings.iter().map(|e| e.get_attention_mask().to_vec()).collect();
        let ids = Tensor::new(ids, &Device::Cpu).map_err(|e| run(&e))?;
        let mask = Tensor::new(mask, &Device::Cpu).map_err(|e| run(&e))?;
        let types = ids.zeros_like().map_err(|e| run(&e))?;
        let out = self.bert.forward(&ids, &types, Some(&mask)).map_err(|e| run(&e))?;
        // Mean of the token vectors the mask keeps, then unit length.
        let pooled = (|| {
            let mask = mask.to_dtype(DType::F32)?.unsqueeze(2)?;
            let sum = out.broadcast_mul(&mask)?.sum(1)?;
            let count = mask.sum(1)?.clamp(1e-9, f64::MAX)?;
            let mean = sum.broadcast_div(&count)?;
            let norm = mean.sqr()?.sum_keepdim(D::Minus1)?.sqrt()?.clamp(1e-12, f64::MAX)?;
            mean.broadcast_div(&norm)?.to_vec2::<f32>()
        })()
        .map_err(|e| run(&e))?;
        Ok(pooled.into_iter().map(Vector).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_meanings_are_close() {
        let model = Model::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("model")).unwrap();
        let v = model
            .embed(&["names won't resolve from pods", "DNS lookups fail in the cluster", "disk is full on the node"])
            .unwrap();
        assert_eq!(v.len(), 3);
        assert!((v[0].cosine(&v[0]) - 1.0).abs() < 1e-4, "unit length");
        assert!(v[0].cosine(&v[1]) > v[0].cosine(&v[2]) + 0.1, "{} {}", v[0].cosine(&v[1]), v[0].cosine(&v[2]));
        // One text alone gives the same vector as in a batch (padding is masked out).
        let alone = model.embed(&["disk is full on the node"]).unwrap();
        assert!((alone[0].cosine(&v[2]) - 1.0).abs() < 1e-4);
    }
}

#[cfg(test)]
mod reference {
    use super::*;

    /// The figures sentence-transformers' semantic search example prints for this model
    /// (sbert.net, "Semantic Search", all-MiniLM-L6-v2): the float16 weights and this code
    /// give them to two decimals.
    #[test]
    fn the_published_example_scores() {
        let model = Model::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("model")).unwrap();
        let query = &model.embed(&["A man is eating pasta."]).unwrap()[0];
        let corpus = [
            ("A man is eating food.", 0.7035),
            ("A man is eating a piece of bread.", 0.5272),
            ("A man is riding a horse.", 0.1889),
            ("A man is riding a white horse on an enclosed ground.", 0.1047),
        ];
        let texts: Vec<&str> = corpus.iter().map(|c| c.0).collect();
        let got: Vec<f32> = model.embed(&texts).unwrap().iter().map(|v| v.cosine(query)).collect();
        for ((text, want), got) in corpus.iter().zip(&got) {
            eprintln!("{text}: {got:.4} (published {want})");
        }
        for ((_, want), got) in corpus.iter().zip(&got) {
            assert!((got - want).abs() < 0.01, "{got:?}");
        }
    }
}
