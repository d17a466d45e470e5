//! What a key means, independent of which key it was: the keymap produces these, and
//! `App::update` is the only place that applies them.

/// Editing the one-line text inputs (the search query, find-in-page).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Insert(char),
    Backspace,
    Delete,
    Left,
    Right,
    Home,
    End,
    /// Ctrl-U: clear the line.
    Clear,
    /// Ctrl-W: delete the word before the cursor.
    DeleteWord,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
    Escalation,
    Problems,
    /// F3 (Ctrl-T on search, `t` in a guide): the team file's systems.
    Systems,
    /// F4: the alerts brought in this session (`runbook alert`, or pasted), to pick another.
    Alerts,
    Outline,
    Up,
    Down,
    PageUp,
    PageDown,
    Top,
    Bottom,
    /// Enter: open, choose, confirm the selected thing.
    Activate,
    /// Esc: clear, close, or leave (depends on the screen).
    Escape,
    /// Backspace in a guide: one step back along the path taken.
    Back,
    Edit(Edit),
    /// Keys 1-9 in a guide: take that answer.
    Answer(usize),
    /// Space: check or uncheck the selected step.
    Toggle,
    /// Copy the selected step's command (OSC 52).
    Copy,
    Rollback,
    Verify,
    NextSection,
    PrevSection,
    NewSearch,
    /// Tab / Shift-Tab in a guide: focus the next or previous link of the text.
    NextLink,
    PrevLink,
    Find,
    FindNext,
    FindPrev,
    /// `y` in the risky-step confirmation (and the resume offer).
    Confirm,
    /// `n` in a guide: write a one-line note into the session journal.
    Note,
    /// `h` in the escalation view: show the handoff report.
    Handoff,
    /// Ctrl-Z: give the terminal back to the calling shell until `fg`.
    Suspend,
    /// `!` in a guide: the responder's shell, the selected command ready in its history.
    Shell,
    /// `|` in a guide inside tmux: a shell in a pane beside the guide.
    ShellPane,
    /// `w` in a guide: the selected command alone, to read and select by hand.
    ShowCommand,
    /// `C` in a guide: copy, giving its inputs new values.
    CopyWithNewValues,
    /// `d` on the resume offer: never offer that session again.
    Drop,
    /// Left / Right in the command view: scroll a long line.
    ScrollLeft,
    ScrollRight,
}

/// What to do with a step's command once its inputs are known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandUse {
    Copy,
    /// Copy, asking every input again (prefilled with the value given): a second run of the
    /// command with other values.
    CopyWithNewValues,
    /// Show it alone (the command view).
    Show,
    /// Open a shell with it ready to recall.
    Shell,
}
