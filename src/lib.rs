//! `runbook`: find the right runbook by symptom and walk through it safely, in the terminal.
//!
//! The data flows one way: files -> [`runbook`] (parse into a typed model, collect problems)
//! -> [`search`] (tantivy index) -> the TUI and CLI commands. The binary is a thin shell over
//! this library so that tests drive the same code a responder does.

pub mod alert;
pub mod commands;
pub mod config;
pub(crate) mod files;
pub(crate) mod graph;
pub mod journal;
pub(crate) mod kit;
pub(crate) mod meaning;
pub mod output;
pub mod plain;
pub mod problem;
pub mod repo;
pub mod runbook;
pub mod search;
pub mod text;
pub mod tui;

pub(crate) use problem::{Level, Problem};
