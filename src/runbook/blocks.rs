//! The content of a section as typed blocks (paragraphs, lists, answers, steps with their
//! commands and warnings, alerts, tables) and their inline runs, with the plain-text views of
//! them that search, `check` and the TUI share.

use serde::Serialize;

/// A block of content, in source order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Block {
    Paragraph {
        text: Vec<Inline>,
        line: usize,
    },
    /// An ordinary list; each item is a list of blocks. `start` is set for ordered lists.
    List {
        start: Option<u64>,
        items: Vec<Vec<Block>>,
        line: usize,
    },
    Code {
        lang: String,
        code: String,
        line: usize,
    },
    Quote {
        blocks: Vec<Block>,
        line: usize,
    },
    Alert {
        kind: AlertKind,
        blocks: Vec<Block>,
        line: usize,
    },
    Table {
        header: Vec<Vec<Inline>>,
        rows: Vec<Vec<Vec<Inline>>>,
        line: usize,
    },
    Rule {
        line: usize,
    },
    /// The answers of this section's question.
    Choices {
        choices: Vec<Choice>,
        line: usize,
    },
    Step(Step),
    /// Raw HTML, kept as text (it is shown, never interpreted).
    Html {
        text: String,
        line: usize,
    },
}

impl Block {
    pub fn line(&self) -> usize {
        match self {
            Block::Paragraph { line, .. }
            | Block::List { line, .. }
            | Block::Code { line, .. }
            | Block::Quote { line, .. }
            | Block::Alert { line, .. }
            | Block::Table { line, .. }
            | Block::Rule { line }
            | Block::Choices { line, .. }
            | Block::Html { line, .. } => *line,
            Block::Step(step) => step.line,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AlertKind {
    Note,
    Tip,
    Important,
    Warning,
    Caution,
}

impl AlertKind {
    pub(crate) fn label(self) -> &'static str {
        match self {
            AlertKind::Note => "NOTE",
            AlertKind::Tip => "TIP",
            AlertKind::Important => "IMPORTANT",
            AlertKind::Warning => "WARNING",
            AlertKind::Caution => "CAUTION",
        }
    }

    pub(crate) fn is_risk(self) -> bool {
        matches!(self, AlertKind::Warning | AlertKind::Caution)
    }
}

/// A run of text with one style.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Inline {
    pub text: String,
    pub style: InlineStyle,
    /// Link destination, when the run is (part of) a link's text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct InlineStyle {
    pub emphasis: bool,
    pub strong: bool,
    pub code: bool,
    pub strike: bool,
}

/// One answer of a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Choice {
    /// Given by the parser (see `steps::give_ids`): stable while the text stays.
    pub id: String,
    /// The answer as plain text.
    pub label: String,
    pub target: Target,
    pub line: usize,
}

/// Where an answer leads.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "to", rename_all = "kebab-case")]
pub enum Target {
    /// A section of the same runbook.
    Section { section: String },
    /// Another runbook, by path relative to this file, optionally at a section.
    Runbook { path: String, section: Option<String> },
}

/// A task-list item: something the responder does and checks off.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// Given by the parser (see `steps::give_ids`): what the incident, the journal, resume,
    /// the handoff and insights know the step by, stable while its text stays.
    pub id: String,
    pub text: Vec<Inline>,
    /// Further blocks inside the item (besides the command).
    pub body: Vec<Block>,
    pub command: Option<Command>,
    /// The CAUTION/WARNING alert that marks this step as risky.
    pub risk: Option<Risk>,
    /// Checked in the source (`- [x]`).
    pub checked: bool,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Command {
    pub lang: String,
    pub code: String,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Risk {
    pub kind: AlertKind,
    pub blocks: Vec<Block>,
}

/// Inline runs joined as plain text.
pub fn plain_text(inlines: &[Inline]) -> String {
    inlines.iter().map(|i| i.text.as_str()).collect()
}

/// Call `f` on every inline run inside `blocks`, depth first (steps, lists, quotes, tables).
pub(crate) fn visit_inlines<'a>(blocks: &'a [Block], f: &mut impl FnMut(&'a Inline)) {
    for block in blocks {
        match block {
            Block::Paragraph { text, .. } => text.iter().for_each(&mut *f),
            Block::List { items, .. } => items.iter().for_each(|item| visit_inlines(item, f)),
            Block::Quote { blocks, .. } | Block::Alert { blocks, .. } => visit_inlines(blocks, f),
            Block::Table { header, rows, .. } => {
                header.iter().flatten().for_each(&mut *f);
                rows.iter().flatten().flatten().for_each(&mut *f);
            }
            Block::Step(step) => {
                step.text.iter().for_each(&mut *f);
                if let Some(risk) = &step.risk {
                    visit_inlines(&risk.blocks, f);
                }
                visit_inlines(&step.body, f);
            }
            Block::Code { .. } | Block::Rule { .. } | Block::Choices { .. } | Block::Html { .. } => {}
        }
    }
}

/// Call `f` on the text of every command and code block inside `blocks`, depth first (the
/// depth is the parser's, which flattens deep nesting).
pub(crate) fn visit_code_mut(blocks: &mut [Block], f: &mut impl FnMut(&mut String)) {
    for block in blocks {
        match block {
            Block::Code { code, .. } => f(code),
            Block::List { items, .. } => items.iter_mut().for_each(|item| visit_code_mut(item, f)),
            Block::Quote { blocks, .. } | Block::Alert { blocks, .. } => visit_code_mut(blocks, f),
            Block::Step(step) => {
                if let Some(cmd) = step.command.as_mut() {
                    f(&mut cmd.code);
                }
                if let Some(risk) = step.risk.as_mut() {
                    visit_code_mut(&mut risk.blocks, f);
                }
                visit_code_mut(&mut step.body, f);
            }
            Block::Paragraph { .. }
            | Block::Table { .. }
            | Block::Rule { .. }
            | Block::Choices { .. }
            | Block::Html { .. } => {}
        }
    }
}

/// Blocks as plain lines (what `Section::text` gives for a whole section).
pub(crate) fn blocks_text(blocks: &[Block]) -> String {
    let mut out = String::new();
    push_blocks_text(blocks, &mut out);
    out
}

fn push_blocks_text(blocks: &[Block], out: &mut String) {
    let line = |out: &mut String, s: &str| {
        let s = s.trim();
        if !s.is_empty() {
            out.push_str(s);
            out.push('\n');
        }
    };
    for block in blocks {
        match block {
            Block::Paragraph { text, .. } => line(out, &plain_text(text)),
            Block::List { items, .. } => items.iter().for_each(|item| push_blocks_text(item, out)),
            Block::Quote { blocks, .. } | Block::Alert { blocks, .. } => push_blocks_text(blocks, out),
            Block::Code { code, .. } => line(out, code),
            Block::Html { text, .. } => line(out, text),
            Block::Table { header, rows, .. } => {
                for row in std::iter::once(header).chain(rows) {
                    line(out, &row.iter().map(|c| plain_text(c)).collect::<Vec<_>>().join(" | "));
                }
            }
            Block::Rule { .. } => {}
            Block::Choices { choices, .. } => choices.iter().for_each(|c| line(out, &c.label)),
            Block::Step(step) => {
                if let Some(risk) = &step.risk {
                    push_blocks_text(&risk.blocks, out);
                }
                line(out, &plain_text(&step.text));
                if let Some(cmd) = &step.command {
                    line(out, &cmd.code);
                }
                push_blocks_text(&step.body, out);
            }
        }
    }
}
