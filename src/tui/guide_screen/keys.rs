//! What keys do on the guide screen: answers, sections, Back, steps, copy, find. Changes the
//! screen's state and the incident, queues journal events, and says when the responder leaves
//! the screen or opens an overlay; the `App` does the routing.

use std::collections::BTreeMap;
use std::time::Instant;

use super::{Enter, Find, GuideScreen, Item, Jump};
use crate::journal::Event;
use crate::runbook::inputs::{self, Input as CommandInput};
use crate::runbook::team::Team;
use crate::runbook::{SectionRole, Target};
use crate::tui::action::{Action, CommandUse};
use crate::tui::incident::Incident;
use crate::tui::input::TextInput;
use crate::tui::outbox::{Copied, Effect, OpenedFrom, Opening, Outbox};
use crate::tui::scroll::Move;

/// What a guide key needs besides the screen.
#[derive(Debug)]
pub(crate) struct Context<'a> {
    pub incident: &'a mut Incident,
    pub out: &'a mut Outbox,
    /// The open folders' team file: a runbook opened from a link gets its contacts from it.
    pub team: &'a Team,
}

/// The guide screen hands over to the `App`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Transition {
    /// Back to the results; `clear` starts a new search.
    Search {
        clear: bool,
    },
    Help,
    Outline,
    Escalation,
    /// The systems view, at this runbook's system.
    Systems,
    Note,
    /// The n-th step of the section is risky: confirm it first.
    ConfirmRisk(usize),
    /// The command has inputs not given yet: ask for them (each with its prefill), then put
    /// it to its use.
    Inputs(Vec<(CommandInput, String)>, CommandUse),
    /// Show this command alone (its inputs filled).
    ShowCommand(String),
}

impl GuideScreen {
    pub(crate) fn update(&mut self, action: Action, cx: &mut Context<'_>, now: Instant) -> Option<Transition> {
        let g = &mut self.guide;
        if let Some(find) = g.find.as_mut().filter(|f| f.editing) {
            match action {
                Action::Edit(e) => {
                    find.query.apply(e);
                }
                Action::Activate => {
                    find.editing = false;
                    self.find_move(true, cx, now);
                }
                Action::Escape => g.find = None,
                _ => {}
            }
            return None;
        }
        let items = g.items();
        if matches!(action, Action::Up | Action::Down) {
            g.link = None;
        }
        match action {
            Action::Answer(n) => return self.take_answer(n, cx, now),
            Action::Up | Action::Down if items.is_empty() => {
                g.scroll.request(if action == Action::Up { Move::Up(1) } else { Move::Down(1) });
            }
            Action::NextLink | Action::PrevLink => self.focus_link(action == Action::NextLink, cx.out, now),
            Action::Up => g.selected = Some(g.selected.map_or(items.len().saturating_sub(1), |s| s.saturating_sub(1))),
            Action::Down => g.selected = Some(g.selected.map_or(0, |s| (s + 1).min(items.len().saturating_sub(1)))),
            Action::PageUp => g.scroll.request(Move::PageUp(1)),
            Action::PageDown => g.scroll.request(Move::PageDown(1)),
            Action::Top => g.scroll.request(Move::Top),
            Action::Bottom => g.scroll.request(Move::Bottom),
            // What Enter does is what the footer and the end of the path say: `Guide::enter`.
            Action::Activate => match g.enter(cx.incident) {
                Enter::Follow(k) => self.follow_link(k, cx, now),
                Enter::Answer(n) => return self.take_answer(n, cx, now),
                Enter::Check(n) => {
                    let leave = self.toggle_step(n, cx);
                    if leave.is_none() {
                        // Checked: on to the next step not done, if any.
                        let g = &mut self.guide;
                        g.selected = g.first_unchecked(cx.incident).map(|(pos, _)| pos).or(g.selected);
                    }
                    return leave;
                }
                Enter::Continue(next) => self.go_section(next, cx),
                Enter::Nothing => cx.out.say("The end of this path: ⌫ goes back, s searches again, e escalates", now),
            },
            Action::Toggle => match g.selected.and_then(|s| items.get(s)) {
                Some(Item::Step(n)) => return self.toggle_step(*n, cx),
                // Nothing selected: Space works on the first step not done yet.
                _ => match g.first_unchecked(cx.incident) {
                    Some((pos, n)) => {
                        g.selected = Some(pos);
                        return self.toggle_step(n, cx);
                    }
                    None => cx.out.say("No step to check here", now),
                },
            },
            Action::Back => return self.back(cx),
            Action::NextSection => {
                if let Some(next) = g.next_section() {
                    self.go_section(next, cx);
                }
            }
            Action::PrevSection if g.section > 0 => {
                let prev = g.section - 1;
                self.go_section(prev, cx);
            }
            Action::Outline => return Some(Transition::Outline),
            Action::Escalation => {
                if let Some(place) = g.place() {
                    cx.out.log(Event::Escalation { place });
                }
                return Some(Transition::Escalation);
            }
            Action::Note => return Some(Transition::Note),
            Action::Systems => return Some(Transition::Systems),
            Action::Help => return Some(Transition::Help),
            Action::Copy => return self.use_command(CommandUse::Copy, cx.incident, &cx.team.facts, cx.out, now),
            Action::ShowCommand => return self.use_command(CommandUse::Show, cx.incident, &cx.team.facts, cx.out, now),
            Action::CopyWithNewValues => {
                return self.use_command(CommandUse::CopyWithNewValues, cx.incident, &cx.team.facts, cx.out, now);
            }
            Action::Shell => return self.use_command(CommandUse::Shell, cx.incident, &cx.team.facts, cx.out, now),
            Action::ShellPane => cx.out.push(Effect::ShellPane),
            Action::Rollback => {
                self.go_role(SectionRole::Rollback, cx, now);
            }
            Action::Verify => {
                self.go_role(SectionRole::Verify, cx, now);
            }
            Action::Escape => return Some(Transition::Search { clear: false }),
            Action::NewSearch => return Some(Transition::Search { clear: true }),
            Action::Find => g.find = Some(Find { query: TextInput::default(), editing: true }),
            Action::FindNext => self.find_move(true, cx, now),
            Action::FindPrev => self.find_move(false, cx, now),
            _ => {}
        }
        None
    }

