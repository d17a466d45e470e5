//! The help overlay: the keys of the screen you are on, from the one table of keys.

use ratatui::text::{Line, Span};

use crate::tui::keymap::KeyContext;
use crate::tui::keys;
use crate::tui::layout::Screen;
use crate::tui::theme::Theme;

/// Narrower than this, a key goes on its own line above what it does.
const SIDE_BY_SIDE: usize = 60;

pub(crate) fn lines(t: Theme, screen: Screen, width: usize) -> Vec<Line<'static>> {
    let cx = match screen {
        Screen::Search => KeyContext::Search,
        Screen::Guide => KeyContext::Guide,
    };
    let mut keys: Vec<(&str, &str)> = keys::help(cx);
    if screen == Screen::Search {
        keys.push(("paste", "pasted text (an alert, an error) becomes the search"));
    }
    let mut out: Vec<Line<'static>> = Vec::new();
    for (k, what) in &keys {
        if width >= SIDE_BY_SIDE {
            out.push(Line::from(vec![Span::styled(format!("{k:<20}"), t.key()), Span::raw((*what).to_owned())]));
        } else {
            out.push(Line::styled((*k).to_owned(), t.key()));
            out.push(Line::raw(format!("    {what}")));
        }
    }
    out.push(Line::raw(""));
    out.push(Line::styled("The tool never runs commands: it shows and copies them.", t.dim()));
    out.push(Line::styled("Esc closes this help.", t.dim()));
    out
}
