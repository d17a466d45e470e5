//! Markdown body -> sections of typed blocks (choices, steps, commands, alerts, tables), each
//! with its source line. No I/O: the loader hands in text, and the same model then serves
//! search, `show`, `check` and the TUI.

use pulldown_cmark::{BlockQuoteKind, Event, Options, Parser, Tag, TagEnd};

use super::blocks::{AlertKind, Block, Inline};
use super::headings::{Slugger, role_of};
use super::inline::{Events, LineIndex, Styles, fence_lang, is_inline};
use super::model::{Section, SectionRole};
use super::nesting::{MAX_NESTING, flatten};
use super::steps::{ListKind, as_choices, attach_steps, step_from};
use crate::problem::Finding;

/// Id of the implicit section holding text before the first heading (`#top` on GitHub).
pub(crate) const INTRO_ID: &str = "top";

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// Parse a markdown body whose first line is line `first_line` of the file. Containers nested
/// deeper than [`MAX_NESTING`] are flattened, and reported once as a `nesting` finding.
pub(crate) fn parse_body(body: &str, first_line: usize) -> (Vec<Section>, Vec<Finding>) {
    let lines = LineIndex::new(body, first_line);
    let mut events = Parser::new_ext(body, options()).into_offset_iter().peekable();
    let mut sections = vec![Section {
        id: INTRO_ID.into(),
        title: String::new(),
        level: 0,
        line: first_line,
        role: SectionRole::Normal,
        blocks: Vec::new(),
    }];
    let mut slugs = Slugger::default();
    let mut cx = Context { lines: &lines, task: None, depth: 0, flattened_at: None, findings: Vec::new() };
    while let Some((event, range)) = events.next() {
        if let Event::Start(Tag::Heading { level, id, .. }) = event {
            let inlines = cx.inlines(&mut events, TagEnd::Heading(level));
            // A heading is one line, even with a hard break (`\` at a line end) in its text.
            let title = crate::text::one_line(&super::blocks::plain_text(&inlines)).trim().to_owned();
            let id = slugs.id(id.as_deref(), &title);
            let role = role_of(&title);
            sections.push(Section {
                id,
                title,
                level: level as u8,
                line: lines.line(range.start),
                role,
                blocks: Vec::new(),
            });
            continue;
        }
        let mut pending = Vec::new();
        cx.block(event, range, &mut events, &mut pending);
        if let Some(current) = sections.last_mut() {
            current.blocks.extend(pending);
        }
    }
    for s in &mut sections {
        attach_steps(&mut s.blocks);
    }
    if sections.first().is_some_and(|s| s.blocks.is_empty()) && sections.len() > 1 {
        sections.remove(0);
    }
    super::steps::give_ids(&mut sections);
    let mut findings = std::mem::take(&mut cx.findings);
    findings.extend(cx.flattened_at.map(|line| {
        Finding::error(
            Some(line),
            "nesting",
            format!(
                "quotes or lists nest more than {MAX_NESTING} levels deep here; the deeper levels \
                     are shown as plain paragraphs. Nest less"
            ),
        )
    }));
    (sections, findings)
}

struct Context<'l> {
    lines: &'l LineIndex,
    /// The task-list marker of the item being parsed (`- [ ]` / `- [x]`).
    task: Option<bool>,
    /// How many containers enclose the blocks being parsed.
    depth: usize,
    /// The line of the first container that was flattened for nesting too deeply.
    flattened_at: Option<usize>,
    /// What reading the markdown found wrong (a list of answers broken by one item).
    findings: Vec<Finding>,
}

