//! What the `App` carries out for the screens and overlays: an overlay's request (confirm,
//! go to a section, copy, record inputs, save a note), opening a runbook, resuming a
//! session, and the popups the event loop asks for. Kept apart from the routing in `mod.rs`.

use std::time::Instant;

use super::App;
use crate::journal::Event;
use crate::runbook::library::RunbookRef;
use crate::tui::action::CommandUse;
use crate::tui::guide_screen::{self, Guide, GuideScreen};
use crate::tui::layout::Screen;
use crate::tui::outbox::{Copied, Effect, OpenedFrom, Opening};
use crate::tui::overlay::{self, Overlay, Request};
use crate::tui::scroll::Scroll;

impl App {
    /// The systems view, at `at` (a system's position) opened on its page, else the list.
    pub(super) fn systems(at: Option<usize>) -> Overlay {
        Overlay::Systems { selected: at.unwrap_or(0), open: at.is_some(), scroll: Scroll::default() }
    }

    /// Open `o` over the overlay that asked for it (the risky-step dialog stays under the
    /// command view or its inputs, and comes back when they close).
    fn open_over(&mut self, o: Overlay) {
        if let Some(current) = self.overlay.take().filter(|c| matches!(c, Overlay::ConfirmRisk { .. })) {
            self.under = Some(current);
        }
        self.overlay = Some(o);
    }

    /// Carry out what an overlay asked for.
    pub(super) fn request(&mut self, r: Request, now: Instant) {
        let r_is_show = r == Request::ShowCommand;
        let mut cx =
            guide_screen::Context { incident: &mut self.incident, out: &mut self.out, team: self.catalog.team() };
        match (r, self.guide.as_mut()) {
            (Request::ConfirmStep(n), Some(s)) => s.confirm_risky(n, &mut cx, now),
            (Request::GoSection(i), Some(s)) => s.go_section(i, &mut cx),
            (Request::GoRole(role), Some(s)) => {
                if s.go_role(role, &mut cx, now) {
                    self.overlay = None;
                }
            }
            (Request::CopyCommand | Request::ShowCommand, Some(s)) => {
                let how = if r_is_show { CommandUse::Show } else { CommandUse::Copy };
                match s.use_command(how, cx.incident, &cx.team.facts, cx.out, now) {
                    Some(guide_screen::Transition::Inputs(pending, then)) => self.open_over(Self::ask(pending, then)),
                    Some(guide_screen::Transition::ShowCommand(text)) => {
                        self.open_over(Overlay::Command { text, left: 0, scroll: Scroll::default() });
                    }
                    _ => {}
                }
            }
            (Request::SetInputs(values, then), Some(s)) => {
                for (name, value) in values {
                    cx.incident.set_input(&name, &value);
                    cx.out.log(Event::Input { name, value });
                }
                // Everything is given now: the command goes to its use.
                if let Some(guide_screen::Transition::ShowCommand(text)) =
                    s.use_command(then, cx.incident, &cx.team.facts, cx.out, now)
                {
                    self.open_over(Overlay::Command { text, left: 0, scroll: Scroll::default() });
                }
            }
            (Request::CopyContacts, Some(s)) => {
                let text = overlay::escalation::text(&s.guide, now);
                self.out.push(Effect::Copy { text, what: Copied::Contacts });
            }
            (Request::SaveNote(text), _) => self.save_note(&text),
            (Request::ShowReport, _) => self.out.push(Effect::ShowReport),
            (Request::CopyReport, _) => self.out.push(Effect::CopyReport),
            (Request::Resume(id), _) => self.out.push(Effect::Resume(id)),
            (Request::DropSession(id), _) => self.out.push(Effect::DropSession(id)),
            (Request::Quit, _) => self.quit = true,
            (Request::AnswerAlert(i), _) => self.answer_alert(i, now),
            (Request::Say(msg), _) => self.out.say(msg, now),
            (Request::ConfirmStep(_) | Request::GoSection(_) | Request::GoRole(_), None) => {}
            (Request::CopyCommand | Request::ShowCommand | Request::CopyContacts | Request::SetInputs(..), None) => {}
        }
    }

    /// Open a runbook for preview (`runbook preview`), at its start.
    fn open_preview(&mut self, rb: crate::runbook::Runbook, at: RunbookRef, now: Instant) {
        let guide = GuideScreen::open(rb, at, None, &mut self.incident, now);
        if let Some(place) = guide.place() {
            self.out.log(Event::Open { place });
        }
        self.guide = Some(GuideScreen::at(guide));
        self.screen = Screen::Guide;
    }

