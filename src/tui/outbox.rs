//! What an update asks of the world outside the state: effects for the event loop to carry
//! out (opening a runbook, clipboard, journal, report, resume, shells) and the status line's
//! message. Screens and
//! overlays write here; nothing here does I/O.

use std::time::{Duration, Instant};

use crate::journal::Event;
use crate::runbook::library::RunbookRef;

/// How long a status message stays in the footer.
const STATUS_FOR: Duration = Duration::from_secs(6);

/// A runbook to open: the catalog reads it (`App::open`), outside `update`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opening {
    pub at: RunbookRef,
    /// The section to open at, if one was named.
    pub section: Option<String>,
    pub from: OpenedFrom,
}

/// Why a runbook is opened, which decides where and how.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenedFrom {
    /// A search result: at a question only when the search `named` it; `escalate` opens the
    /// escalation over it.
    Search { named: bool, escalate: bool },
    /// A link or an answer in the open runbook: the new one goes on the path (Backspace).
    Link,
}

/// Something the event loop must do outside the state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Open a runbook (`App::open` reads it through the catalog).
    Open(Opening),
    /// Copy text by the session's clipboard route, which says where it went.
    Copy { text: String, what: Copied },
    /// Append to the session journal.
    Journal(Event),
    /// Build the handoff report from the journal and show it (`App::show_report`).
    ShowReport,
    /// Build the handoff report and copy it.
    CopyReport,
    /// Resume the session with this id (the event loop loads it and calls `App::resume`).
    Resume(String),
    /// Never offer the session with this id again.
    DropSession(String),
    /// Ctrl-Z: give the terminal back and stop until `fg`.
    Suspend,
    /// `!`: the responder's shell on this terminal, this command ready to recall.
    Shell(Option<String>),
    /// A shell in a tmux pane beside the TUI.
    ShellPane,
    /// The index turned out damaged: empty its cache folder (if on disk) and build it again.
    RebuildIndex { cache_dir: Option<std::path::PathBuf> },
}

/// What was copied, for the status line; a step's command is also typed into the tmux shell
/// pane when one is open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Copied {
    Command,
    Link,
    Contacts,
    Report,
}

impl Copied {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Copied::Command => "the command",
            Copied::Link => "the link",
            Copied::Contacts => "the contacts",
            Copied::Report => "the report",
        }
    }
}

#[derive(Debug, Default)]
pub(crate) struct Outbox {
    pub effects: Vec<Effect>,
    status: Option<(String, Instant)>,
}

impl Outbox {
    pub(crate) fn say(&mut self, msg: impl Into<String>, now: Instant) {
        self.status = Some((msg.into(), now));
    }

    /// The status message, if it is still fresh.
    pub(crate) fn status(&self, now: Instant) -> Option<&str> {
        self.status.as_ref().filter(|(_, at)| now.saturating_duration_since(*at) < STATUS_FOR).map(|(s, _)| s.as_str())
    }

    /// When the status message goes away, if it is still shown at `now`.
    pub(crate) fn status_expires(&self, now: Instant) -> Option<Instant> {
        self.status.as_ref().map(|(_, at)| *at + STATUS_FOR).filter(|t| *t > now)
    }

    pub(crate) fn log(&mut self, event: Event) {
        self.effects.push(Effect::Journal(event));
    }

    pub(crate) fn push(&mut self, effect: Effect) {
        self.effects.push(effect);
    }
}
