//! What an update asks of the world outside the state: effects for the event loop to carry
//! out (clipboard, journal, report, resume) and the status line's message. Screens and
//! overlays write here; nothing here does I/O.

use std::time::{Duration, Instant};

use crate::journal::Event;

/// How long a status message stays in the footer.
const STATUS_FOR: Duration = Duration::from_secs(6);

/// Something the event loop must do outside the state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Put text on the terminal's clipboard (OSC 52).
    Copy(String),
    /// Append to the session journal.
    Journal(Event),
    /// Build the handoff report from the journal and show it (`App::show_report`).
    ShowReport,
    /// Build the handoff report and copy it.
    CopyReport,
    /// Resume the last session (the event loop loads it and calls `App::resume`).
    Resume,
}

#[derive(Debug, Default)]
pub struct Outbox {
    pub effects: Vec<Effect>,
    status: Option<(String, Instant)>,
}

impl Outbox {
    pub fn say(&mut self, msg: impl Into<String>, now: Instant) {
        self.status = Some((msg.into(), now));
    }

    /// The status message, if it is still fresh.
    pub fn status(&self, now: Instant) -> Option<&str> {
        self.status.as_ref().filter(|(_, at)| now.saturating_duration_since(*at) < STATUS_FOR).map(|(s, _)| s.as_str())
    }

    pub fn log(&mut self, event: Event) {
        self.effects.push(Effect::Journal(event));
    }

    pub fn push(&mut self, effect: Effect) {
        self.effects.push(effect);
    }
}
