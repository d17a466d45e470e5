//! Runbooks: the model, and the path from files to it (frontmatter, markdown, loading, checks).

mod blocks;
pub mod document;
pub mod frontmatter;
mod headings;
mod inline;
pub mod inputs;
pub mod library;
pub mod model;
mod nesting;
pub mod parse;
pub mod placeholder;
mod steps;
pub mod team;
pub mod validate;

pub use blocks::*;
pub use document::{Origin, parse_bytes, parse_text};
pub use library::Library;
pub use model::*;
pub use nesting::MAX_NESTING;
pub use steps::{item_id, target_of, text_links};
