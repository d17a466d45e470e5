//! The one table of keys: for each place a key can arrive (`KeyContext`), which keys do what,
//! how the help writes them and what it says, and the short form a footer shows. The keymap
//! (`keymap::action_for`), the help overlay and every footer and hint line are made from it,
//! so a key cannot exist without its help line, nor a hint name a key that does something
//! else.

use crossterm::event::KeyCode;

use super::action::{Action, Edit};

/// Where a key arrives; decides what it means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyContext {
    /// The search screen: printable keys type into the query.
    Search,
    Guide,
    /// A one-line input is open (find in page, a note): printable keys type into it.
    TextInput,
    /// A list overlay (outline, problems): move and choose.
    List,
    /// An overlay that only shows text (help, escalation).
    Info,
    /// The risky-step confirmation.
    Confirm,
    /// The command view: a command alone, scrolled both ways.
    Command,
    /// "Quit with steps not done?": `y` or a second `q` quits.
    QuitConfirm,
    /// The offer to resume an earlier session: Enter or `y` takes it up, `n` or Esc not now,
    /// `d` twice drops it.
    Offer,
}

impl KeyContext {
    /// Every place a key can arrive (for tests that walk them all).
    #[cfg(test)]
    pub(crate) const ALL: [KeyContext; 9] = [
        KeyContext::Search,
        KeyContext::Guide,
        KeyContext::TextInput,
        KeyContext::List,
        KeyContext::Info,
        KeyContext::Confirm,
        KeyContext::Command,
        KeyContext::QuitConfirm,
        KeyContext::Offer,
    ];
}

/// A key as the table writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Key {
    /// A character typed without Ctrl (Shift allowed: `C`, `?`, `|`).
    Char(char),
    Ctrl(char),
    Code(KeyCode),
    /// `1` to `9`: the answer of that number.
    Digit,
    /// Any other character typed without Ctrl: text for the input.
    Text,
}

/// What a key does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Does {
    Act(Action),
    /// `Action::Answer` of the digit.
    Answer,
    /// `Edit::Insert` of the character.
    Type,
}

/// One line of the help: its keys with what each does, how the help writes them, what it
/// says, and a footer's short forms.
#[derive(Debug)]
pub(crate) struct Binding {
    pub keys: &'static [(Key, Does)],
    /// The keys as the help writes them (`↑ ↓  Ctrl-P Ctrl-N`).
    pub label: &'static str,
    /// The keys as a footer writes them (`↑↓`).
    pub short: &'static str,
    pub help: &'static str,
}

const fn act(key: Key, action: Action) -> (Key, Does) {
    (key, Does::Act(action))
}

const fn code(c: KeyCode, action: Action) -> (Key, Does) {
    (Key::Code(c), Does::Act(action))
}

const fn b(keys: &'static [(Key, Does)], label: &'static str, short: &'static str, help: &'static str) -> Binding {
    Binding { keys, label, short, help }
}

/// Everywhere, after the place's own table.
const EVERYWHERE: &[Binding] = &[
    b(&[act(Key::Ctrl('c'), Action::Quit)], "Ctrl-C", "Ctrl-C", "quit"),
    b(&[act(Key::Ctrl('z'), Action::Suspend)], "Ctrl-Z", "Ctrl-Z", "suspend to your shell; fg comes back here"),
    b(
        &[
            code(KeyCode::Up, Action::Up),
            code(KeyCode::Down, Action::Down),
            act(Key::Ctrl('p'), Action::Up),
            act(Key::Ctrl('n'), Action::Down),
        ],
        "↑ ↓  Ctrl-P Ctrl-N",
        "↑↓",
        "move",
    ),
    b(
        &[code(KeyCode::PageUp, Action::PageUp), code(KeyCode::PageDown, Action::PageDown)],
        "PgUp PgDn",
        "PgUp/PgDn",
        "scroll a page",
    ),
    b(&[code(KeyCode::Enter, Action::Activate)], "Enter", "Enter", "choose"),
    b(&[code(KeyCode::Esc, Action::Escape)], "Esc", "Esc", "close"),
    b(&[code(KeyCode::F(1), Action::Help)], "F1", "F1", "help"),
    b(&[code(KeyCode::F(3), Action::Systems)], "F3", "F3", "systems: owners, dependencies, runbooks"),
];

