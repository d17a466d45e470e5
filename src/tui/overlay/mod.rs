//! Overlays: popups over a screen (help, escalation, outline, problems, systems, risky-step
//! confirmation, note, command inputs, handoff report, a preview's errors, resume offer, the
//! choice of sessions to resume, the command view, quit confirmation). Each owns its state; `update` turns a
//! key into a `Reply` for the `App`, which carries out what needs the screens (go to a
//! section, check a step, copy). `draw` sizes the popup to its wrapped text.

mod confirm;
mod draw;
pub mod escalation;
mod help;
pub(crate) mod systems;

pub(crate) use draw::{DrawContext, draw};

use super::action::{Action, CommandUse};
use super::input::TextInput;
use super::keymap::KeyContext;
use super::scroll::{Move, Scroll};
use crate::runbook::SectionRole;
use crate::runbook::inputs::Input as CommandInput;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    /// The keys of the screen below, scrolled when they do not fit.
    Help {
        scroll: Scroll,
    },
    /// Who to call, scrolled when the list does not fit.
    Escalation {
        scroll: Scroll,
    },
    Outline {
        selected: usize,
    },
    /// Several alerts came in: each, with the runbook found for it; Enter works on one.
    Alerts {
        lines: Vec<String>,
        selected: usize,
    },
    Problems {
        selected: usize,
    },
    /// The team file's systems: a list, or (`open`) the page of the selected one.
    Systems {
        selected: usize,
        open: bool,
        scroll: Scroll,
    },
    /// Confirming the n-th step of the current section, which is risky; the earlier steps
    /// not done yet. Its command and keys always show; the rest scrolls.
    ConfirmRisk {
        step: usize,
        skipped: Vec<String>,
        scroll: Scroll,
    },
    /// Typing a note for the journal.
    Note {
        input: TextInput,
    },
    /// Asking for a command's inputs, one at a time: the one being typed is the first of
    /// `pending` (with its prefill); `given` holds the ones answered; `then`, what the command
    /// is for once they are given.
    Inputs {
        pending: Vec<(CommandInput, String)>,
        input: TextInput,
        given: Vec<(String, String)>,
        then: CommandUse,
    },
    /// The handoff report, one line per item (reflowed for the width).
    Report {
        text: String,
        scroll: Scroll,
    },
    /// The previewed file no longer loads: why (the last good version stays below).
    Broken {
        problems: Vec<String>,
    },
    /// An earlier session was cut off or quit unfinished: offer to resume it (what it was,
    /// its id). Enter takes it up: the safe answer is the default.
    ResumeOffer {
        summary: String,
        id: String,
        /// `d` was pressed once: a second `d` drops it (one key typed by mistake, as when
        /// the responder starts typing a search before the offer shows, drops nothing).
        dropping: bool,
    },
    /// Several sessions left unfinished (`--resume`): which one; each id and a line on it.
    Sessions {
        items: Vec<(String, String)>,
        selected: usize,
    },
    /// A command alone, unwrapped, its inputs filled: to read, and to select by hand where no
    /// clipboard reaches (a phone). `left` is the first column shown.
    Command {
        text: String,
        left: usize,
        scroll: Scroll,
    },
    /// Quitting with a procedure's steps not done: what is left, quit anyway?
    QuitConfirm {
        summary: String,
    },
}

/// What the `App` does after an overlay's key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reply {
    Stay,
    Close,
    /// Close, then do this.
    CloseAnd(Request),
    /// Stay open and do this.
    StayAnd(Request),
}

/// Work an overlay asks of the screens or the event loop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Request {
    ConfirmStep(usize),
    GoSection(usize),
    /// Go to the Verify or Rollback section (the overlay closes only if there is one).
    GoRole(SectionRole),
    CopyCommand,
    /// The selected command alone (the command view).
    ShowCommand,
    CopyContacts,
    ShowReport,
    CopyReport,
    SaveNote(String),
    /// Record these input values, then put the command to its use.
    SetInputs(Vec<(String, String)>, CommandUse),
    Resume(String),
    DropSession(String),
    /// Work on the n-th alert brought in.
    AnswerAlert(usize),
    Quit,
    Say(&'static str),
}

/// What an overlay's keys need to know of the rest.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Bounds {
    pub sections: usize,
    pub problems: usize,
    pub systems: usize,
}

