//! Keys -> actions, per screen. Pure: no state but the screen the key arrives in, so every
//! binding is tested without a terminal.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

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
    /// `d` drops it.
    Offer,
}

pub fn action_for(key: KeyEvent, cx: KeyContext) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    if ctrl && matches!(key.code, KeyCode::Char('c')) {
        return Some(Action::Quit);
    }
    if ctrl && matches!(key.code, KeyCode::Char('z')) {
        return Some(Action::Suspend);
    }
    // Keys that mean the same on every screen.
    match key.code {
        KeyCode::Up => return Some(Action::Up),
        KeyCode::Down => return Some(Action::Down),
        KeyCode::PageUp => return Some(Action::PageUp),
        KeyCode::PageDown => return Some(Action::PageDown),
        KeyCode::Esc => return Some(Action::Escape),
        KeyCode::Enter => return Some(Action::Activate),
        KeyCode::F(1) => return Some(Action::Help),
        KeyCode::F(3) => return Some(Action::Systems),
        KeyCode::Char('p') if ctrl => return Some(Action::Up),
        KeyCode::Char('n') if ctrl => return Some(Action::Down),
        _ => {}
    }
    match cx {
        KeyContext::Search | KeyContext::TextInput => text_key(key, ctrl, cx),
        KeyContext::Guide => guide_key(key),
        KeyContext::List | KeyContext::Info => match key.code {
            KeyCode::Char('q') | KeyCode::Char('?') | KeyCode::Backspace => Some(Action::Escape),
            KeyCode::Char('k') => Some(Action::Up),
            KeyCode::Char('j') => Some(Action::Down),
            KeyCode::Home | KeyCode::Char('g') => Some(Action::Top),
            KeyCode::End | KeyCode::Char('G') => Some(Action::Bottom),
            KeyCode::Char('c') | KeyCode::Char('y') if cx == KeyContext::Info => Some(Action::Copy),
            KeyCode::Char('h') if cx == KeyContext::Info => Some(Action::Handoff),
            _ => None,
        },
        KeyContext::Command => match key.code {
            KeyCode::Left | KeyCode::Char('h') => Some(Action::ScrollLeft),
            KeyCode::Right | KeyCode::Char('l') => Some(Action::ScrollRight),
            KeyCode::Home | KeyCode::Char('g') => Some(Action::Top),
            KeyCode::End | KeyCode::Char('G') => Some(Action::Bottom),
            KeyCode::Char('k') => Some(Action::Up),
            KeyCode::Char('j') => Some(Action::Down),
            KeyCode::Char('c') | KeyCode::Char('y') => Some(Action::Copy),
            KeyCode::Char('q') | KeyCode::Char('w') | KeyCode::Backspace => Some(Action::Escape),
            _ => None,
        },
        KeyContext::Offer => match key.code {
            KeyCode::Char('y') | KeyCode::Char('Y') => Some(Action::Confirm),
            KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Char('q') => Some(Action::Escape),
            KeyCode::Char('d') | KeyCode::Char('D') => Some(Action::Drop),
            _ => None,
        },
        KeyContext::QuitConfirm => match key.code {
            KeyCode::Char('y') | KeyCode::Char('Y') | KeyCode::Char('q') => Some(Action::Confirm),
            KeyCode::Char('n') | KeyCode::Char('N') => Some(Action::Escape),
            _ => None,
        },
        KeyContext::Confirm => match key.code {
            KeyCode::Char('y') | KeyCode::Char('Y') => Some(Action::Confirm),
            KeyCode::Char('n') | KeyCode::Char('N') | KeyCode::Char('q') => Some(Action::Escape),
            KeyCode::Char('r') => Some(Action::Rollback),
            KeyCode::Char('c') => Some(Action::Copy),
            KeyCode::Char('w') => Some(Action::ShowCommand),
            KeyCode::Char('k') => Some(Action::Up),
            KeyCode::Char('j') => Some(Action::Down),
            _ => None,
        },
    }
}

fn text_key(key: KeyEvent, ctrl: bool, cx: KeyContext) -> Option<Action> {
    let edit = match key.code {
        KeyCode::Char('u') if ctrl => Edit::Clear,
        KeyCode::Char('w') if ctrl => Edit::DeleteWord,
        KeyCode::Char('a') if ctrl => Edit::Home,
        KeyCode::Char('e') if ctrl && cx == KeyContext::Search => return Some(Action::Escalation),
        KeyCode::Char('e') if ctrl => Edit::End,
        KeyCode::Char('x') if ctrl && cx == KeyContext::Search => return Some(Action::Problems),
        KeyCode::F(2) if cx == KeyContext::Search => return Some(Action::Problems),
        KeyCode::Char('t') if ctrl && cx == KeyContext::Search => return Some(Action::Systems),
        KeyCode::Char(c) if !ctrl => Edit::Insert(c),
        KeyCode::Backspace => Edit::Backspace,
        KeyCode::Delete => Edit::Delete,
        KeyCode::Left => Edit::Left,
        KeyCode::Right => Edit::Right,
        KeyCode::Home => Edit::Home,
        KeyCode::End => Edit::End,
        _ => return None,
    };
    Some(Action::Edit(edit))
}