const SEARCH: &[Binding] = &[
    b(&[(Key::Text, Does::Type)], "type", "type", "describe what you see; results update as you type"),
    b(
        &[
            code(KeyCode::Up, Action::Up),
            code(KeyCode::Down, Action::Down),
            act(Key::Ctrl('p'), Action::Up),
            act(Key::Ctrl('n'), Action::Down),
        ],
        "↑ ↓  Ctrl-P Ctrl-N",
        "↑↓",
        "move through results",
    ),
    b(&[code(KeyCode::Enter, Action::Activate)], "Enter", "Enter", "open the selected runbook"),
    b(&[code(KeyCode::Esc, Action::Escape)], "Esc", "Esc", "clear the search; quit when it is empty"),
    b(&[act(Key::Ctrl('e'), Action::Escalation)], "Ctrl-E", "Ctrl-E", "who to escalate to for the selected runbook"),
    b(
        &[code(KeyCode::F(2), Action::Problems), act(Key::Ctrl('x'), Action::Problems)],
        "F2 / Ctrl-X",
        "F2",
        "problems found while loading runbooks",
    ),
    b(
        &[code(KeyCode::F(3), Action::Systems), act(Key::Ctrl('t'), Action::Systems)],
        "F3 / Ctrl-T",
        "F3",
        "systems: owners, dependencies, runbooks",
    ),
    b(&[code(KeyCode::F(4), Action::Alerts)], "F4", "F4", "the alerts brought in (runbook alert, or pasted)"),
    b(&[code(KeyCode::F(1), Action::Help)], "F1", "F1", "this help"),
    b(&EDITING, "← → Home End ⌫ Del", "←→", "move in the query, delete"),
    b(&[act(Key::Ctrl('u'), Action::Edit(Edit::Clear))], "Ctrl-U", "Ctrl-U", "clear the query"),
    b(&[act(Key::Ctrl('w'), Action::Edit(Edit::DeleteWord))], "Ctrl-W", "Ctrl-W", "delete the word before the cursor"),
    b(&[act(Key::Ctrl('a'), Action::Edit(Edit::Home))], "Ctrl-A", "Ctrl-A", "to the start of the query"),
];

/// Moving and deleting in a one-line input.
const EDITING: [(Key, Does); 6] = [
    code(KeyCode::Left, Action::Edit(Edit::Left)),
    code(KeyCode::Right, Action::Edit(Edit::Right)),
    code(KeyCode::Home, Action::Edit(Edit::Home)),
    code(KeyCode::End, Action::Edit(Edit::End)),
    code(KeyCode::Backspace, Action::Edit(Edit::Backspace)),
    code(KeyCode::Delete, Action::Edit(Edit::Delete)),
];

const TEXT_INPUT: &[Binding] = &[
    b(&[(Key::Text, Does::Type)], "type", "type", "the text"),
    b(&[code(KeyCode::Enter, Action::Activate)], "Enter", "Enter", "done"),
    b(&[code(KeyCode::Esc, Action::Escape)], "Esc", "Esc", "cancel"),
    b(&EDITING, "← → Home End ⌫ Del", "←→", "move in the text, delete"),
    b(&[act(Key::Ctrl('u'), Action::Edit(Edit::Clear))], "Ctrl-U", "Ctrl-U", "clear it"),
    b(&[act(Key::Ctrl('w'), Action::Edit(Edit::DeleteWord))], "Ctrl-W", "Ctrl-W", "delete the word before the cursor"),
    b(
        &[act(Key::Ctrl('a'), Action::Edit(Edit::Home)), act(Key::Ctrl('e'), Action::Edit(Edit::End))],
        "Ctrl-A Ctrl-E",
        "Ctrl-A",
        "to the start, to the end",
    ),
];

