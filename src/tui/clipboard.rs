//! Copying a command so that it lands, and saying where it went. The route is chosen from the
//! terminal the TUI runs in (or forced by the `copy` setting): inside tmux, tmux's paste
//! buffer (tmux swallows an application's OSC 52 by default); inside GNU screen, OSC 52
//! wrapped in screen's passthrough in short chunks; else OSC 52, which the terminal (even
//! across SSH) may or may not honour. What the status line says is only what is known: a
//! buffer tmux confirmed, or a sequence sent that the terminal may ignore.

use std::io::Write;

use base64::Engine as _;

use crate::config::CopyChoice;

/// Where a copy goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Route {
    Osc52,
    Tmux,
    Screen,
    Off,
}

/// What the route depends on in the environment.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Terminal {
    /// `$TMUX` is set.
    pub tmux: bool,
    /// `$STY` is set (GNU screen).
    pub screen: bool,
}

impl Terminal {
    pub(crate) fn from_process() -> Terminal {
        let set = |k: &str| std::env::var_os(k).is_some_and(|v| !v.is_empty());
        Terminal { tmux: set("TMUX"), screen: set("STY") }
    }
}

impl Route {
    /// The route for a setting in a terminal. tmux is looked at first: screen inside tmux (or
    /// tmux inside screen) is reached through the innermost, and `$TMUX` means tmux is nearest.
    pub(crate) fn choose(choice: CopyChoice, term: Terminal) -> Route {
        match choice {
            CopyChoice::Osc52 => Route::Osc52,
            CopyChoice::Tmux => Route::Tmux,
            CopyChoice::Screen => Route::Screen,
            CopyChoice::None => Route::Off,
            CopyChoice::Auto if term.tmux => Route::Tmux,
            CopyChoice::Auto if term.screen => Route::Screen,
            CopyChoice::Auto => Route::Osc52,
        }
    }
}

/// Copy `text` by `route`; what to tell the responder (where it went and how to paste it),
/// or why it did not go. `what` names the text ("the command", "the report").
pub(crate) fn copy(route: Route, text: &str, what: &str) -> Result<String, String> {
    match route {
        Route::Off => Err(format!("Copying is off (copy = \"none\"): w shows {what} to select by hand")),
        Route::Tmux => super::tmux::load_buffer(text)
            .map(|()| format!("{} is in tmux's paste buffer: prefix ] pastes it", capital(what)))
            .map_err(|why| format!("Not copied: {why}. w shows {what} to select by hand")),
        Route::Osc52 | Route::Screen => {
            let seq = if route == Route::Screen { screen_passthrough(&osc52(text)) } else { osc52(text) };
            let mut out = std::io::stdout();
            out.write_all(seq.as_bytes()).and_then(|()| out.flush()).map_err(|e| format!("Not copied: {e}"))?;
            let via = if route == Route::Screen { " through screen" } else { "" };
            // The terminal never says whether it took it.
            Ok(format!("{} sent to your terminal's clipboard{via} (OSC 52). Not there? w shows it", capital(what)))
        }
    }
}

fn capital(what: &str) -> String {
    let mut c = what.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// The OSC 52 sequence that sets the clipboard to `text` (UTF-8, base64).
pub(crate) fn osc52(text: &str) -> String {
    format!("\x1b]52;c;{}\x07", base64::engine::general_purpose::STANDARD.encode(text.as_bytes()))
}

/// GNU screen passes a DCS string's body to the outer terminal; it takes only short ones, so
/// the sequence is cut into 76-byte pieces, each in its own DCS (as vim-oscyank does).
pub(crate) fn screen_passthrough(seq: &str) -> String {
    let mut out = String::with_capacity(seq.len() + seq.len() / 76 * 4 + 4);
    // The sequence is ASCII (ESC, `]52;c;`, base64, BEL): every byte is a char boundary.
    for chunk in seq.as_bytes().chunks(76) {
        out.push_str("\x1bP");
        out.push_str(&String::from_utf8_lossy(chunk));
        out.push_str("\x1b\\");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_route_follows_the_terminal_unless_forced() {
        let (plain, tmux, screen) =
            (Terminal::default(), Terminal { tmux: true, screen: false }, Terminal { tmux: false, screen: true });
        assert_eq!(Route::choose(CopyChoice::Auto, plain), Route::Osc52);
        assert_eq!(Route::choose(CopyChoice::Auto, tmux), Route::Tmux);
        assert_eq!(Route::choose(CopyChoice::Auto, screen), Route::Screen);
        assert_eq!(Route::choose(CopyChoice::Auto, Terminal { tmux: true, screen: true }), Route::Tmux);
        assert_eq!(Route::choose(CopyChoice::Osc52, tmux), Route::Osc52);
        assert_eq!(Route::choose(CopyChoice::None, tmux), Route::Off);
    }

    #[test]
    fn osc52_carries_utf8() {
        assert_eq!(osc52("é ✓"), "\x1b]52;c;w6kg4pyT\x07");
    }

    #[test]
    fn screen_gets_short_dcs_pieces_that_join_back_to_the_sequence() {
        let seq = osc52(&"systemctl restart myapp ".repeat(20));
        let wrapped = screen_passthrough(&seq);
        let pieces: Vec<&str> = wrapped.split("\x1b\\").filter(|p| !p.is_empty()).collect();
        assert!(pieces.len() > 5);
        let mut joined = String::new();
        for p in pieces {
            let body = p.strip_prefix("\x1bP").unwrap_or_default();
            assert!(!body.is_empty() && body.len() <= 76, "{body:?}");
            joined.push_str(body);
        }
        assert_eq!(joined, seq);
    }
}