impl Context<'_> {
    /// The blocks of a container (quote, alert, list item, footnote) whose `Start` was just
    /// read: parsed one level deeper, or flattened when that would pass [`MAX_NESTING`].
    /// This is the only place the parser recurses, so its depth is bounded here.
    fn container(&mut self, events: &mut Events<'_>, end: TagEnd, line: usize) -> Vec<Block> {
        if self.depth >= MAX_NESTING {
            self.flattened_at.get_or_insert(line);
            return flatten(events, self.lines);
        }
        self.depth += 1;
        let blocks = self.blocks_until(events, end);
        self.depth -= 1;
        blocks
    }

    /// Parse blocks until `end`; loose inline events (tight list items) become paragraphs.
    fn blocks_until(&mut self, events: &mut Events<'_>, end: TagEnd) -> Vec<Block> {
        let mut out = Vec::new();
        let mut loose: Vec<Inline> = Vec::new();
        let mut loose_line = 0;
        let mut styles = Styles::default();
        while let Some((event, range)) = events.next() {
            match event {
                Event::End(e) if e == end => break,
                Event::TaskListMarker(checked) => self.task = Some(checked),
                e if is_inline(&e) => {
                    if loose.is_empty() {
                        loose_line = self.lines.line(range.start);
                    }
                    styles.push_event(e, &mut loose);
                }
                other => {
                    if !loose.is_empty() {
                        out.push(Block::Paragraph { text: std::mem::take(&mut loose), line: loose_line });
                    }
                    self.block(other, range, events, &mut out);
                }
            }
        }
        if !loose.is_empty() {
            out.push(Block::Paragraph { text: loose, line: loose_line });
        }
        out
    }

    fn inlines(&mut self, events: &mut Events<'_>, end: TagEnd) -> Vec<Inline> {
        let mut out = Vec::new();
        let mut styles = Styles::default();
        for (event, _) in events.by_ref() {
            match event {
                Event::End(e) if e == end => break,
                Event::TaskListMarker(checked) => self.task = Some(checked),
                e => styles.push_event(e, &mut out),
            }
        }
        out
    }

    /// Parse one block that starts with `event`, appending to `out`.
    fn block(
        &mut self,
        event: Event<'_>,
        range: std::ops::Range<usize>,
        events: &mut Events<'_>,
        out: &mut Vec<Block>,
    ) {
        let line = self.lines.line(range.start);
        match event {
            Event::Start(Tag::Paragraph) => {
                let text = self.inlines(events, TagEnd::Paragraph);
                out.push(Block::Paragraph { text, line });
            }
            Event::Start(Tag::Heading { level, .. }) => {
                // Only reached inside containers: shown as a strong paragraph.
                let mut text = self.inlines(events, TagEnd::Heading(level));
                text.iter_mut().for_each(|i| i.style.strong = true);
                out.push(Block::Paragraph { text, line });
            }
            Event::Start(Tag::CodeBlock(kind)) => {
                let lang = fence_lang(&kind);
                let mut code = String::new();
                for (e, _) in events.by_ref() {
                    match e {
                        Event::Text(t) => code.push_str(&t),
                        Event::End(TagEnd::CodeBlock) => break,
                        _ => {}
                    }
                }
                out.push(Block::Code { lang, code, line });
            }
            Event::Start(Tag::BlockQuote(kind)) => {
                let blocks = self.container(events, TagEnd::BlockQuote(kind), line);
                out.push(match kind.map(alert_kind) {
                    Some(kind) => Block::Alert { kind, blocks, line },
                    None => Block::Quote { blocks, line },
                });
            }
            Event::Start(Tag::List(start)) => self.list(start, line, events, out),
            Event::Start(Tag::Table(_)) => out.push(self.table(events, line)),
            Event::Start(Tag::HtmlBlock) => {
                let mut text = String::new();
                for (e, _) in events.by_ref() {
                    match e {
                        Event::Html(t) | Event::Text(t) => text.push_str(&t),
                        Event::End(TagEnd::HtmlBlock) => break,
                        _ => {}
                    }
                }
                let text = text.trim_end().to_owned();
                // A comment is a note to the authors: GitHub does not show it, nor does the tool.
                if !text.is_empty() && !is_comment(&text) {
                    out.push(Block::Html { text, line });
                }
            }
            Event::Rule => out.push(Block::Rule { line }),
            Event::Start(tag) => {
                // Footnote definitions, definition lists, metadata: keep their text.
                let blocks = self.container(events, tag.to_end(), line);
                out.extend(blocks);
            }
            Event::Html(t) | Event::Text(t) => out.push(Block::Html { text: t.trim_end().to_owned(), line }),
            _ => {}
        }
    }

    fn list(&mut self, start: Option<u64>, line: usize, events: &mut Events<'_>, out: &mut Vec<Block>) {
        let mut items: Vec<(Vec<Block>, Option<bool>, usize)> = Vec::new();
        while let Some((event, range)) = events.next() {
            match event {
                Event::Start(Tag::Item) => {
                    // A nested list's items must not take this item's task marker.
                    let outer = self.task.take();
                    let item_line = self.lines.line(range.start);
                    let blocks = self.container(events, TagEnd::Item, item_line);
                    let task = std::mem::replace(&mut self.task, outer);
                    items.push((blocks, task, item_line));
                }
                Event::End(TagEnd::List(_)) => break,
                _ => {}
            }
        }
        match as_choices(&items) {
            ListKind::Answers(choices) => {
                out.push(Block::Choices { choices, line });
                return;
            }
            ListKind::Broken { line: at, why } => self.findings.push(Finding::error(
                Some(at),
                "answers",
                format!("this item breaks a list of answers, which is shown as plain bullets, so the question has no answers: {why}"),
            )),
            ListKind::Plain => {}
        }
        if items.iter().all(|(_, task, _)| task.is_none()) {
            out.push(Block::List { start, items: items.into_iter().map(|(b, _, _)| b).collect(), line });
            return;
        }
        let mut plain: Vec<Vec<Block>> = Vec::new();
        let mut plain_line = line;
        for (blocks, task, item_line) in items {
            match task {
                Some(checked) => {
                    if !plain.is_empty() {
                        out.push(Block::List { start: None, items: std::mem::take(&mut plain), line: plain_line });
                    }
                    out.push(Block::Step(step_from(blocks, checked, item_line)));
                }
                None => {
                    if plain.is_empty() {
                        plain_line = item_line;
                    }
                    plain.push(blocks);
                }
            }
        }
        if !plain.is_empty() {
            out.push(Block::List { start: None, items: plain, line: plain_line });
        }
    }

    fn table(&mut self, events: &mut Events<'_>, line: usize) -> Block {
        let mut header = Vec::new();
        let mut rows = Vec::new();
        let mut row: Vec<Vec<Inline>> = Vec::new();
        while let Some((event, _)) = events.next() {
            match event {
                Event::Start(Tag::TableCell) => row.push(self.inlines(events, TagEnd::TableCell)),
                Event::End(TagEnd::TableHead) => header = std::mem::take(&mut row),
                Event::End(TagEnd::TableRow) => rows.push(std::mem::take(&mut row)),
                Event::End(TagEnd::Table) => break,
                _ => {}
            }
        }
        Block::Table { header, rows, line }
    }
}

fn alert_kind(kind: BlockQuoteKind) -> AlertKind {
    match kind {
        BlockQuoteKind::Note => AlertKind::Note,
        BlockQuoteKind::Tip => AlertKind::Tip,
        BlockQuoteKind::Important => AlertKind::Important,
        BlockQuoteKind::Warning => AlertKind::Warning,
        BlockQuoteKind::Caution => AlertKind::Caution,
    }
}

/// Whether an HTML block is only comments (`<!-- ... -->`, possibly several).
fn is_comment(html: &str) -> bool {
    let mut rest = html.trim();
    while let Some(after) = rest.strip_prefix("<!--") {
        let Some(end) = after.find("-->") else { return false };
        rest = after.get(end.saturating_add(3)..).unwrap_or("").trim_start();
    }
    rest.is_empty()
}