const GUIDE: &[Binding] = &[
    b(&[(Key::Digit, Does::Answer)], "1-9", "1-9", "take that answer"),
    b(
        &[
            code(KeyCode::Up, Action::Up),
            code(KeyCode::Down, Action::Down),
            act(Key::Char('k'), Action::Up),
            act(Key::Char('j'), Action::Down),
            act(Key::Ctrl('p'), Action::Up),
            act(Key::Ctrl('n'), Action::Down),
        ],
        "↑ ↓  k j",
        "↑↓",
        "select an answer or step",
    ),
    b(&[code(KeyCode::Enter, Action::Activate)], "Enter", "Enter", "take the answer, check the step, or go on"),
    b(&[act(Key::Char(' '), Action::Toggle)], "Space", "Space", "check / uncheck the selected step"),
    b(
        &[act(Key::Char('c'), Action::Copy), act(Key::Char('y'), Action::Copy)],
        "c  y",
        "c",
        "copy the step's command (tmux's buffer inside tmux, else OSC 52)",
    ),
    b(
        &[act(Key::Char('C'), Action::CopyWithNewValues)],
        "C",
        "C",
        "copy it with new values for its inputs (a second run)",
    ),
    b(&[act(Key::Char('w'), Action::ShowCommand)], "w", "w", "show the command alone, to read or select by hand"),
    b(&[act(Key::Char('!'), Action::Shell)], "!", "!", "your shell here, the command one Up arrow away; exit returns"),
    b(
        &[act(Key::Char('|'), Action::ShellPane)],
        "|",
        "|",
        "inside tmux: a shell pane beside this one; c types into it",
    ),
    b(&[code(KeyCode::Backspace, Action::Back)], "⌫ Backspace", "⌫", "go back one step (across runbooks)"),
    b(
        &[
            code(KeyCode::Left, Action::PrevSection),
            code(KeyCode::Right, Action::NextSection),
            act(Key::Char('h'), Action::PrevSection),
            act(Key::Char('l'), Action::NextSection),
        ],
        "← →  h l",
        "←→",
        "previous / next section",
    ),
    b(
        &[code(KeyCode::Tab, Action::NextLink), code(KeyCode::BackTab, Action::PrevLink)],
        "Tab ⇧Tab",
        "Tab",
        "move between the links in the text; Enter follows one",
    ),
    b(&[act(Key::Char('o'), Action::Outline)], "o", "o", "outline: all sections, visited ones marked"),
    b(&[act(Key::Char('v'), Action::Verify)], "v", "v", "jump to Verify"),
    b(&[act(Key::Char('r'), Action::Rollback)], "r", "r", "jump to Rollback"),
    b(
        &[act(Key::Char('e'), Action::Escalation)],
        "e",
        "e",
        "who to escalate to, and when; h there shows the handoff report",
    ),
    b(
        &[act(Key::Char('t'), Action::Systems), code(KeyCode::F(3), Action::Systems)],
        "t  F3",
        "t",
        "this runbook's system: its owner and dependencies",
    ),
    b(&[code(KeyCode::F(4), Action::Alerts)], "F4", "F4", "the alerts brought in, to work on another"),
    b(
        &[code(KeyCode::PageUp, Action::PageUp), code(KeyCode::PageDown, Action::PageDown)],
        "PgUp PgDn",
        "PgUp/PgDn",
        "scroll a page",
    ),
    b(
        &[
            code(KeyCode::Home, Action::Top),
            code(KeyCode::End, Action::Bottom),
            act(Key::Char('g'), Action::Top),
            act(Key::Char('G'), Action::Bottom),
        ],
        "g G  Home End",
        "g G",
        "to the top / the bottom",
    ),
    b(
        &[
            act(Key::Char('/'), Action::Find),
            act(Key::Char(']'), Action::FindNext),
            act(Key::Char('['), Action::FindPrev),
        ],
        "/  ]  [",
        "/",
        "find text in this runbook, next, previous",
    ),
    b(&[act(Key::Char('n'), Action::Note)], "n", "n", "write a note into the session journal"),
    b(&[act(Key::Char('s'), Action::NewSearch)], "s", "s", "a new search"),
    b(&[code(KeyCode::Esc, Action::Escape)], "Esc", "Esc", "back to the results"),
    b(&[act(Key::Char('?'), Action::Help), code(KeyCode::F(1), Action::Help)], "?  F1", "?", "this help"),
    b(&[act(Key::Ctrl('z'), Action::Suspend)], "Ctrl-Z", "Ctrl-Z", "suspend to your shell; fg comes back here"),
    b(
        &[act(Key::Char('q'), Action::Quit), act(Key::Ctrl('c'), Action::Quit)],
        "q  Ctrl-C",
        "q",
        "quit (asks once if a procedure's steps are not done)",
    ),
];

