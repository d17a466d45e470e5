//! Keys while an overlay is open (confirmation, outline, problems, escalation, report, note,
//! resume offer). Part of `App::update`.

use std::time::Instant;

use super::action::Action;
use super::app::{App, Effect, Input, Overlay};
use crate::runbook::SectionRole;

impl App {
    pub(super) fn update_overlay(&mut self, overlay: Overlay, action: Action, now: Instant) {
        match (overlay, action) {
            (Overlay::ConfirmRisk { step }, Action::Confirm) => {
                self.overlay = None;
                if let Some(g) = self.guide.as_ref() {
                    let global = g.global_step(step);
                    let text = super::render::step_text(g, step);
                    self.checked.entry(g.rb.id.clone()).or_default().insert(global);
                    if let Some(place) = self.place_here() {
                        self.log(crate::journal::Event::RiskyConfirmed { place, step: global, text });
                    }
                    self.say("Risky step confirmed and checked. Rollback: press r", now);
                }
            }
            (Overlay::ConfirmRisk { .. }, Action::Activate) => self.say("Press y to confirm, or Esc to cancel", now),
            (Overlay::ConfirmRisk { .. }, Action::Rollback) => self.go_role(SectionRole::Rollback, now),
            (Overlay::ConfirmRisk { .. }, Action::Copy) => self.copy_selected(now),
            (Overlay::Outline { selected }, Action::Up) => {
                self.overlay = Some(Overlay::Outline { selected: selected.saturating_sub(1) })
            }
            (Overlay::Outline { selected }, Action::Down) => {
                let max = self.guide.as_ref().map_or(0, |g| g.rb.sections.len().saturating_sub(1));
                self.overlay = Some(Overlay::Outline { selected: (selected + 1).min(max) });
            }
            (Overlay::Outline { selected }, Action::Activate) => {
                self.overlay = None;
                self.go_section(selected);
            }
            (Overlay::Problems { selected }, Action::Up) => {
                self.overlay = Some(Overlay::Problems { selected: selected.saturating_sub(1) })
            }
            (Overlay::Problems { selected }, Action::Down) => {
                self.overlay =
                    Some(Overlay::Problems { selected: (selected + 1).min(self.problems.len().saturating_sub(1)) });
            }
            (Overlay::Escalation, Action::Handoff) => self.effects.push(Effect::ShowReport),
            (Overlay::Report { .. }, Action::Copy) => self.effects.push(Effect::CopyReport),
            (Overlay::Report { scroll }, Action::Down) => self.overlay = Some(Overlay::Report { scroll: scroll + 1 }),
            (Overlay::Report { scroll }, Action::Up) => {
                self.overlay = Some(Overlay::Report { scroll: scroll.saturating_sub(1) })
            }
            (Overlay::Report { scroll }, Action::PageDown) => {
                self.overlay = Some(Overlay::Report { scroll: scroll + 10 })
            }
            (Overlay::Report { scroll }, Action::PageUp) => {
                self.overlay = Some(Overlay::Report { scroll: scroll.saturating_sub(10) })
            }
            (Overlay::Note, Action::Edit(e)) => {
                self.note.apply(e);
            }
            (Overlay::Note, Action::Activate) => {
                self.overlay = None;
                self.save_note(now);
            }
            (Overlay::Note, Action::Escape) => {
                self.overlay = None;
                self.note = Input::default();
            }
            (Overlay::ResumeOffer, Action::Confirm) => {
                self.overlay = None;
                self.effects.push(Effect::Resume);
            }
            (Overlay::ResumeOffer, Action::Escape) => self.overlay = None,
            (Overlay::Escalation, Action::Copy) => {
                if let Some(text) = super::render::escalation_text(self, now) {
                    self.effects.push(Effect::Copy(text));
                    self.say("Escalation contacts copied to your clipboard (OSC 52)", now);
                }
            }
            (_, Action::Escape | Action::Activate) => self.overlay = None,
            (Overlay::Help, Action::Help) => self.overlay = None,
            _ => {}
        }
    }
}
