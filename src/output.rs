//! How CLI output is styled: colour only on a terminal (unless the config says `always`),
//! never with `--no-color`, `NO_COLOR` or `color = "never"`.
//! Every string that came from a runbook passes through `text::one_line` or the loader's
//! control-character stripping before it is printed.

use std::io::IsTerminal;

use anstyle::{AnsiColor, Color, Style};

use crate::config::ColorChoice;

/// Whether to colour: the flag, `NO_COLOR`, and whether stdout is a terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColorMode {
    Always,
    Never,
}

impl ColorMode {
    /// The configured choice (which already holds `--no-color` and `NO_COLOR`); `auto`
    /// colours only when stdout is a terminal.
    pub(crate) fn detect(choice: ColorChoice) -> ColorMode {
        match choice {
            ColorChoice::Always => ColorMode::Always,
            ColorChoice::Never => ColorMode::Never,
            ColorChoice::Auto if std::io::stdout().is_terminal() => ColorMode::Always,
            ColorChoice::Auto => ColorMode::Never,
        }
    }

    /// `text` in `style` when colouring (its SGR sequences, then a reset), else as it is.
    pub(crate) fn paint(self, style: Style, text: &str) -> String {
        match self {
            ColorMode::Always => format!("{}{text}{}", style.render(), style.render_reset()),
            ColorMode::Never => text.to_owned(),
        }
    }
}

/// A title, a summary line.
pub(crate) const BOLD: Style = Style::new().bold();
/// An error.
pub(crate) const RED: Style = Style::new().bold().fg_color(Some(Color::Ansi(AnsiColor::Red)));
/// A warning, a matched word.
pub(crate) const YELLOW: Style = Style::new().bold().fg_color(Some(Color::Ansi(AnsiColor::Yellow)));
/// What to type next (`id#section`).
pub(crate) const CYAN: Style = Style::new().fg_color(Some(Color::Ansi(AnsiColor::Cyan)));
/// Context (a section's title).
pub(crate) const DIM: Style = Style::new().dimmed();

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colour_only_when_asked_and_always_reset() {
        assert_eq!(ColorMode::Never.paint(RED, "error"), "error");
        assert_eq!(ColorMode::Always.paint(BOLD, "t"), "\x1b[1mt\x1b[0m");
        assert_eq!(ColorMode::Always.paint(RED, "e"), "\x1b[1m\x1b[31me\x1b[0m");
        assert_eq!(ColorMode::Always.paint(YELLOW, "w"), "\x1b[1m\x1b[33mw\x1b[0m");
        assert_eq!(ColorMode::Always.paint(CYAN, "id"), "\x1b[36mid\x1b[0m");
        assert_eq!(ColorMode::Always.paint(DIM, "s"), "\x1b[2ms\x1b[0m");
    }
}