/// Scrolling text and lists in an overlay.
const SCROLL: [(Key, Does); 6] = [
    act(Key::Char('k'), Action::Up),
    act(Key::Char('j'), Action::Down),
    code(KeyCode::Home, Action::Top),
    code(KeyCode::End, Action::Bottom),
    act(Key::Char('g'), Action::Top),
    act(Key::Char('G'), Action::Bottom),
];

const LIST: &[Binding] = &[
    b(&SCROLL, "k j  g G", "↑↓", "move, to the top, to the bottom"),
    b(&[code(KeyCode::Enter, Action::Activate)], "Enter", "Enter", "open"),
    b(
        &[
            code(KeyCode::Esc, Action::Escape),
            act(Key::Char('q'), Action::Escape),
            act(Key::Char('?'), Action::Escape),
            code(KeyCode::Backspace, Action::Escape),
        ],
        "Esc  q",
        "Esc",
        "close",
    ),
];

const INFO: &[Binding] = &[
    b(&SCROLL, "k j  g G", "↑↓", "scroll, to the top, to the bottom"),
    b(&[act(Key::Char('c'), Action::Copy), act(Key::Char('y'), Action::Copy)], "c  y", "c", "copy"),
    b(&[act(Key::Char('h'), Action::Handoff)], "h", "h", "the handoff report"),
    b(
        &[
            code(KeyCode::Esc, Action::Escape),
            act(Key::Char('q'), Action::Escape),
            act(Key::Char('?'), Action::Escape),
            code(KeyCode::Backspace, Action::Escape),
        ],
        "Esc  q",
        "Esc",
        "close",
    ),
];

const COMMAND: &[Binding] = &[
    b(
        &[
            code(KeyCode::Left, Action::ScrollLeft),
            code(KeyCode::Right, Action::ScrollRight),
            act(Key::Char('h'), Action::ScrollLeft),
            act(Key::Char('l'), Action::ScrollRight),
        ],
        "← →  h l",
        "←→",
        "scroll a long line",
    ),
    b(&SCROLL, "k j  g G", "↑↓", "scroll, to the top, to the bottom"),
    b(&[act(Key::Char('c'), Action::Copy), act(Key::Char('y'), Action::Copy)], "c  y", "c", "copy"),
    b(
        &[
            code(KeyCode::Esc, Action::Escape),
            act(Key::Char('q'), Action::Escape),
            act(Key::Char('w'), Action::Escape),
            code(KeyCode::Backspace, Action::Escape),
        ],
        "Esc  q  w",
        "Esc",
        "back",
    ),
];

const CONFIRM: &[Binding] = &[
    b(
        &[act(Key::Char('y'), Action::Confirm), act(Key::Char('Y'), Action::Confirm)],
        "y",
        "y",
        "I understand, mark it done",
    ),
    b(
        &[
            code(KeyCode::Esc, Action::Escape),
            act(Key::Char('n'), Action::Escape),
            act(Key::Char('N'), Action::Escape),
            act(Key::Char('q'), Action::Escape),
        ],
        "Esc  n",
        "Esc",
        "cancel",
    ),
    b(&[act(Key::Char('c'), Action::Copy)], "c", "c", "copy the command"),
    b(&[act(Key::Char('w'), Action::ShowCommand)], "w", "w", "the whole command"),
    b(&[act(Key::Char('r'), Action::Rollback)], "r", "r", "the Rollback section"),
    b(&[act(Key::Char('k'), Action::Up), act(Key::Char('j'), Action::Down)], "k j", "↑↓", "scroll"),
];

