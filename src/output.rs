//! How CLI output is styled: colour only on a terminal, never with `--no-color` or `NO_COLOR`.
//! Every string that came from a runbook passes through `text::one_line` or the loader's
//! control-character stripping before it is printed.

use std::io::IsTerminal;

/// Whether to colour: the flag, `NO_COLOR`, and whether stdout is a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorMode {
    Always,
    Never,
}

impl ColorMode {
    pub fn detect(no_color_flag: bool) -> ColorMode {
        let env_off = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        if no_color_flag || env_off || !std::io::stdout().is_terminal() { ColorMode::Never } else { ColorMode::Always }
    }

    /// Wrap `text` in an SGR sequence when colouring.
    pub fn paint(self, sgr: &str, text: &str) -> String {
        match self {
            ColorMode::Always => format!("\x1b[{sgr}m{text}\x1b[0m"),
            ColorMode::Never => text.to_owned(),
        }
    }
}

pub const BOLD: &str = "1";
pub const RED: &str = "1;31";
pub const YELLOW: &str = "1;33";
pub const CYAN: &str = "36";
pub const DIM: &str = "2";

/// `value` as pretty JSON on `out`, then a newline. serde_json escapes C0 controls but
/// writes C1 ones (U+0080-U+009F, such as CSI) raw, and a terminal obeys them: they are
/// escaped here too (`\u009b`), which is the same JSON to any reader.
pub fn write_json(out: &mut impl std::io::Write, value: &impl serde::Serialize) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(value).map_err(std::io::Error::other)?;
    let mut safe = String::with_capacity(text.len());
    for c in text.chars() {
        if ('\u{80}'..='\u{9f}').contains(&c) {
            safe.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            safe.push(c);
        }
    }
    writeln!(out, "{safe}")
}
