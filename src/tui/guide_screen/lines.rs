//! Blocks -> styled, wrapped terminal lines, for drawing the guide screen. Wrapping is done
//! here rather than by ratatui's Paragraph because drawing needs to know which lines each
//! answer and step landed on, to highlight the selection and keep it in view.

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

use super::Item;
use crate::runbook::{Block, Choice, Inline, Step};
use crate::tui::theme::Theme;

/// Rendered lines, for each item the range of lines it occupies, and the line each section
/// starts at (page view).
#[derive(Debug, Default)]
pub(crate) struct Rendered {
    pub lines: Vec<Line<'static>>,
    pub items: Vec<(Item, std::ops::Range<usize>)>,
    pub section_starts: Vec<usize>,
    /// For each link (in `links::links` order), the lines of the text holding it.
    pub links: Vec<std::ops::Range<usize>>,
}

/// How steps look: checked or not, and whether confirmed.
pub(crate) trait StepState {
    fn checked(&self, step: &Step) -> bool;
    /// The value of a command's input to show in place, if known.
    fn input(&self, _name: &str, _label: Option<&str>) -> Option<String> {
        None
    }
}

pub(crate) struct Renderer<'a> {
    pub theme: Theme,
    pub width: usize,
    pub steps: &'a dyn StepState,
    pub out: Rendered,
    answer_no: usize,
    step_no: usize,
    /// The link with the focus (drawn selected), and links met by `inline_spans` not yet
    /// placed on lines by `wrap`.
    pub focus: Option<usize>,
    pending_links: usize,
    /// How many `blocks` calls enclose the block being drawn: 1 for a section's own blocks.
    depth: usize,
}

impl std::fmt::Debug for Renderer<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Renderer")
            .field("width", &self.width)
            .field("lines", &self.out.lines.len())
            .finish_non_exhaustive()
    }
}

impl<'a> Renderer<'a> {
    pub(crate) fn new(theme: Theme, width: u16, steps: &'a dyn StepState) -> Self {
        Renderer {
            theme,
            width: usize::from(width.max(20)),
            steps,
            out: Rendered::default(),
            answer_no: 0,
            step_no: 0,
            focus: None,
            pending_links: 0,
            depth: 0,
        }
    }

    pub(crate) fn blank(&mut self) {
        if self.out.lines.last().is_some_and(|l| !l.spans.is_empty()) {
            self.out.lines.push(Line::default());
        }
    }

    pub(crate) fn push(&mut self, line: Line<'static>) {
        self.out.lines.push(line);
    }

    /// Wrap styled runs into lines of the renderer's width, with a first-line prefix and a
    /// continuation indent.
    pub(crate) fn wrap(&mut self, spans: Vec<Span<'static>>, first: Span<'static>, indent: usize) {
        let width = self.width.saturating_sub(indent).max(10);
        let start = self.out.lines.len();
        self.out.lines.extend(crate::tui::wrap::wrap(&spans, first, indent, width));
        for _ in 0..std::mem::take(&mut self.pending_links) {
            self.out.links.push(start..self.out.lines.len());
        }
    }

