//! The links in a guide's text, in the order the screen shows them: each run of inline text
//! with one destination is one link. Tab moves between them and Enter follows one; drawing
//! counts links in the same order (`lines`), which a test holds it to.

use std::time::Instant;

use super::GuideScreen;
use super::keys::Context;
use crate::journal::Event;
use crate::runbook::{Block, Inline, target_of};
use crate::tui::outbox::{Copied, Effect, Outbox};

/// A link as the text shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub label: String,
    pub dest: String,
}

/// The links of `blocks` in drawing order: paragraphs, list items, quotes and alerts, and for
/// a step its warning, then its text, then its body. Tables, answers and code hold none.
/// Depth is bounded: the parser flattens containers deeper than `MAX_NESTING`.
pub(crate) fn links(blocks: &[Block], out: &mut Vec<Link>) {
    for block in blocks {
        match block {
            Block::Paragraph { text, .. } => inline_links(text, out),
            Block::List { items, .. } => items.iter().for_each(|item| links(item, out)),
            Block::Quote { blocks, .. } | Block::Alert { blocks, .. } => links(blocks, out),
            Block::Step(step) => {
                if let Some(risk) = &step.risk {
                    links(&risk.blocks, out);
                }
                inline_links(&step.text, out);
                links(&step.body, out);
            }
            Block::Code { .. }
            | Block::Table { .. }
            | Block::Rule { .. }
            | Block::Choices { .. }
            | Block::Html { .. } => {}
        }
    }
}

/// The links of one run of inlines: consecutive inlines with the same destination are one.
pub(crate) fn inline_links(text: &[Inline], out: &mut Vec<Link>) {
    let mut prev: Option<&str> = None;
    for i in text {
        match i.link.as_deref() {
            Some(dest) if prev == Some(dest) => {
                if let Some(last) = out.last_mut() {
                    last.label.push_str(&i.text);
                }
            }
            Some(dest) => out.push(Link { label: i.text.clone(), dest: dest.to_owned() }),
            None => {}
        }
        prev = i.link.as_deref();
    }
}

impl GuideScreen {
    /// Move the focus to the next (or previous) link of the text.
    pub(super) fn focus_link(&mut self, forward: bool, out: &mut Outbox, now: Instant) {
        let g = &mut self.guide;
        let n = g.links().len();
        if n == 0 {
            out.say("No links in this text", now);
            return;
        }
        g.link = Some(match (g.link, forward) {
            (None, true) => 0,
            (None, false) => n - 1,
            (Some(k), true) => (k + 1) % n,
            (Some(k), false) => (k + n - 1) % n,
        });
        g.selected = None;
    }

    /// Follow the focused link: a section or a runbook is opened (Backspace comes back), a web
    /// address is copied, never opened. Journalled like an answer.
    pub(super) fn follow_link(&mut self, k: usize, cx: &mut Context<'_>, now: Instant) {
        let Some(link) = self.guide.links().into_iter().nth(k) else { return };
        if let Some(place) = self.guide.place() {
            cx.out.log(Event::Link { place, label: link.label.clone(), target: link.dest.clone() });
        }
        match target_of(&link.dest) {
            Some(target) => self.go_target(&target, cx, now),
            None => {
                // The copy's route says where it went; the tool opens nothing.
                cx.out.push(Effect::Copy { text: link.dest.clone(), what: Copied::Link });
            }
        }
    }
}
