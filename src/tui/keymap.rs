//! Keys -> actions, per place a key arrives in, read from the one table of keys (`keys`).
//! Pure: no state but the place, so every binding is tested without a terminal.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::action::{Action, Edit};
pub(crate) use super::keys::KeyContext;
use super::keys::{self, Does, Key};

/// What `key` does where it arrives, by the one table of keys (`keys`): the place's own
/// bindings first, then those that hold everywhere.
pub fn action_for(key: KeyEvent, cx: KeyContext) -> Option<Action> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    keys::bindings(cx).flat_map(|b| b.keys.iter()).find_map(|&(k, does)| {
        let typed = match key.code {
            KeyCode::Char(c) => Some(c),
            _ => None,
        };
        let hit = match k {
            Key::Char(c) => typed == Some(c) && !ctrl,
            Key::Ctrl(c) => typed == Some(c) && ctrl,
            Key::Code(code) => key.code == code,
            Key::Digit => typed.is_some_and(|c| matches!(c, '1'..='9')) && !ctrl,
            Key::Text => typed.is_some() && !ctrl,
        };
        if !hit {
            return None;
        }
        Some(match does {
            Does::Act(action) => action,
            Does::Answer => Action::Answer(typed.and_then(|c| c.to_digit(10)).map_or(0, |d| d as usize - 1)),
            Does::Type => Action::Edit(Edit::Insert(typed?)),
        })
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
        for cx in KeyContext::ALL {
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