const QUIT_CONFIRM: &[Binding] = &[
    b(
        &[
            act(Key::Char('y'), Action::Confirm),
            act(Key::Char('Y'), Action::Confirm),
            act(Key::Char('q'), Action::Confirm),
        ],
        "y  q",
        "y",
        "quit",
    ),
    b(
        &[code(KeyCode::Esc, Action::Escape), act(Key::Char('n'), Action::Escape), act(Key::Char('N'), Action::Escape)],
        "Esc  n",
        "Esc",
        "stay",
    ),
];

const OFFER: &[Binding] = &[
    b(
        &[
            code(KeyCode::Enter, Action::Activate),
            act(Key::Char('y'), Action::Confirm),
            act(Key::Char('Y'), Action::Confirm),
        ],
        "Enter  y",
        "Enter",
        "resume",
    ),
    b(
        &[act(Key::Char('d'), Action::Drop), act(Key::Char('D'), Action::Drop)],
        "d d",
        "d d",
        "drop it (d twice): never offered again",
    ),
    b(
        &[
            code(KeyCode::Esc, Action::Escape),
            act(Key::Char('n'), Action::Escape),
            act(Key::Char('N'), Action::Escape),
            act(Key::Char('q'), Action::Escape),
        ],
        "n  Esc",
        "n",
        "not now",
    ),
    b(&[(Key::Text, Does::Type)], "other keys", "other", "nothing: the offer stays until you answer it"),
];

/// The table of a place (without `EVERYWHERE`).
pub fn table(cx: KeyContext) -> &'static [Binding] {
    match cx {
        KeyContext::Search => SEARCH,
        KeyContext::Guide => GUIDE,
        KeyContext::TextInput => TEXT_INPUT,
        KeyContext::List => LIST,
        KeyContext::Info => INFO,
        KeyContext::Confirm => CONFIRM,
        KeyContext::Command => COMMAND,
        KeyContext::QuitConfirm => QUIT_CONFIRM,
        KeyContext::Offer => OFFER,
    }
}

/// Every binding a key is looked up in, the place's first.
pub(crate) fn bindings(cx: KeyContext) -> impl Iterator<Item = &'static Binding> {
    table(cx).iter().chain(EVERYWHERE)
}

/// The help of a place: its own lines, then those that hold everywhere and are not its own
/// (each as keys and what they do).
pub(crate) fn help(cx: KeyContext) -> Vec<(&'static str, &'static str)> {
    let own = table(cx);
    let covered = |k: &Key| own.iter().any(|b| b.keys.iter().any(|(o, _)| o == k));
    let rest = EVERYWHERE.iter().filter(|b| !b.keys.iter().all(|(k, _)| covered(k)));
    own.iter().chain(rest).map(|b| (b.label, b.help)).collect()
}

/// A footer's or a hint line's pairs: each action's short key (from the place's table) with
/// what the screen says it does there. An action no key of the place does is left out.
pub(crate) fn hints<'a>(cx: KeyContext, wanted: &[(Action, &'a str)]) -> Vec<(&'static str, &'a str)> {
    let pairs: Vec<_> = wanted.iter().filter_map(|&(action, what)| Some((short(cx, action)?, what))).collect();
    debug_assert_eq!(pairs.len(), wanted.len(), "a hint names an action no key of {cx:?} does: {wanted:?}");
    pairs
}

/// The short form of the keys that do `action` here.
pub(crate) fn short(cx: KeyContext, action: Action) -> Option<&'static str> {
    let does = |d: &Does| match (d, action) {
        (Does::Act(a), _) => *a == action,
        (Does::Answer, Action::Answer(_)) => true,
        (Does::Type, Action::Edit(Edit::Insert(_))) => true,
        _ => false,
    };
    bindings(cx).find(|b| b.keys.iter().any(|(_, d)| does(d))).map(|b| b.short)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_has_its_help_line_and_no_key_means_two_things_in_one_place() {
        for cx in KeyContext::ALL {
            let mut seen: Vec<Key> = Vec::new();
            for b in table(cx) {
                assert!(!b.help.is_empty() && !b.label.is_empty() && !b.short.is_empty(), "{cx:?}: {b:?}");
                for (key, _) in b.keys {
                    assert!(!seen.contains(key), "{cx:?}: {key:?} is bound twice");
                    seen.push(*key);
                }
            }
        }
    }
}
