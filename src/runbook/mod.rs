//! Runbooks: the model, and the path from files to it (frontmatter, markdown, loading, checks).

mod blocks;
pub(crate) mod document;
pub mod frontmatter;
mod headings;
mod inline;
pub(crate) mod inputs;
pub mod library;
pub(crate) mod model;
mod nesting;
pub(crate) mod parse;
pub(crate) mod placeholder;
mod steps;
pub(crate) mod team;
pub mod validate;

pub use blocks::*;
pub use document::{Origin, parse_bytes, parse_text};
pub(crate) use library::Library;
pub use model::*;
pub use nesting::MAX_NESTING;
pub use steps::{item_id, target_of, text_links};