    /// The previewed file was saved: show the new text where the author was, or, when it no
    /// longer loads, why (the last good version stays).
    pub fn preview_reloaded(
        &mut self,
        at: &RunbookRef,
        read: Result<crate::runbook::Runbook, Vec<String>>,
        now: Instant,
    ) {
        match (read, self.guide.as_mut()) {
            (Ok(rb), Some(screen)) => {
                screen.reloaded(rb, now);
                if matches!(self.overlay, Some(Overlay::Broken { .. })) {
                    self.overlay = None;
                }
                self.out.say("Reloaded", now);
            }
            (Ok(rb), None) => self.open_preview(rb, at.clone(), now),
            (Err(problems), _) => {
                self.overlay = Some(Overlay::Broken { problems });
                self.out.say("The file has errors: the last good version is shown", now);
            }
        }
    }

    /// The overlay asking for a command's inputs, the first prefilled; `then`, what the
    /// command is for.
    pub(super) fn ask(pending: Vec<(crate::runbook::inputs::Input, String)>, then: CommandUse) -> Overlay {
        let input = pending.first().map(|(_, prefill)| crate::tui::input::TextInput::new(prefill)).unwrap_or_default();
        Overlay::Inputs { pending, input, given: Vec::new(), then }
    }

    /// Carry out an `Opening`: the catalog reads the runbook (the one place the TUI reads
    /// one, outside `update`), then it opens where the opening says, or the status line says
    /// why it cannot.
    pub fn open(&mut self, o: Opening, now: Instant) {
        let (rb, _) = match self.catalog.open(&o.at) {
            Ok(opened) => opened,
            Err(p) => return self.out.say(format!("Cannot open {}: {}", o.at.path, p.message), now),
        };
        let section = o.section.as_deref();
        match o.from {
            OpenedFrom::Search { named, escalate } => {
                let screen = GuideScreen::from_search(rb, o.at, section, named, &mut self.incident, now);
                self.guide = Some(screen);
                self.screen = Screen::Guide;
                if escalate {
                    self.overlay = Some(Overlay::Escalation { scroll: Scroll::default() });
                }
            }
            OpenedFrom::Link => {
                let next = GuideScreen::open(rb, o.at, section, &mut self.incident, now);
                match self.guide.as_mut() {
                    Some(screen) => screen.history.push(std::mem::replace(&mut screen.guide, next)),
                    None => self.guide = Some(GuideScreen::at(next)),
                }
            }
        }
        if let Some(place) = self.guide().and_then(Guide::place) {
            self.out.log(Event::Open { place });
        }
    }

    /// Carry out the openings `update` queued (the event loop does this with the other
    /// effects; a test driving `update` calls it after each key).
    pub fn carry_openings(&mut self, now: Instant) {
        let (openings, rest): (Vec<Effect>, Vec<Effect>) =
            self.out.effects.drain(..).partition(|e| matches!(e, Effect::Open(_)));
        self.out.effects = rest;
        for e in openings {
            if let Effect::Open(o) = e {
                self.open(o, now);
            }
        }
    }

    fn save_note(&mut self, text: &str) {
        let text = crate::text::one_line(text.trim());
        if text.is_empty() {
            return;
        }
        let step_id = self.guide().and_then(Guide::selected_step).map(|s| s.id.clone());
        let place = self.guide().and_then(Guide::place);
        // Said "saved" by the event loop once the journal has it, never before.
        self.out.log(Event::Note { place, step_id, text });
    }

    /// Reopen a session where it stopped: the runbook, the section and the checklist.
    pub(crate) fn resume(&mut self, state: &crate::journal::resume::State, now: Instant) {
        for (id, steps) in &state.checked {
            self.incident.restore(id, steps.keys().cloned().collect());
        }
        for (name, value) in &state.inputs {
            // From a journal file: data, cleaned like any other.
            self.incident.set_input(name, &crate::text::one_line(value));
        }
        let Some(place) = &state.place else { return };
        let catalog = &self.catalog;
        match guide_screen::resume_at(catalog, place, now) {
            Ok(guide) => {
                // The path behind it, so that Backspace walks up the tree as it did before.
                let behind = state.trail.split_last().filter(|(last, _)| *last == place).map_or(&[][..], |(_, b)| b);
                let history: Vec<_> =
                    behind.iter().map_while(|p| guide_screen::resume_at(catalog, p, now).ok()).collect();
                let history = if history.len() == behind.len() { history } else { Vec::new() };
                self.guide = Some(GuideScreen { guide, history, inferred: 0 });
                self.screen = Screen::Guide;
                self.out.say(format!("Resumed: {} > {}", place.title, place.section_title), now);
            }
            Err(msg) => self.out.say(msg, now),
        }
    }

    /// Show the handoff report built by the event loop.
    pub fn show_report(&mut self, text: String) {
        self.overlay = Some(Overlay::Report { text, scroll: Scroll::default() });
    }

    /// An earlier session was left unfinished: offer to resume it.
    pub fn offer_resume(&mut self, summary: String, id: String) {
        self.overlay = Some(Overlay::ResumeOffer { summary, id, dropping: false });
    }

    /// Several sessions were left unfinished (`--resume`): which one?
    pub(crate) fn choose_session(&mut self, items: Vec<(String, String)>) {
        self.overlay = Some(Overlay::Sessions { items, selected: 0 });
    }
}
