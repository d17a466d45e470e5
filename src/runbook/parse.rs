//! Markdown body -> sections of typed blocks (choices, steps, commands, alerts, tables), each
//! with its source line. No I/O: the loader hands in text, and the same model then serves
//! search, `show`, `check` and the TUI.

use std::collections::HashSet;

use pulldown_cmark::{BlockQuoteKind, CodeBlockKind, Event, Options, Parser, Tag, TagEnd};

use super::model::{AlertKind, Block, Choice, Command, Inline, InlineStyle, Risk, Section, SectionRole, Step, Target};
use super::nesting::{MAX_NESTING, flatten};
use crate::problem::Finding;
use crate::text::github_slug;

/// Id of the implicit section holding text before the first heading (`#top` on GitHub).
pub const INTRO_ID: &str = "top";

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
        | Options::ENABLE_GFM
}

/// Parse a markdown body whose first line is line `first_line` of the file. Containers nested
/// deeper than [`MAX_NESTING`] are flattened, and reported once as a `nesting` finding.
pub fn parse_body(body: &str, first_line: usize) -> (Vec<Section>, Vec<Finding>) {
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
    let mut cx = Cx { lines: &lines, task: None, depth: 0, flattened_at: None };
    while let Some((event, range)) = events.next() {
        if let Event::Start(Tag::Heading { level, id, .. }) = event {
            let inlines = cx.inlines(&mut events, TagEnd::Heading(level));
            // A heading is one line, even with a hard break (`\` at a line end) in its text.
            let title = crate::text::one_line(&super::model::plain_text(&inlines)).trim().to_owned();
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
    let findings = cx
        .flattened_at
        .map(|line| {
            Finding::error(
                Some(line),
                "nesting",
                format!(
                    "quotes or lists nest more than {MAX_NESTING} levels deep here; the deeper levels \
                     are shown as plain paragraphs. Nest less"
                ),
            )
        })
        .into_iter()
        .collect();
    (sections, findings)
}

fn role_of(title: &str) -> SectionRole {
    let t = title.trim().trim_end_matches([':', '.']).to_lowercase();
    match t.as_str() {
        "before you start" | "before you begin" | "pre-checks" | "prechecks" | "pre checks" | "pre-check" => {
            SectionRole::PreChecks
        }
        "verify" | "verification" => SectionRole::Verify,
        "rollback" | "roll back" => SectionRole::Rollback,
        "escalate" | "escalation" => SectionRole::Escalate,
        _ => SectionRole::Normal,
    }
}

/// Heading ids as GitHub makes them: explicit `{#id}` wins, repeats get `-1`, `-2`, ...
#[derive(Default)]
struct Slugger {
    seen: HashSet<String>,
}

impl Slugger {
    fn id(&mut self, explicit: Option<&str>, title: &str) -> String {
        if let Some(id) = explicit.map(crate::text::clean).filter(|s| !s.is_empty()) {
            self.seen.insert(id.clone().into_owned());
            return id.into_owned();
        }
        let base = github_slug(title);
        let mut id = base.clone();
        let mut n = 0;
        while !self.seen.insert(id.clone()) {
            n += 1;
            id = format!("{base}-{n}");
        }
        id
    }
}

/// Byte offset -> 1-based file line.
pub(super) struct LineIndex {
    starts: Vec<usize>,
    first_line: usize,
}

impl LineIndex {
    fn new(text: &str, first_line: usize) -> Self {
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

struct Cx<'l> {
    lines: &'l LineIndex,
    /// The task-list marker of the item being parsed (`- [ ]` / `- [x]`).
    task: Option<bool>,
    /// How many containers enclose the blocks being parsed.
    depth: usize,
    /// The line of the first container that was flattened for nesting too deeply.
    flattened_at: Option<usize>,
}

impl Cx<'_> {
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
                if !text.is_empty() {
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
        if let Some(choices) = as_choices(&items) {
            out.push(Block::Choices { choices, line });
            return;
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

/// A code block's language: the first word of a fence's info string (entity-decoded, so
/// cleaned), empty for an indented block.
pub(super) fn fence_lang(kind: &CodeBlockKind<'_>) -> String {
    match kind {
        CodeBlockKind::Fenced(info) => crate::text::clean(info.split_whitespace().next().unwrap_or("")).into_owned(),
        CodeBlockKind::Indented => String::new(),
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

/// A list is a set of answers when every item is just one link to a section or a runbook.
fn as_choices(items: &[(Vec<Block>, Option<bool>, usize)]) -> Option<Vec<Choice>> {
    if items.is_empty() {
        return None;
    }
    items
        .iter()
        .map(|(blocks, task, line)| {
            if task.is_some() {
                return None;
            }
            let [Block::Paragraph { text, .. }] = blocks.as_slice() else {
                return None;
            };
            let dest = text.iter().find_map(|i| i.link.clone())?;
            let only_link = text.iter().all(|i| i.link.as_deref() == Some(dest.as_str()) || i.text.trim().is_empty());
            if !only_link {
                return None;
            }
            let label = super::model::plain_text(text).trim().to_owned();
            Some(Choice { label, target: target_of(&dest)?, line: *line })
        })
        .collect()
}

/// Interpret a link destination as a section or runbook target; `None` for anything else
/// (web addresses, absolute paths, images, other files).
pub fn target_of(dest: &str) -> Option<Target> {
    if let Some(frag) = dest.strip_prefix('#') {
        return (!frag.is_empty()).then(|| Target::Section { section: frag.to_owned() });
    }
    if dest.contains("://") || dest.starts_with('/') || dest.starts_with("mailto:") {
        return None;
    }
    let (path, frag) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f.to_owned()).filter(|f| !f.is_empty())),
        None => (dest, None),
    };
    let lower = path.to_lowercase();
    if !(lower.ends_with(".md") || lower.ends_with(".markdown")) {
        return None;
    }
    Some(Target::Runbook { path: path.to_owned(), section: frag })
}

fn step_from(mut blocks: Vec<Block>, checked: bool, line: usize) -> Step {
    let text = match blocks.first() {
        Some(Block::Paragraph { .. }) => match blocks.remove(0) {
            Block::Paragraph { text, .. } => text,
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    let command = blocks.iter().position(|b| matches!(b, Block::Code { .. })).and_then(|i| match blocks.remove(i) {
        Block::Code { lang, code, line } => Some(Command { lang, code, line }),
        _ => None,
    });
    let risk =
        blocks.iter().position(|b| matches!(b, Block::Alert { kind, .. } if kind.is_risk())).and_then(|i| match blocks
            .remove(i)
        {
            Block::Alert { kind, blocks, .. } => Some(Risk { kind, blocks }),
            _ => None,
        });
    Step { text, body: blocks, command, risk, checked, line }
}

/// Within a section: a CAUTION/WARNING alert right before a step marks it risky, and a code
/// block right after a step without a command becomes its command.
fn attach_steps(blocks: &mut Vec<Block>) {
    let mut i = 0;
    while i < blocks.len() {
        let next_is_step = matches!(blocks.get(i + 1), Some(Block::Step(s)) if s.risk.is_none());
        if next_is_step && matches!(&blocks[i], Block::Alert { kind, .. } if kind.is_risk()) {
            if let Block::Alert { kind, blocks: alert, .. } = blocks.remove(i)
                && let Some(Block::Step(step)) = blocks.get_mut(i)
            {
                step.risk = Some(Risk { kind, blocks: alert });
            }
            continue;
        }
        let prev_needs_command = i > 0 && matches!(&blocks[i - 1], Block::Step(s) if s.command.is_none());
        if prev_needs_command && matches!(&blocks[i], Block::Code { .. }) {
            if let Block::Code { lang, code, line } = blocks.remove(i)
                && let Some(Block::Step(step)) = blocks.get_mut(i - 1)
            {
                step.command = Some(Command { lang, code, line });
            }
            continue;
        }
        i += 1;
    }
}