impl Overlay {
    pub(crate) fn key_context(&self) -> KeyContext {
        match self {
            Overlay::ConfirmRisk { .. } => KeyContext::Confirm,
            Overlay::ResumeOffer { .. } => KeyContext::Offer,
            Overlay::Sessions { .. } => KeyContext::List,
            Overlay::QuitConfirm { .. } => KeyContext::QuitConfirm,
            Overlay::Command { .. } => KeyContext::Command,
            Overlay::Outline { .. }
            | Overlay::Alerts { .. }
            | Overlay::Problems { .. }
            | Overlay::Systems { open: false, .. } => KeyContext::List,
            Overlay::Systems { open: true, .. } => KeyContext::Info,
            Overlay::Help { .. } | Overlay::Escalation { .. } | Overlay::Report { .. } | Overlay::Broken { .. } => {
                KeyContext::Info
            }
            Overlay::Note { .. } | Overlay::Inputs { .. } => KeyContext::TextInput,
        }
    }

    /// The keys the footer shows while this overlay is open (the last is never left out),
    /// written as the table of keys writes them for its place.
    pub(crate) fn keys(&self) -> Vec<(&'static str, &'static str)> {
        crate::tui::keys::hints(self.key_context(), self.wanted())
    }

    /// What the footer names while this overlay is open.
    fn wanted(&self) -> &'static [(Action, &'static str)] {
        use Action::{Activate, Confirm, Copy, Down, Drop, Escape, Handoff, Rollback, ScrollRight, ShowCommand};
        match self {
            Overlay::Help { .. } => &[(Down, "scroll"), (Escape, "close")],
            Overlay::Escalation { .. } => {
                &[(Copy, "copy contacts"), (Handoff, "handoff"), (Down, "scroll"), (Escape, "close")]
            }
            Overlay::Outline { .. } => &[(Down, "move"), (Activate, "go there"), (Escape, "close")],
            Overlay::Alerts { .. } => &[(Down, "move"), (Activate, "open its runbook"), (Escape, "close")],
            Overlay::Problems { .. } => &[(Down, "move"), (Escape, "close")],
            Overlay::Systems { open: false, .. } => &[(Down, "move"), (Activate, "open"), (Escape, "close")],
            Overlay::Systems { .. } => &[(Down, "scroll"), (Escape, "all systems")],
            Overlay::ConfirmRisk { .. } => &[
                (Confirm, "confirm"),
                (Down, "scroll"),
                (Copy, "copy"),
                (ShowCommand, "command"),
                (Rollback, "rollback"),
                (Escape, "cancel"),
            ],
            Overlay::Note { .. } => &[(Activate, "save"), (Escape, "cancel")],
            Overlay::Inputs { .. } => &[(Activate, "next"), (Escape, "cancel")],
            Overlay::Report { .. } => &[(Copy, "copy"), (Down, "scroll"), (Escape, "close")],
            Overlay::Broken { .. } => &[(Escape, "hide")],
            Overlay::ResumeOffer { .. } => &[(Activate, "resume"), (Drop, "drop it"), (Escape, "not now")],
            Overlay::Sessions { .. } => &[(Down, "move"), (Activate, "resume"), (Escape, "start fresh")],
            Overlay::Command { .. } => &[(Copy, "copy"), (ScrollRight, "scroll"), (Escape, "back")],
            Overlay::QuitConfirm { .. } => &[(Confirm, "quit"), (Escape, "stay")],
        }
    }

    pub(crate) fn update(&mut self, action: Action, bounds: Bounds) -> Reply {
        match (self, action) {
            (Overlay::ConfirmRisk { step, .. }, Action::Confirm) => Reply::CloseAnd(Request::ConfirmStep(*step)),
            (Overlay::ConfirmRisk { .. }, Action::Activate) => {
                Reply::StayAnd(Request::Say("Press y to confirm, or Esc to cancel"))
            }
            (Overlay::ConfirmRisk { .. }, Action::Rollback) => Reply::StayAnd(Request::GoRole(SectionRole::Rollback)),
            (Overlay::ConfirmRisk { .. }, Action::Copy) => Reply::StayAnd(Request::CopyCommand),
            (Overlay::ConfirmRisk { .. }, Action::ShowCommand) => Reply::StayAnd(Request::ShowCommand),
            (Overlay::Outline { selected }, Action::Up) => step(selected, -1, bounds.sections),
            (Overlay::Outline { selected }, Action::Down) => step(selected, 1, bounds.sections),
            (Overlay::Outline { selected }, Action::Activate) => Reply::CloseAnd(Request::GoSection(*selected)),
            (Overlay::Alerts { selected, lines }, Action::Up) => step(selected, -1, lines.len()),
            (Overlay::Alerts { selected, lines }, Action::Down) => step(selected, 1, lines.len()),
            (Overlay::Alerts { selected, .. }, Action::Activate) => Reply::CloseAnd(Request::AnswerAlert(*selected)),
            (Overlay::Problems { selected }, Action::Up) => step(selected, -1, bounds.problems),
            (Overlay::Problems { selected }, Action::Down) => step(selected, 1, bounds.problems),
            (Overlay::Systems { selected, open: false, .. }, Action::Up) => step(selected, -1, bounds.systems),
            (Overlay::Systems { selected, open: false, .. }, Action::Down) => step(selected, 1, bounds.systems),
            (Overlay::Systems { open, scroll, .. }, Action::Activate) if !*open && bounds.systems > 0 => {
                *open = true;
                *scroll = Scroll::default();
                Reply::Stay
            }
            (Overlay::Systems { open, .. }, Action::Escape) if *open => {
                *open = false;
                Reply::Stay
            }
            (Overlay::Systems { .. }, Action::Systems) => Reply::Close,
            (Overlay::Escalation { .. }, Action::Handoff) => Reply::StayAnd(Request::ShowReport),
            (Overlay::Escalation { .. }, Action::Copy) => Reply::StayAnd(Request::CopyContacts),
            (Overlay::Report { .. }, Action::Copy) => Reply::StayAnd(Request::CopyReport),
            (Overlay::Note { input }, Action::Edit(e)) => {
                input.apply(e);
                Reply::Stay
            }
            (Overlay::Note { input }, Action::Activate) => {
                Reply::CloseAnd(Request::SaveNote(std::mem::take(&mut input.text)))
            }
            (Overlay::Note { .. }, Action::Escape) => Reply::Close,
            (Overlay::Inputs { input, .. }, Action::Edit(e)) => {
                input.apply(e);
                Reply::Stay
            }
            (Overlay::Inputs { pending, input, given, then }, Action::Activate) => {
                if input.text.trim().is_empty() {
                    return Reply::StayAnd(Request::Say("Type a value, or Esc to cancel the copy"));
                }
                if !pending.is_empty() {
                    let (asked, _) = pending.remove(0);
                    given.push((asked.name, std::mem::take(&mut input.text)));
                }
                match pending.first() {
                    Some((_, prefill)) => {
                        *input = TextInput::new(prefill);
                        Reply::Stay
                    }
                    None => Reply::CloseAnd(Request::SetInputs(std::mem::take(given), *then)),
                }
            }
            (Overlay::Inputs { .. }, Action::Escape) => Reply::CloseAnd(Request::Say("Cancelled: no value given")),
            (Overlay::ResumeOffer { id, .. }, Action::Confirm | Action::Activate) => {
                Reply::CloseAnd(Request::Resume(std::mem::take(id)))
            }
            (Overlay::ResumeOffer { id, dropping: true, .. }, Action::Drop) => {
                Reply::CloseAnd(Request::DropSession(std::mem::take(id)))
            }
            (Overlay::ResumeOffer { dropping, .. }, Action::Edit(_)) => {
                *dropping = false;
                Reply::Stay
            }
            (Overlay::ResumeOffer { dropping, .. }, Action::Drop) => {
                *dropping = true;
                Reply::StayAnd(Request::Say("Press d again to drop this session for good; any other key keeps it"))
            }
            (Overlay::ResumeOffer { .. }, Action::Escape) => {
                Reply::CloseAnd(Request::Say("Not now: it stays on offer (runbook --resume takes it up)"))
            }
            (Overlay::Sessions { selected, items }, Action::Up) => step(selected, -1, items.len()),
            (Overlay::Sessions { selected, items }, Action::Down) => step(selected, 1, items.len()),
            (Overlay::Sessions { selected, items }, Action::Activate) => match items.get(*selected) {
                Some((id, _)) => Reply::CloseAnd(Request::Resume(id.clone())),
                None => Reply::Close,
            },
            (Overlay::QuitConfirm { .. }, Action::Confirm) => Reply::CloseAnd(Request::Quit),
            (Overlay::Command { left, text, .. }, Action::ScrollLeft | Action::ScrollRight) => {
                let widest = text.lines().map(crate::text::width).max().unwrap_or(0);
                *left = if action == Action::ScrollLeft {
                    left.saturating_sub(SIDEWAYS)
                } else {
                    (*left + SIDEWAYS).min(widest.saturating_sub(SIDEWAYS))
                };
                Reply::Stay
            }
            (Overlay::Command { .. }, Action::Copy) => Reply::StayAnd(Request::CopyCommand),
            (Overlay::Command { scroll, .. }, Action::Top | Action::Bottom) => {
                scroll.request(if action == Action::Top { Move::Top } else { Move::Bottom });
                Reply::Stay
            }
            (
                Overlay::Help { scroll }
                | Overlay::Escalation { scroll }
                | Overlay::Report { scroll, .. }
                | Overlay::Systems { scroll, open: true, .. }
                | Overlay::Command { scroll, .. }
                | Overlay::ConfirmRisk { scroll, .. },
                Action::Up | Action::Down | Action::PageUp | Action::PageDown,
            ) => {
                scroll.request(match action {
                    Action::Up => Move::Up(1),
                    Action::Down => Move::Down(1),
                    Action::PageUp => Move::PageUp(1),
                    _ => Move::PageDown(1),
                });
                Reply::Stay
            }
            (_, Action::Escape | Action::Activate) | (Overlay::Help { .. }, Action::Help) => Reply::Close,
            _ => Reply::Stay,
        }
    }
}

