//! Rendering the parsed model as text. `plain` serves `runbook show` (and anything piped);
//! the TUI renders the same blocks with ratatui styles.

pub mod plain;