    pub(crate) fn inline_spans(&mut self, text: &[Inline], base: Style) -> Vec<Span<'static>> {
        let mut prev: Option<&str> = None;
        text.iter()
            .map(|i| {
                // One link per run of one destination, counted as `links::inline_links` does.
                let new_link = i.link.as_deref().is_some_and(|d| prev != Some(d));
                prev = i.link.as_deref();
                if new_link {
                    self.pending_links += 1;
                }
                let number = self.out.links.len() + self.pending_links;
                let focused = i.link.is_some() && self.focus == number.checked_sub(1);
                let mut s = base;
                if i.style.strong {
                    s = s.add_modifier(Modifier::BOLD);
                }
                if i.style.emphasis {
                    s = s.add_modifier(Modifier::ITALIC);
                }
                if i.style.strike {
                    s = s.add_modifier(Modifier::CROSSED_OUT);
                }
                if i.style.code {
                    s = s.patch(self.theme.code());
                }
                if i.link.is_some() {
                    s = s.patch(self.theme.link());
                }
                if focused {
                    s = s.patch(self.theme.selected());
                }
                Span::styled(i.text.clone(), s)
            })
            .collect()
    }

    /// The indent one level deeper, unless that would leave the text less than
    /// `MIN_TEXT_WIDTH` columns: past that, deeper levels line up with the last one, so the
    /// innermost text of a deeply nested runbook is still on the screen.
    fn nest(&self, indent: usize, by: usize) -> usize {
        if indent + by + MIN_TEXT_WIDTH <= self.width { indent + by } else { indent }
    }

    pub(crate) fn blocks(&mut self, blocks: &[Block], indent: usize) {
        self.depth += 1;
        for block in blocks {
            self.block(block, indent);
        }
        self.depth -= 1;
    }

    fn block(&mut self, block: &Block, indent: usize) {
        let pad = Span::raw(" ".repeat(indent));
        match block {
            Block::Paragraph { text, .. } => {
                let spans = self.inline_spans(text, Style::new());
                self.wrap(spans, pad, indent);
                self.blank();
            }
            Block::List { start, items, .. } => {
                for (n, item) in items.iter().enumerate() {
                    let bullet = start.map_or_else(|| "• ".to_owned(), |s| format!("{}. ", s + n as u64));
                    let inner = self.nest(indent, bullet.width());
                    let first = self.out.lines.len();
                    self.blocks(item, inner);
                    while self.out.lines.last().is_some_and(|l| l.spans.is_empty()) && self.out.lines.len() > first {
                        self.out.lines.pop();
                    }
                    if let Some(line) = self.out.lines.get_mut(first) {
                        // Put the bullet over the item's indentation.
                        if let Some(sp) = line.spans.first_mut()
                            && sp.content.chars().all(|c| c == ' ')
                            && sp.content.len() >= inner
                        {
                            *sp = Span::raw(format!("{}{}", " ".repeat(indent), bullet));
                        }
                    }
                }
                self.blank();
            }
            Block::Code { code, .. } => {
                self.code(code, indent);
                self.blank();
            }
            Block::Quote { blocks, .. } => {
                self.quoted(blocks, indent, Span::styled("│ ", self.theme.dim()));
            }
            Block::Alert { kind, blocks, .. } => {
                let style = self.theme.alert(*kind);
                self.push(Line::from(vec![pad.clone(), Span::styled(format!("▌ {}", kind.label()), style)]));
                self.quoted(blocks, indent, Span::styled("▌ ", style));
            }
            Block::Table { header, rows, .. } => {
                let lines = super::table::lines(self.theme, self.width, header, rows, indent);
                self.out.lines.extend(lines);
                self.blank();
            }
            Block::Rule { .. } => {
                self.push(Line::styled("─".repeat(self.width.min(40)), self.theme.dim()));
                self.blank();
            }
            // Only a section's own answers can be taken (`Section::choices`); answers nested
            // in a list or a quote are shown as a list.
            Block::Choices { choices, .. } if self.depth > 1 => {
                for c in choices {
                    let first = Span::raw(format!("{}• ", " ".repeat(indent)));
                    self.wrap(vec![Span::styled(c.label.clone(), self.theme.answer())], first, indent + 2);
                }
                self.blank();
            }
            Block::Choices { choices, .. } => {
                self.choices(choices, indent);
                self.blank();
            }
            // Only a section's own steps are its checklist (`Section::steps`); a task item
            // inside a quote, a list or another step is shown, not numbered or checked.
            Block::Step(step) if self.depth > 1 => self.nested_step(step, indent),
            Block::Step(step) => self.step(step, indent),
            Block::Html { text, .. } => {
                let spans = vec![Span::styled(text.clone(), self.theme.dim())];
                self.wrap(spans, pad, indent);
                self.blank();
            }
        }
    }

    /// Blocks with a bar in front of every line (quotes and alerts).
    fn quoted(&mut self, blocks: &[Block], indent: usize, bar: Span<'static>) {
        if self.nest(indent, bar.width()) == indent {
            // No room for another bar: the quote's text goes on at this level.
            self.blocks(blocks, indent);
            return;
        }
        let start = self.out.lines.len();
        let width = self.width;
        self.width = width.saturating_sub(2);
        self.blocks(blocks, indent);
        self.width = width;
        while self.out.lines.len() > start && self.out.lines.last().is_some_and(|l| l.spans.is_empty()) {
            self.out.lines.pop();
        }
        for line in &mut self.out.lines[start..] {
            line.spans.insert(0, bar.clone());
        }
        self.blank();
    }

    /// A command, verbatim, its inputs' known values in place: a line longer than the width
    /// breaks at a space (or, inside a word, after `…`) and continues after `↪`.
    pub(crate) fn code(&mut self, code: &str, indent: usize) {
        let width = self.width.saturating_sub(indent + 2).max(10);
        let code = crate::runbook::inputs::fill(code, |n, label| self.steps.input(n, label));
        for raw in code.trim_end_matches('\n').split('\n') {
            let raw = raw.replace('\t', "    ");
            for (i, piece) in crate::tui::wrap::command_pieces(&raw, width).into_iter().enumerate() {
                let lead = if i == 0 { "  " } else { "↪ " };
                self.push(Line::from(vec![
                    Span::raw(" ".repeat(indent)),
                    Span::styled(lead, self.theme.dim()),
                    Span::styled(piece, self.theme.code()),
                ]));
            }
        }
    }

    fn choices(&mut self, choices: &[Choice], indent: usize) {
        for c in choices {
            let n = self.answer_no;
            self.answer_no += 1;
            let start = self.out.lines.len();
            let key = if n < 9 { format!("[{}] ", n + 1) } else { "[ ] ".to_owned() };
            let first = Span::styled(format!("{}{key}", " ".repeat(indent)), self.theme.key());
            self.wrap(vec![Span::styled(c.label.clone(), self.theme.answer())], first, indent + key.width());
            self.out.items.push((Item::Answer(n), start..self.out.lines.len()));
        }
    }

    fn step(&mut self, step: &Step, indent: usize) {
        let n = self.step_no;
        self.step_no += 1;
        let start = self.out.lines.len();
        self.risk(step, indent);
        let checked = self.steps.checked(step);
        let (mark, style) =
            if checked { ("[x] ", self.theme.done()) } else { ("[ ] ", Style::new().add_modifier(Modifier::BOLD)) };
        let spans = self.inline_spans(&step.text, if checked { self.theme.dim() } else { Style::new() });
        let inner = self.nest(indent, 4);
        self.wrap(spans, Span::styled(format!("{}{mark}", " ".repeat(indent)), style), inner);
        if let Some(cmd) = &step.command {
            self.code(&cmd.code, inner);
        }
        if !step.body.is_empty() {
            self.blocks(&step.body, inner);
        }
        self.out.items.push((Item::Step(n), start..self.out.lines.len()));
        self.blank();
    }
}