/// Columns the command view moves sideways per key.
const SIDEWAYS: usize = 10;

/// Move a list selection by one, within `len` entries.
fn step(selected: &mut usize, by: isize, len: usize) -> Reply {
    *selected = if by < 0 { selected.saturating_sub(1) } else { (*selected + 1).min(len.saturating_sub(1)) };
    Reply::Stay
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_footer_names_keys_that_do_it_there() {
        let scroll = Scroll::default;
        let all = [
            Overlay::Help { scroll: scroll() },
            Overlay::Escalation { scroll: scroll() },
            Overlay::Outline { selected: 0 },
            Overlay::Alerts { lines: Vec::new(), selected: 0 },
            Overlay::Problems { selected: 0 },
            Overlay::Systems { selected: 0, open: false, scroll: scroll() },
            Overlay::Systems { selected: 0, open: true, scroll: scroll() },
            Overlay::ConfirmRisk { step: 0, skipped: Vec::new(), scroll: scroll() },
            Overlay::Note { input: TextInput::default() },
            Overlay::Inputs {
                pending: Vec::new(),
                input: TextInput::default(),
                given: Vec::new(),
                then: CommandUse::Copy,
            },
            Overlay::Report { text: String::new(), scroll: scroll() },
            Overlay::Broken { problems: Vec::new() },
            Overlay::ResumeOffer { summary: String::new(), id: String::new(), dropping: false },
            Overlay::Sessions { items: Vec::new(), selected: 0 },
            Overlay::Command { text: String::new(), left: 0, scroll: scroll() },
            Overlay::QuitConfirm { summary: String::new() },
        ];
        for o in all {
            let cx = o.key_context();
            for &(action, what) in o.wanted() {
                let key = crate::tui::keys::short(cx, action);
                assert!(key.is_some(), "{o:?}: \"{what}\" names {action:?}, which no key does there");
            }
        }
    }

    #[test]
    fn list_selection_stays_in_bounds() {
        let bounds = Bounds { sections: 3, problems: 0, systems: 0 };
        let mut o = Overlay::Outline { selected: 0 };
        assert_eq!(o.update(Action::Up, bounds), Reply::Stay);
        for _ in 0..5 {
            o.update(Action::Down, bounds);
        }
        assert_eq!(o, Overlay::Outline { selected: 2 });
        assert_eq!(o.update(Action::Activate, bounds), Reply::CloseAnd(Request::GoSection(2)));
        let mut p = Overlay::Problems { selected: 0 };
        p.update(Action::Down, bounds);
        assert_eq!(p, Overlay::Problems { selected: 0 }, "no problems: nothing to move to");
    }

    #[test]
    fn a_risky_step_is_confirmed_only_with_y() {
        let bounds = Bounds { sections: 1, problems: 0, systems: 0 };
        let mut o = Overlay::ConfirmRisk { step: 4, skipped: Vec::new(), scroll: Scroll::default() };
        assert!(matches!(o.update(Action::Activate, bounds), Reply::StayAnd(Request::Say(_))));
        assert_eq!(o.update(Action::Toggle, bounds), Reply::Stay);
        assert_eq!(o.update(Action::Confirm, bounds), Reply::CloseAnd(Request::ConfirmStep(4)));
        assert_eq!(o.update(Action::Escape, bounds), Reply::Close);
    }

    #[test]
    fn a_note_is_handed_over_once() {
        let bounds = Bounds { sections: 1, problems: 0, systems: 0 };
        let mut o = Overlay::Note { input: TextInput::new("restarted nginx") };
        assert_eq!(o.update(Action::Activate, bounds), Reply::CloseAnd(Request::SaveNote("restarted nginx".into())));
    }
}
