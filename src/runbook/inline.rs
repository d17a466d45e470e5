//! What the block parsers share over pulldown-cmark's events: inline runs with their styles
//! and links, a code fence's language, and byte offsets as file lines. `parse` and `nesting`
//! both build on it.

use pulldown_cmark::{CodeBlockKind, Event, Tag, TagEnd};

use super::blocks::{Inline, InlineStyle};

/// Byte offset -> 1-based file line.
pub(super) struct LineIndex {
    starts: Vec<usize>,
    first_line: usize,
}

impl LineIndex {
    pub(super) fn new(text: &str, first_line: usize) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts, first_line }
    }

    pub(super) fn line(&self, offset: usize) -> usize {
        let idx = self.starts.partition_point(|&s| s <= offset).saturating_sub(1);
        self.first_line + idx
    }
}

pub(super) type Events<'a> = std::iter::Peekable<pulldown_cmark::OffsetIter<'a>>;

/// A code block's language: the first word of a fence's info string (entity-decoded, so
/// cleaned), empty for an indented block.
pub(super) fn fence_lang(kind: &CodeBlockKind<'_>) -> String {
    match kind {
        CodeBlockKind::Fenced(info) => crate::text::clean(info.split_whitespace().next().unwrap_or("")).into_owned(),
        CodeBlockKind::Indented => String::new(),
    }
}

pub(super) fn is_inline(e: &Event<'_>) -> bool {
    match e {
        Event::Text(_)
        | Event::Code(_)
        | Event::InlineHtml(_)
        | Event::SoftBreak
        | Event::HardBreak
        | Event::FootnoteReference(_)
        | Event::InlineMath(_)
        | Event::DisplayMath(_) => true,
        Event::Start(t) => matches!(
            t,
            Tag::Emphasis
                | Tag::Strong
                | Tag::Strikethrough
                | Tag::Link { .. }
                | Tag::Image { .. }
                | Tag::Superscript
                | Tag::Subscript
        ),
        Event::End(t) => matches!(
            t,
            TagEnd::Emphasis
                | TagEnd::Strong
                | TagEnd::Strikethrough
                | TagEnd::Link
                | TagEnd::Image
                | TagEnd::Superscript
                | TagEnd::Subscript
        ),
        _ => false,
    }
}

/// The style state while collecting inline runs.
#[derive(Default)]
pub(super) struct Styles {
    style: InlineStyle,
    links: Vec<String>,
    depth_em: u32,
    depth_strong: u32,
    depth_strike: u32,
}

impl Styles {
    pub(super) fn push_event(&mut self, e: Event<'_>, out: &mut Vec<Inline>) {
        match e {
            Event::Text(t) | Event::InlineMath(t) | Event::DisplayMath(t) => self.push_text(&t, self.style, out),
            Event::Code(t) => self.push_text(&t, InlineStyle { code: true, ..self.style }, out),
            Event::InlineHtml(t) => self.push_text(&t, self.style, out),
            Event::SoftBreak => self.push_text(" ", self.style, out),
            Event::HardBreak => self.push_text("\n", self.style, out),
            Event::FootnoteReference(t) => self.push_text(&format!("[^{t}]"), self.style, out),
            Event::Start(Tag::Emphasis) => self.depth_em += 1,
            Event::Start(Tag::Strong) => self.depth_strong += 1,
            Event::Start(Tag::Strikethrough) => self.depth_strike += 1,
            Event::Start(Tag::Link { dest_url, .. }) => self.links.push(crate::text::clean(&dest_url).into_owned()),
            Event::Start(Tag::Image { .. }) => self.links.push(String::new()),
            Event::End(TagEnd::Emphasis) => self.depth_em = self.depth_em.saturating_sub(1),
            Event::End(TagEnd::Strong) => self.depth_strong = self.depth_strong.saturating_sub(1),
            Event::End(TagEnd::Strikethrough) => self.depth_strike = self.depth_strike.saturating_sub(1),
            Event::End(TagEnd::Link | TagEnd::Image) => {
                self.links.pop();
            }
            _ => {}
        }
        self.style = InlineStyle {
            emphasis: self.depth_em > 0,
            strong: self.depth_strong > 0,
            strike: self.depth_strike > 0,
            code: false,
        };
    }

    /// Text after entity decoding (`&#x1b;` is an ESC again), so cleaned once more here.
    fn push_text(&self, text: &str, style: InlineStyle, out: &mut Vec<Inline>) {
        let text = &*crate::text::clean(text);
        let link = self.links.last().filter(|l| !l.is_empty()).cloned();
        if let Some(last) = out.last_mut()
            && last.style == style
            && last.link == link
        {
            last.text.push_str(text);
            return;
        }
        out.push(Inline { text: text.to_owned(), style, link });
    }
}
