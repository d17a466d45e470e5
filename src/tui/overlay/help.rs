//! The help overlay: the keys of the screen you are on.

use ratatui::text::{Line, Span};

use crate::tui::layout::Screen;
use crate::tui::theme::Theme;

/// Narrower than this, a key goes on its own line above what it does.
const SIDE_BY_SIDE: usize = 60;

pub fn lines(t: Theme, screen: Screen, width: usize) -> Vec<Line<'static>> {
    let keys: &[(&str, &str)] = match screen {
        Screen::Search => &[
            ("type", "describe what you see; results update as you type"),
            ("↑ ↓  Ctrl-P Ctrl-N", "move through results"),
            ("Enter", "open the selected runbook"),
            ("Esc", "clear the search; quit when it is empty"),
            ("Ctrl-E", "who to escalate to for the selected runbook"),
            ("F2 / Ctrl-X", "problems found while loading runbooks"),
            ("F3 / Ctrl-T", "systems: owners, dependencies, runbooks"),
            ("F1", "this help"),
            ("paste", "pasted text (an alert, an error) becomes the search"),
            ("Ctrl-Z", "suspend to your shell; fg comes back here"),
            ("Ctrl-C", "quit"),
        ],
        Screen::Guide => &[
            ("1-9", "take that answer"),
            ("↑ ↓  Enter", "select an answer or step; Enter takes or checks it"),
            ("Space", "check / uncheck the selected step"),
            ("c", "copy the step's command (tmux's buffer inside tmux, else OSC 52)"),
            ("C", "copy it with new values for its inputs (a second run)"),
            ("w", "show the command alone, to read or select by hand"),
            ("!", "your shell here, the command one Up arrow away; exit returns"),
            ("|", "inside tmux: a shell pane beside this one; c types into it"),
            ("⌫ Backspace", "go back one step (across runbooks)"),
            ("← →", "previous / next section"),
            ("Tab ⇧Tab  Enter", "move between the links in the text; Enter follows one"),
            ("o", "outline: all sections, visited ones marked"),
            ("v  r", "jump to Verify / Rollback"),
            ("e", "who to escalate to, and when; h there shows the handoff report"),
            ("t  F3", "this runbook's system: its owner and dependencies"),
            ("PgUp PgDn  g G", "scroll"),
            ("/  ]  [", "find text in this runbook, next, previous"),
            ("n", "write a note into the session journal"),
            ("s  Esc", "new search / back to results"),
            ("Ctrl-Z", "suspend to your shell; fg comes back here"),
            ("q  Ctrl-C", "quit (asks once if a procedure's steps are not done)"),
        ],
    };
    let mut out: Vec<Line<'static>> = Vec::new();
    for (k, what) in keys {
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
