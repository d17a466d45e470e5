//! The depth cap on nested containers. A runbook decides how deeply its block quotes, list
//! items and alerts nest, and every consumer of the model (the parser itself, `Drop`, serde,
//! the renderers, the search document, snippets) walks that nesting recursively. So the
//! parser never builds a model deeper than [`MAX_NESTING`]: a container that would go deeper
//! is read here, without recursion, and its text becomes plain paragraphs (and code blocks)
//! at the last level. The file still loads, is searchable and opens; `check` reports the
//! first flattened line once per file as a `nesting` error.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::blocks::{Block, Inline};
use super::inline::{Events, LineIndex, Styles, fence_lang, is_inline};

/// How many containers may nest. cmark-gfm (GitHub's parser) caps the nesting of lists for
/// the same reason (GHSA-66g8-4hjf-77xh); 32 is far past any runbook (three or four levels)
/// and keeps `show --json` readable by a script: at three JSON levels a container, the
/// deepest runbook stays under serde_json's default depth of 128 and old jq's 256.
pub const MAX_NESTING: usize = 32;

/// Read the rest of a container whose `Start` was just consumed, up to its matching `End`,
/// without recursing: leaf blocks (paragraphs, headings, table cells, list item text)
/// become paragraphs, code blocks stay code, raw HTML stays HTML. Task markers, quotes and
/// list structure below the cap are dropped; their text is kept.
pub(super) fn flatten(events: &mut Events<'_>, lines: &LineIndex) -> Vec<Block> {
    let mut out = Vec::new();
    let mut text: Vec<Inline> = Vec::new();
    let mut text_line = 0;
    let mut styles = Styles::default();
    let mut code: Option<(String, String, usize)> = None;
    // Block-level tags opened inside the container and not yet closed. Events are well
    // nested, so the first block-level `End` seen with none open closes the container.
    let mut open: usize = 0;
    for (event, range) in events.by_ref() {
        let line = lines.line(range.start);
        if let Some((_, body, _)) = code.as_mut() {
            match event {
                Event::Text(t) => body.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    if let Some((lang, code, line)) = code.take() {
                        out.push(Block::Code { lang, code, line });
                    }
                    open = open.saturating_sub(1);
                }
                _ => {}
            }
            continue;
        }
        match event {
            e if is_inline(&e) => {
                if text.is_empty() {
                    text_line = line;
                }
                styles.push_event(e, &mut text);
            }
            Event::Start(tag) => {
                flush(&mut text, text_line, &mut out);
                open = open.saturating_add(1);
                if let Tag::CodeBlock(kind) = tag {
                    code = Some((fence_lang(&kind), String::new(), line));
                }
            }
            Event::End(_) => {
                flush(&mut text, text_line, &mut out);
                if open == 0 {
                    break;
                }
                open -= 1;
            }
            Event::Html(t) => {
                flush(&mut text, text_line, &mut out);
                let t = t.trim_end();
                if !t.is_empty() {
                    out.push(Block::Html { text: t.to_owned(), line });
                }
            }
            _ => {}
        }
    }
    flush(&mut text, text_line, &mut out);
    out
}

/// End the paragraph being collected, if there is one.
fn flush(text: &mut Vec<Inline>, line: usize, out: &mut Vec<Block>) {
    if text.iter().any(|i| !i.text.trim().is_empty()) {
        out.push(Block::Paragraph { text: std::mem::take(text), line });
    }
    text.clear();
}
