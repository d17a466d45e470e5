//! Moving through an open runbook: answers, sections, Back, steps, copy, find. Part of
//! `App::update`, split out to keep each file about one thing.

use std::time::Instant;

use super::action::Action;
use super::app::{App, Effect, Input, Overlay, Place, Screen, load};
use super::guide::{Find, View};
use super::markdown::Item;
use crate::runbook::library::normalize_rel;
use crate::runbook::{SectionRole, Target};

/// Lines a page-scroll moves.
fn page(app: &App) -> usize {
    usize::from(app.size.1.saturating_sub(8)).max(3)
}

impl App {
    pub(super) fn update_guide(&mut self, action: Action, now: Instant) {
        let Some(g) = self.guide.as_mut() else {
            self.screen = Screen::Search;
            return;
        };
        if let Some(find) = g.find.as_mut().filter(|f| f.editing) {
            match action {
                Action::Edit(e) => {
                    find.query.apply(e);
                }
                Action::Activate => {
                    find.editing = false;
                    self.find_move(true, now);
                }
                Action::Escape => g.find = None,
                _ => {}
            }
            return;
        }
        let items = super::render::section_items(self);
        let page = page(self);
        let Some(g) = self.guide.as_mut() else { return };
        match action {
            Action::Answer(n) => self.take_answer(n, now),
            Action::Up | Action::Down if items.is_empty() || g.view == View::Pager => {
                g.scroll = if action == Action::Up { g.scroll.saturating_sub(1) } else { g.scroll + 1 };
            }
            Action::Up => g.selected = Some(g.selected.map_or(items.len().saturating_sub(1), |s| s.saturating_sub(1))),
            Action::Down => g.selected = Some(g.selected.map_or(0, |s| (s + 1).min(items.len().saturating_sub(1)))),
            Action::PageUp => g.scroll = g.scroll.saturating_sub(page),
            Action::PageDown => g.scroll += page,
            Action::Top => g.scroll = 0,
            Action::Bottom => g.scroll = usize::MAX / 2,
            Action::Activate => match g.selected.and_then(|s| items.get(s)) {
                Some(Item::Answer(n)) => {
                    let n = *n;
                    self.take_answer(n, now);
                }
                Some(Item::Step(n)) => {
                    let n = *n;
                    self.toggle_step(n, now);
                }
                None => {
                    if let Some(next) = g.continue_to() {
                        self.go_section(next);
                    }
                }
            },
            Action::Toggle => match g.selected.and_then(|s| items.get(s)) {
                Some(Item::Step(n)) => {
                    let n = *n;
                    self.toggle_step(n, now);
                }
                _ => match self.first_unchecked(&items) {
                    // Nothing selected: Space works on the first step not done yet.
                    Some((pos, n)) => {
                        if let Some(g) = self.guide.as_mut() {
                            g.selected = Some(pos);
                        }
                        self.toggle_step(n, now);
                    }
                    None => self.say("No step to check here", now),
                },
            },
            Action::Back => self.back(),
            Action::NextSection => {
                if let Some(next) = g.next_section() {
                    self.go_section(next);
                }
            }
            Action::PrevSection if g.section > 0 => {
                let prev = g.section - 1;
                self.go_section(prev);
            }
            Action::Outline => self.overlay = Some(Overlay::Outline { selected: g.section }),
            Action::Escalation => {
                self.overlay = Some(Overlay::Escalation);
                if let Some(place) = self.place_here() {
                    self.log(crate::journal::Event::Escalation { place });
                }
            }
            Action::Note => {
                self.note = Input::default();
                self.overlay = Some(Overlay::Note);
            }
            Action::Help => self.overlay = Some(Overlay::Help),
            Action::Copy => self.copy_selected(now),
            Action::Rollback => self.go_role(SectionRole::Rollback, now),
            Action::Verify => self.go_role(SectionRole::Verify, now),
            Action::Escape | Action::NewSearch => {
                self.screen = Screen::Search;
                if action == Action::NewSearch {
                    self.query = Input::default();
                    self.refresh_results();
                }
            }
            Action::Find => g.find = Some(Find { query: Input::default(), editing: true }),
            Action::FindNext => self.find_move(true, now),
            Action::FindPrev => self.find_move(false, now),
            _ => {}
        }
    }

    /// Go to a section of the same runbook, remembering where we were.
    pub(super) fn go_section(&mut self, section: usize) {
        if let Some(g) = self.guide.as_mut() {
            if g.section == section {
                return;
            }
            self.history.push(Place { guide: g.clone() });
            g.goto(section);
        }
        self.select_first_step();
        self.log_section();
    }