    /// A paste: text for the find box when it is being typed; anywhere else in a guide a paste
    /// is never read (whether it was taken).
    pub(crate) fn paste(&mut self, text: &str) -> bool {
        match self.guide.find.as_mut().filter(|f| f.editing) {
            Some(find) => find.query.insert(text),
            None => false,
        }
    }

    /// Go to a section of the same runbook, remembering where we were.
    pub(crate) fn go_section(&mut self, section: usize, cx: &mut Context<'_>) {
        if self.guide.section == section {
            return;
        }
        self.history.push(self.guide.clone());
        self.guide.goto(section);
        self.arrived(cx);
    }

    /// After moving to a section: select its first unchecked step, and journal it.
    fn arrived(&mut self, cx: &mut Context<'_>) {
        self.guide.selected = self.guide.first_unchecked(cx.incident).map(|(pos, _)| pos);
        if let Some(place) = self.guide.place() {
            cx.out.log(Event::Section { place });
        }
    }

    /// Go to the Verify or Rollback section; whether there is one.
    pub(crate) fn go_role(&mut self, role: SectionRole, cx: &mut Context<'_>, now: Instant) -> bool {
        match self.guide.section_with_role(role) {
            Some(i) => {
                self.go_section(i, cx);
                true
            }
            None => {
                let name = if role == SectionRole::Rollback { "Rollback" } else { "Verify" };
                cx.out.say(format!("This runbook has no {name} section"), now);
                false
            }
        }
    }

    fn take_answer(&mut self, n: usize, cx: &mut Context<'_>, now: Instant) -> Option<Transition> {
        let g = &self.guide;
        let choice = g.rb.sections.get(g.section).and_then(|s| s.choices().nth(n)).cloned()?;
        if let Some(place) = g.place() {
            cx.out.log(Event::Answer { place, id: choice.id.clone(), answer: choice.label.clone() });
        }
        self.go_target(&choice.target, cx, now);
        None
    }

    /// Go where an answer or a link points: a section of this runbook or another runbook.
    pub(super) fn go_target(&mut self, target: &Target, cx: &mut Context<'_>, now: Instant) {
        let g = &self.guide;
        match target {
            Target::Section { section } => match g.rb.section_index(section) {
                Some(i) => self.go_section(i, cx),
                None => cx.out.say(format!("Broken link: this runbook has no section #{section}"), now),
            },
            Target::Runbook { path, section } => match g.at.link(path) {
                Some(at) => cx.out.push(Effect::Open(Opening { at, section: section.clone(), from: OpenedFrom::Link })),
                None => cx.out.say(format!("Broken link: {path} is outside the runbook folder"), now),
            },
        }
    }

