//! The terminal's modes while the TUI owns it (raw input, the alternate screen, bracketed
//! paste, a hidden cursor) and giving them back: on quit, on a panic, before a shell (`!`)
//! and before stopping for Ctrl-Z. ratatui's restore leaves bracketed paste on, so the modes
//! are switched here, both ways, in one place.

use std::io::Write;

use crossterm::event::{DisableBracketedPaste, EnableBracketedPaste};
use crossterm::terminal::{EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode};
use crossterm::{cursor, execute};

/// Take the terminal: raw input, the alternate screen, pastes marked as pastes.
pub(crate) fn enter() -> std::io::Result<()> {
    enable_raw_mode()?;
    let mut out = std::io::stdout();
    execute!(out, EnterAlternateScreen, EnableBracketedPaste)?;
    out.flush()
}

/// Give the terminal back as it was found. Each step is tried even when one before failed
/// (a terminal that went away fails them all; there is nobody to tell).
pub(crate) fn leave() -> std::io::Result<()> {
    let mut out = std::io::stdout();
    let paste = execute!(out, DisableBracketedPaste);
    let screen = execute!(out, LeaveAlternateScreen, cursor::Show);
    let raw = disable_raw_mode();
    let _ = out.flush();
    paste.and(screen).and(raw)
}

/// Chain a hook that gives the terminal back before a panic on the main thread is printed
/// (`next` prints it). Used once, when the terminal is first taken.
pub(crate) fn restore_on_panic(next: Box<dyn Fn(&std::panic::PanicHookInfo<'_>) + Send + Sync>) {
    std::panic::set_hook(Box::new(move |info| {
        let _ = leave();
        next(info);
    }));
}