    pub(super) fn go_role(&mut self, role: SectionRole, now: Instant) {
        let Some(g) = self.guide.as_ref() else { return };
        match g.section_with_role(role) {
            Some(i) => {
                self.overlay = None;
                self.go_section(i);
            }
            None => self.say(
                format!(
                    "This runbook has no {} section",
                    if role == SectionRole::Rollback { "Rollback" } else { "Verify" }
                ),
                now,
            ),
        }
    }

    pub(super) fn take_answer(&mut self, n: usize, now: Instant) {
        let Some(g) = self.guide.as_ref() else { return };
        let Some(choice) = g.rb.sections.get(g.section).and_then(|s| s.choices().nth(n)).cloned() else {
            return;
        };
        if let Some(place) = self.place_here() {
            self.log(crate::journal::Event::Answer { place, answer: choice.label.clone() });
        }
        let Some(g) = self.guide.as_ref() else { return };
        match &choice.target {
            Target::Section { section } => match g.rb.section_index(section) {
                Some(i) => self.go_section(i),
                None => self.say(format!("Broken link: this runbook has no section #{section}"), now),
            },
            Target::Runbook { path, section } => {
                let base = g.rb.path.rsplit_once('/').map_or("", |(d, _)| d);
                let Some(rel) = normalize_rel(base, path) else {
                    self.say(format!("Broken link: {path} is outside the runbook folder"), now);
                    return;
                };
                let (root_idx, root_dir) = (g.rb.root, g.root_dir.clone());
                match load(root_idx, &root_dir, &rel) {
                    Ok(rb) => {
                        self.history.push(Place { guide: g.clone() });
                        self.open(rb, root_dir, section.as_deref(), now);
                    }
                    Err(msg) => self.say(msg, now),
                }
            }
        }
    }

    pub(super) fn back(&mut self) {
        match self.history.pop() {
            Some(place) => {
                self.guide = Some(place.guide);
                self.log_section();
            }
            None => self.screen = Screen::Search,
        }
    }

    /// Position among `items` and step number of the first unchecked step of the section.
    pub(super) fn first_unchecked(&self, items: &[Item]) -> Option<(usize, usize)> {
        let g = self.guide.as_ref()?;
        let done = self.checked.get(&g.rb.id);
        items.iter().enumerate().find_map(|(pos, item)| match item {
            Item::Step(n) if !done.is_some_and(|d| d.contains(&g.global_step(*n))) => Some((pos, *n)),
            _ => None,
        })
    }

    /// After moving to a section: select its first unchecked step, if it has steps.
    pub(super) fn select_first_step(&mut self) {
        let items = super::render::section_items(self);
        let first = self.first_unchecked(&items).map(|(pos, _)| pos);
        if let Some(g) = self.guide.as_mut() {
            g.selected = first;
        }
    }

    pub(super) fn toggle_step(&mut self, n: usize, now: Instant) {
        let Some(g) = self.guide.as_ref() else { return };
        let global = g.global_step(n);
        let id = g.rb.id.clone();
        let is_checked = self.checked.get(&id).is_some_and(|s| s.contains(&global));
        let risky = g.step(n).is_some_and(|s| s.risk.is_some());
        if !is_checked && risky {
            self.overlay = Some(Overlay::ConfirmRisk { step: n });
            return;
        }
        let set = self.checked.entry(id).or_default();
        if is_checked {
            set.remove(&global);
        } else {
            set.insert(global);
        }
        let text = super::render::step_text(g, n);
        if let Some(place) = self.place_here() {
            self.log(crate::journal::Event::Step { place, step: global, text, checked: !is_checked, risky });
        }
        let _ = now;
    }

    pub(super) fn copy_selected(&mut self, now: Instant) {
        let Some(g) = self.guide.as_ref() else { return };
        let items = super::render::section_items(self);
        let code = match g.selected.and_then(|s| items.get(s)) {
            Some(Item::Step(n)) => g.step(*n).and_then(|s| s.command.as_ref()).map(|c| c.code.clone()),
            _ => g.first_code(),
        };
        match code {
            Some(code) => {
                let first = code.lines().next().unwrap_or("").to_owned();
                if let Some(place) = self.place_here() {
                    self.log(crate::journal::Event::Copy { place, command: code.clone() });
                }
                self.effects.push(Effect::Copy(code));
                self.say(format!("Copied to your clipboard (OSC 52): {first}"), now);
            }
            None => self.say("Nothing to copy here: select a step with a command", now),
        }
    }

    pub(super) fn find_move(&mut self, forward: bool, now: Instant) {
        let found = super::render::find_next(self, forward);
        match found {
            Some(line) => {
                if let Some(g) = self.guide.as_mut() {
                    g.scroll = line.saturating_sub(2);
                }
            }
            None => {
                let q =
                    self.guide.as_ref().and_then(|g| g.find.as_ref()).map(|f| f.query.text.clone()).unwrap_or_default();
                if !q.is_empty() {
                    self.say(format!("\"{q}\" not found"), now);
                }
            }
        }
    }
}
