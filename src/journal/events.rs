//! The journal's records: what happened (`Event`, one variant per kind of thing a responder
//! does), where (`Place`) and when (`Record`'s `Stamp`). Serialized as one JSON object per
//! line, tagged by `event`; fields added later are optional, so older journals still read.

use serde::{Deserialize, Serialize};

use super::Stamp;
use crate::runbook::library::RunbookRef;

/// One thing that happened, with its local time (RFC 3339 with offset).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub at: Stamp,
    #[serde(flatten)]
    pub event: Event,
}

/// Where in a runbook something happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Place {
    /// Runbook id.
    pub runbook: String,
    pub title: String,
    /// Its file, to open it again (`root` and `path` in JSON).
    #[serde(flatten)]
    pub at: RunbookRef,
    /// Section id and title.
    pub section: String,
    pub section_title: String,
}

/// A drill's setting: the runbook the trainee should reach, and what they were told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Drill {
    /// Runbook id.
    pub runbook: String,
    /// The symptom or alert text shown (never the runbook's title).
    pub scenario: String,
}

/// How the responder went to a shell from the TUI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShellHow {
    /// `!`: their shell, started by runbook on its terminal; `exit` came back.
    Child,
    /// A tmux pane beside the guide, the guide still on screen.
    Pane,
    /// Ctrl-Z: runbook stopped, the calling shell in front, until `fg`.
    Suspended,
}

impl ShellHow {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            ShellHow::Child => "a shell (!)",
            ShellHow::Pane => "a shell in a tmux pane beside the guide",
            ShellHow::Suspended => "the calling shell (runbook suspended with Ctrl-Z)",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    SessionStart {
        user: String,
        host: String,
        roots: Vec<String>,
        version: String,
        /// Set for a training drill (`runbook drill`). Drills are kept in their own folder
        /// and never counted with real sessions.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        drill: Option<Drill>,
    },
    /// The session was taken up again after it ended abruptly.
    Resumed {
        user: String,
        host: String,
    },
    /// The alert that opened the session's work (`runbook alert`, or one pasted): what fired.
    Alert {
        name: String,
        #[serde(default)]
        labels: std::collections::BTreeMap<String, String>,
        status: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        starts_at: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        summary: Option<String>,
        /// A ticket's words (an alert without a name).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        text: Option<String>,
    },
    Search {
        query: String,
        /// How many runbooks it found (0: nothing matched); absent in older journals.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        results: Option<usize>,
    },
    Open {
        place: Place,
    },
    /// Moved to another section of the open runbook (next, back, outline, Verify, Rollback).
    Section {
        place: Place,
    },
    Answer {
        place: Place,
        /// The answer's id (`Choice::id`); empty in journals older than ids.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        id: String,
        answer: String,
    },
    /// A link in the text followed (a section, another runbook) or copied (a web address).
    Link {
        place: Place,
        label: String,
        target: String,
    },
    /// A step checked or unchecked. `id` is the step's (`Step::id`); journals older than ids
    /// have a position instead (ignored), and `step_id` gives the id from the section and text.
    Step {
        place: Place,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        id: String,
        text: String,
        checked: bool,
        risky: bool,
    },
    RiskyConfirmed {
        place: Place,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        id: String,
        text: String,
        /// Steps before it (in its section, or the runbook's Before you start) that were not
        /// done: the responder went on deliberately, out of order.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        skipped: Vec<String>,
    },
    Copy {
        place: Place,
        command: String,
    },
    /// A command's input given (once per session; later copies reuse it).
    Input {
        name: String,
        value: String,
    },
    Note {
        place: Option<Place>,
        /// The step selected when it was written, by id (older journals: a position, ignored).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        step_id: Option<String>,
        text: String,
    },
    Escalation {
        place: Place,
    },
    /// The responder went to a shell; `command` is the one made ready there (never run by
    /// the tool).
    ShellOpened {
        how: ShellHow,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        command: Option<String>,
    },
    /// A later start was told not to take this session up again (written into it then).
    Dropped {
        user: String,
    },
    /// Back from the shell (or the tmux pane's shell exited).
    ShellClosed {
        how: ShellHow,
    },
    SessionEnd {
        reason: String,
        /// Quit with a procedure's steps not done: what was left (the session stays
        /// resumable, as one cut off is).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        unfinished: Option<String>,
    },
}

/// The id of the step an event names: its own, or for a journal older than ids, the one the
/// parser gives a step of that text in that section (`runbook::item_id`).
pub fn step_id(place: &Place, id: &str, text: &str) -> String {
    if id.is_empty() { crate::runbook::item_id(&place.section, text) } else { id.to_owned() }
}
