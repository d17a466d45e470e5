//! A one-line text input with a cursor: the search query and find-in-page. Small enough to
//! keep here rather than pull in a widget crate for two fields.

use super::action::Edit;

/// One line of text with a cursor (counted in chars).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    pub text: String,
    pub cursor: usize,
}

impl TextInput {
    pub(crate) fn new(text: &str) -> TextInput {
        TextInput { text: text.to_owned(), cursor: text.chars().count() }
    }

    fn byte(&self, char_idx: usize) -> usize {
        self.text.char_indices().nth(char_idx).map_or(self.text.len(), |(i, _)| i)
    }

    /// Insert text at the cursor (a paste, already one line); whether anything was inserted.
    pub(crate) fn insert(&mut self, text: &str) -> bool {
        let clean: String = text.chars().filter(|c| !c.is_control()).collect();
        if clean.is_empty() {
            return false;
        }
        let at = self.byte(self.cursor);
        self.text.insert_str(at, &clean);
        self.cursor += clean.chars().count();
        true
    }

    /// Apply an edit; returns whether the text changed.
    pub(crate) fn apply(&mut self, e: Edit) -> bool {
        let len = self.text.chars().count();
        match e {
            Edit::Insert(c) if !c.is_control() => {
                let at = self.byte(self.cursor);
                self.text.insert(at, c);
                self.cursor += 1;
                return true;
            }
            Edit::Insert(_) => {}
            Edit::Backspace if self.cursor > 0 => {
                let at = self.byte(self.cursor - 1);
                self.text.remove(at);
                self.cursor -= 1;
                return true;
            }
            Edit::Delete if self.cursor < len => {
                let at = self.byte(self.cursor);
                self.text.remove(at);
                return true;
            }
            Edit::Backspace | Edit::Delete => {}
            Edit::Left => self.cursor = self.cursor.saturating_sub(1),
            Edit::Right => self.cursor = (self.cursor + 1).min(len),
            Edit::Home => self.cursor = 0,
            Edit::End => self.cursor = len,
            Edit::Clear => {
                let changed = !self.text.is_empty();
                *self = TextInput::default();
                return changed;
            }
            Edit::DeleteWord => {
                let chars: Vec<char> = self.text.chars().collect();
                let mut start = self.cursor;
                while start > 0 && chars[start - 1] == ' ' {
                    start -= 1;
                }
                while start > 0 && chars[start - 1] != ' ' {
                    start -= 1;
                }
                let changed = start < self.cursor;
                let (a, b) = (self.byte(start), self.byte(self.cursor));
                self.text.replace_range(a..b, "");
                self.cursor = start;
                return changed;
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn editing_keeps_the_cursor_right() {
        let mut i = TextInput::new("disk ful");
        assert!(i.apply(Edit::Insert('l')));
        assert_eq!(i.text, "disk full");
        i.apply(Edit::Home);
        assert!(!i.apply(Edit::Backspace));
        assert!(i.apply(Edit::Delete));
        assert_eq!(i.text, "isk full");
        i.apply(Edit::End);
        assert!(i.apply(Edit::DeleteWord));
        assert_eq!(i.text, "isk ");
        assert!(i.apply(Edit::Clear));
        assert_eq!(i, TextInput::default());
    }

    #[test]
    fn multibyte_characters_are_one_step() {
        let mut i = TextInput::new("café");
        i.apply(Edit::Backspace);
        assert_eq!(i.text, "caf");
        assert!(!i.apply(Edit::Insert('\u{1b}')), "control characters are not typed");
    }
}
