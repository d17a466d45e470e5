//! A paste from a terminal that does not mark pastes (GNU screen 4, some phone clients)
//! arrives as keys, all at once: without this, its newlines would be Enter and its letters
//! commands (a digit answers, `c` copies, `n` writes a note). Keys already waiting together
//! when the first is read, many of them and all text, are taken for what they are: a paste.
//! A person typing, even fast, even over a slow link, leaves the next key for a later read.

use crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

/// How many text keys waiting together make a paste.
pub(crate) const PASTE_KEYS: usize = 8;

/// The text of a key that types (a character, Enter as a newline, Tab), if it is one.
pub(crate) fn typed(e: &Event) -> Option<char> {
    let Event::Key(KeyEvent { code, modifiers, kind: KeyEventKind::Press, .. }) = e else { return None };
    if modifiers.intersects(KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SUPER) {
        return None;
    }
    match code {
        KeyCode::Char(c) => Some(*c),
        KeyCode::Enter => Some('\n'),
        KeyCode::Tab => Some('\t'),
        _ => None,
    }
}

/// Keys read together: a paste when there are `PASTE_KEYS` or more and each types text;
/// otherwise the keys, as they came.
pub(crate) fn settle(keys: Vec<Event>) -> Vec<Event> {
    if keys.len() >= PASTE_KEYS && keys.iter().all(|k| typed(k).is_some()) {
        return vec![Event::Paste(keys.iter().filter_map(typed).collect())];
    }
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> Event {
        Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
    }

    #[test]
    fn many_text_keys_at_once_are_a_paste_a_few_are_keys() {
        let text: Vec<Event> = "[FIRING:1] Disk\n1\ny"
            .chars()
            .map(|c| key(if c == '\n' { KeyCode::Enter } else { KeyCode::Char(c) }))
            .collect();
        assert_eq!(settle(text), vec![Event::Paste("[FIRING:1] Disk\n1\ny".into())]);
        let few: Vec<Event> =
            "dis\n".chars().map(|c| key(if c == '\n' { KeyCode::Enter } else { KeyCode::Char(c) })).collect();
        assert_eq!(settle(few.clone()), few, "typed ahead, not a paste");
        let mut arrows: Vec<Event> = "abcdefgh".chars().map(|c| key(KeyCode::Char(c))).collect();
        arrows.push(key(KeyCode::Down));
        assert_eq!(settle(arrows.clone()), arrows, "a key that types nothing: keys");
        let ctrl = Event::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL));
        assert_eq!(typed(&ctrl), None);
    }
}