    fn back(&mut self, cx: &mut Context<'_>) -> Option<Transition> {
        let Some(prev) = self.history.pop() else { return Some(Transition::Search { clear: false }) };
        self.guide = prev;
        self.inferred = self.inferred.min(self.history.len() + 1);
        if let Some(place) = self.guide.place() {
            cx.out.log(Event::Section { place });
        }
        None
    }

    fn toggle_step(&mut self, n: usize, cx: &mut Context<'_>) -> Option<Transition> {
        let g = &self.guide;
        let step = g.step(n)?;
        let was_checked = cx.incident.is_checked(&g.rb.id, &step.id);
        let risky = step.risk.is_some();
        if !was_checked && risky {
            return Some(Transition::ConfirmRisk(n));
        }
        cx.incident.set_checked(&g.rb.id, &step.id, !was_checked);
        if let Some(place) = g.place() {
            let text = g.step_text(n);
            cx.out.log(Event::Step { place, id: step.id.clone(), text, checked: !was_checked, risky });
        }
        None
    }

    /// The risky n-th step was confirmed in its dialog: check it and journal that, with the
    /// earlier steps that were not done.
    pub(crate) fn confirm_risky(&mut self, n: usize, cx: &mut Context<'_>, now: Instant) {
        let g = &self.guide;
        let Some(id) = g.step(n).map(|s| s.id.clone()) else { return };
        let skipped = g.unchecked_before(n, cx.incident);
        cx.incident.set_checked(&g.rb.id, &id, true);
        let msg = match skipped.len() {
            0 => "Risky step confirmed and checked. Rollback: press r".to_owned(),
            k => format!("Risky step confirmed with {k} earlier step(s) not done; the journal says so. Rollback: r"),
        };
        if let Some(place) = g.place() {
            cx.out.log(Event::RiskyConfirmed { place, id, text: g.step_text(n), skipped });
        }
        cx.out.say(msg, now);
        // Done: on to the next step not done, as Enter's check does.
        let g = &mut self.guide;
        g.selected = g.first_unchecked(cx.incident).map(|(pos, _)| pos).or(g.selected);
    }

    /// The selected step's command (else the section's first), with its inputs' values in
    /// place, put to `how` (copied, shown alone, or made ready in a shell); when some inputs
    /// were not given yet this session, ask for them first. The one source of "the command as
    /// it will be copied".
    pub(crate) fn use_command(
        &self,
        how: CommandUse,
        incident: &mut Incident,
        facts: &BTreeMap<String, String>,
        out: &mut Outbox,
        now: Instant,
    ) -> Option<Transition> {
        let g = &self.guide;
        let Some(code) = g.selected_command() else {
            if how == CommandUse::Shell {
                out.push(Effect::Shell(None));
            } else {
                out.say("No command here: select a step with a command", now);
            }
            return None;
        };
        let again = how == CommandUse::CopyWithNewValues;
        let missing: Vec<(CommandInput, String)> = inputs::parse(&code)
            .into_iter()
            .filter(|i| again || incident.given(&i.name).is_none())
            .map(|i| {
                let prefill =
                    incident.value(&i.name, i.label.as_deref(), facts).map_or_else(|| i.default.clone(), str::to_owned);
                (i, prefill)
            })
            .collect();
        if !missing.is_empty() {
            // Once the values are given, the command is copied with them.
            let then = if again { CommandUse::Copy } else { how };
            return Some(Transition::Inputs(missing, then));
        }
        // Every input is given now: the same text the guide and the risky-step dialog show.
        let code = incident.filled(&code, facts);
        match how {
            CommandUse::Copy | CommandUse::CopyWithNewValues => {
                if let Some(place) = g.place() {
                    out.log(Event::Copy { place, command: code.clone() });
                }
                incident.copied(&g.rb.id);
                // The copy's route says where it went.
                out.push(Effect::Copy { text: code, what: Copied::Command });
                None
            }
            CommandUse::Show => Some(Transition::ShowCommand(code)),
            CommandUse::Shell => {
                out.push(Effect::Shell(Some(code)));
                None
            }
        }
    }

    fn find_move(&mut self, forward: bool, cx: &mut Context<'_>, now: Instant) {
        let g = &self.guide;
        let q = g.find.as_ref().map(|f| f.query.text.to_lowercase()).unwrap_or_default();
        if q.is_empty() {
            return;
        }
        if g.shows_text(&q) {
            g.jump.set(Some(Jump::Find { forward }));
        } else {
            let typed = g.find.as_ref().map(|f| f.query.text.clone()).unwrap_or_default();
            cx.out.say(format!("\"{typed}\" not found"), now);
        }
    }
}