fn guide_key(key: KeyEvent) -> Option<Action> {
    Some(match key.code {
        KeyCode::Char(c @ '1'..='9') => Action::Answer(c as usize - '1' as usize),
        KeyCode::Backspace => Action::Back,
        KeyCode::Char(' ') => Action::Toggle,
        KeyCode::Char('k') => Action::Up,
        KeyCode::Char('j') => Action::Down,
        KeyCode::Home | KeyCode::Char('g') => Action::Top,
        KeyCode::End | KeyCode::Char('G') => Action::Bottom,
        KeyCode::Right | KeyCode::Char('l') => Action::NextSection,
        KeyCode::Left | KeyCode::Char('h') => Action::PrevSection,
        KeyCode::Char('o') => Action::Outline,
        KeyCode::Char('e') => Action::Escalation,
        KeyCode::Char('t') => Action::Systems,
        KeyCode::Char('?') => Action::Help,
        KeyCode::Char('c') | KeyCode::Char('y') => Action::Copy,
        KeyCode::Char('r') => Action::Rollback,
        KeyCode::Char('v') => Action::Verify,
        KeyCode::Char('s') => Action::NewSearch,
        KeyCode::Char('/') => Action::Find,
        KeyCode::Char(']') => Action::FindNext,
        KeyCode::Char('[') => Action::FindPrev,
        KeyCode::Char('n') => Action::Note,
        KeyCode::Tab => Action::NextLink,
        KeyCode::BackTab => Action::PrevLink,
        KeyCode::Char('q') => Action::Quit,
        KeyCode::Char('!') => Action::Shell,
        KeyCode::Char('|') => Action::ShellPane,
        KeyCode::Char('w') => Action::ShowCommand,
        KeyCode::Char('C') => Action::CopyWithNewValues,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    #[test]
    fn ctrl_c_quits_and_ctrl_z_suspends_everywhere() {
        for cx in [
            KeyContext::Search,
            KeyContext::Guide,
            KeyContext::TextInput,
            KeyContext::List,
            KeyContext::Info,
            KeyContext::Confirm,
            KeyContext::Command,
            KeyContext::QuitConfirm,
            KeyContext::Offer,
        ] {
            assert_eq!(action_for(ctrl('c'), cx), Some(Action::Quit), "{cx:?}");
            assert_eq!(action_for(ctrl('z'), cx), Some(Action::Suspend), "{cx:?}");
        }
    }

    #[test]
    fn letters_type_in_search_but_command_in_guide() {
        assert_eq!(action_for(key(KeyCode::Char('o')), KeyContext::Search), Some(Action::Edit(Edit::Insert('o'))));
        assert_eq!(action_for(key(KeyCode::Char('o')), KeyContext::Guide), Some(Action::Outline));
        assert_eq!(action_for(key(KeyCode::Char('?')), KeyContext::Search), Some(Action::Edit(Edit::Insert('?'))));
        assert_eq!(action_for(key(KeyCode::F(1)), KeyContext::Search), Some(Action::Help));
        assert_eq!(action_for(key(KeyCode::Char('?')), KeyContext::Guide), Some(Action::Help));
    }

    #[test]
    fn movement_keys() {
        assert_eq!(action_for(ctrl('p'), KeyContext::Search), Some(Action::Up));
        assert_eq!(action_for(ctrl('n'), KeyContext::Search), Some(Action::Down));
        assert_eq!(action_for(key(KeyCode::Down), KeyContext::Guide), Some(Action::Down));
        assert_eq!(action_for(key(KeyCode::Char('3')), KeyContext::Guide), Some(Action::Answer(2)));
        assert_eq!(action_for(key(KeyCode::Backspace), KeyContext::Guide), Some(Action::Back));
        assert_eq!(action_for(key(KeyCode::Backspace), KeyContext::Search), Some(Action::Edit(Edit::Backspace)));
    }

    #[test]
    fn escalation_is_one_key_from_the_search_box_too() {
        assert_eq!(action_for(ctrl('e'), KeyContext::Search), Some(Action::Escalation));
        assert_eq!(action_for(key(KeyCode::Char('e')), KeyContext::Guide), Some(Action::Escalation));
    }

    #[test]
    fn confirmation_needs_y() {
        assert_eq!(action_for(key(KeyCode::Char('y')), KeyContext::Confirm), Some(Action::Confirm));
        assert_eq!(action_for(key(KeyCode::Char(' ')), KeyContext::Confirm), None);
        assert_eq!(action_for(key(KeyCode::Enter), KeyContext::Confirm), Some(Action::Activate));
        assert_eq!(action_for(key(KeyCode::Char('r')), KeyContext::Confirm), Some(Action::Rollback));
    }

    #[test]
    fn key_releases_are_ignored() {
        let mut k = key(KeyCode::Char('a'));
        k.kind = KeyEventKind::Release;
        assert_eq!(action_for(k, KeyContext::Search), None);
    }
}
