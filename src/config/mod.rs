//! Settings for a responder and a jump box: the runbook folders, the name journals and
//! handoff reports carry, colours, and how a copied command reaches the responder. They come
//! from flags, the environment, `$XDG_CONFIG_HOME/runbook/config.toml` (the user's) and `/etc/runbook/config.toml` (the
//! machine's), in that order; `runbook config` prints what is in force and where each value
//! came from. `file` parses one file (the only `toml` user); `settings` applies the precedence.

pub mod file;
pub(crate) mod settings;
#[cfg(test)]
mod tests;

pub(crate) use file::{ColorChoice, CopyChoice};
pub use settings::{Environment, Flags, Folders, Role, Settings, SettingsError, Source, resolve};