impl Renderer<'_> {
    /// A step's CAUTION or WARNING, above it.
    fn risk(&mut self, step: &Step, indent: usize) {
        let Some(risk) = &step.risk else { return };
        let style = self.theme.alert(risk.kind);
        self.push(Line::from(vec![
            Span::raw(" ".repeat(indent)),
            Span::styled(format!("▌ {}: risky step", risk.kind.label()), style),
        ]));
        self.quoted(&risk.blocks, indent, Span::styled("▌ ", style));
        if self.out.lines.last().is_some_and(|l| l.spans.is_empty()) {
            self.out.lines.pop();
        }
    }

    fn nested_step(&mut self, step: &Step, indent: usize) {
        self.risk(step, indent);
        let mark = if step.checked { "[x] " } else { "[ ] " };
        let spans = self.inline_spans(&step.text, Style::new());
        let inner = self.nest(indent, 4);
        self.wrap(spans, Span::styled(format!("{}{mark}", " ".repeat(indent)), self.theme.dim()), inner);
        if let Some(cmd) = &step.command {
            self.code(&cmd.code, inner);
        }
        self.blocks(&step.body, inner);
        self.blank();
    }
}

/// The fewest columns of text a nested block keeps (see `Renderer::nest`).
const MIN_TEXT_WIDTH: usize = 24;
