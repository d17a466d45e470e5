//! The typed model of a runbook: pure data, parsed once and consumed by search, `show`,
//! `check` and the TUI alike, so that all of them agree on what a runbook says.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

/// One runbook file, parsed.
#[derive(Debug, Clone, Serialize)]
pub struct Runbook {
    /// Unique id: frontmatter `id`, else the path relative to its root without extension.
    pub id: String,
    /// Title shown everywhere (frontmatter, first H1, first heading, or the file name).
    pub title: String,
    /// Which root (index into `Library::roots`) the file was found under.
    pub root: usize,
    /// Path relative to its root, with `/` separators.
    pub path: String,
    /// The path on disk.
    #[serde(skip)]
    pub file: PathBuf,
    /// The effective kind (declared, or derived from the content).
    pub kind: Kind,
    pub meta: Frontmatter,
    pub sections: Vec<Section>,
    /// Whether the runbook declares this tool's conventions (frontmatter keys such as
    /// `symptoms`, `kind`, `escalation`).
    /// Plain documentation pages are loaded and searchable but not held to the format's rules.
    pub structured: bool,
}

/// Validated frontmatter. Every field is optional; a field with a wrong type is left empty
/// and reported as a problem.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Frontmatter {
    pub id: Option<String>,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub symptoms: Vec<String>,
    pub systems: Vec<String>,
    pub tags: Vec<String>,
    pub aliases: Vec<String>,
    pub kind: Option<Kind>,
    pub severity: Option<Severity>,
    pub start: Option<String>,
    pub escalation: Vec<Escalation>,
    pub last_reviewed: Option<jiff::civil::Date>,
    /// Review interval in whole days.
    pub review_every_days: Option<i64>,
    /// Keys this tool does not know, kept as YAML text (Hugo's `weight`, `layout`, ...).
    pub extra: BTreeMap<String, String>,
    /// 1-based line of each known key, for problems found later (e.g. an unknown `start`).
    #[serde(skip)]
    pub key_lines: BTreeMap<String, usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Guide,
    Procedure,
    Reference,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Guide => "guide",
            Kind::Procedure => "procedure",
            Kind::Reference => "reference",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

/// Who to call, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Escalation {
    pub name: String,
    pub contact: Option<String>,
    pub when: Option<String>,
    /// Call them once this many minutes have passed since the runbook was opened.
    pub after_minutes: Option<i64>,
}

/// A heading and everything up to the next heading.
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub id: String,
    /// Heading text as plain text (empty for the implicit introduction).
    pub title: String,
    /// Heading level 1-6, or 0 for the text before the first heading.
    pub level: u8,
    /// 1-based source line of the heading.
    pub line: usize,
    pub role: SectionRole,
    pub blocks: Vec<Block>,
}

/// What a section means in a procedure, recognised from its title.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SectionRole {
    Normal,
    PreChecks,
    Verify,
    Rollback,
    Escalate,
}

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
    pub fn label(self) -> &'static str {
        match self {
            AlertKind::Note => "NOTE",
            AlertKind::Tip => "TIP",
            AlertKind::Important => "IMPORTANT",
            AlertKind::Warning => "WARNING",
            AlertKind::Caution => "CAUTION",
        }
    }

    pub fn is_risk(self) -> bool {
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
    /// The answer as plain text.
    pub label: String,
    pub target: Target,
    pub line: usize,
}

/// Where an answer leads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
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

impl Runbook {
    pub fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }

    pub fn section_index(&self, id: &str) -> Option<usize> {
        self.sections.iter().position(|s| s.id == id)
    }

    /// The section a walk through the runbook starts at: `start`, else the first section
    /// that asks a question, else the first section. Sections before it are the preamble.
    pub fn start_index(&self) -> usize {
        self.meta
            .start
            .as_deref()
            .and_then(|id| self.section_index(id))
            .or_else(|| self.sections.iter().position(|s| s.choices().next().is_some()))
            .unwrap_or(0)
    }

    /// Every step of the runbook, in order, with the index of its section.
    pub fn steps(&self) -> impl Iterator<Item = (usize, &Step)> {
        self.sections.iter().enumerate().flat_map(|(i, s)| {
            s.blocks.iter().filter_map(move |b| match b {
                Block::Step(step) => Some((i, step)),
                _ => None,
            })
        })
    }

    pub fn has_role(&self, role: SectionRole) -> bool {
        self.sections.iter().any(|s| s.role == role)
    }

    /// Summary to show in lists: the frontmatter summary, else the first paragraph.
    pub fn summary(&self) -> String {
        if let Some(s) = &self.meta.summary {
            return s.clone();
        }
        self.sections
            .iter()
            .flat_map(|s| s.blocks.iter())
            .find_map(|b| match b {
                Block::Paragraph { text, .. } => Some(plain_text(text)),
                _ => None,
            })
            .unwrap_or_default()
    }
}

impl Section {
    /// The answers of this section, if it asks a question.
    pub fn choices(&self) -> impl Iterator<Item = &Choice> {
        self.blocks.iter().flat_map(|b| match b {
            Block::Choices { choices, .. } => choices.as_slice(),
            _ => &[],
        })
    }

    pub fn steps(&self) -> impl Iterator<Item = &Step> {
        self.blocks.iter().filter_map(|b| match b {
            Block::Step(step) => Some(step),
            _ => None,
        })
    }
}

/// Inline runs joined as plain text.
pub fn plain_text(inlines: &[Inline]) -> String {
    inlines.iter().map(|i| i.text.as_str()).collect()
}

/// Call `f` on every inline run inside `blocks`, depth first (steps, lists, quotes, tables).
pub fn visit_inlines<'a>(blocks: &'a [Block], f: &mut impl FnMut(&'a Inline)) {
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

impl Section {
    /// The section's text as plain lines (paragraphs, list items, steps, commands, tables),
    /// for search and for finding text; markup is dropped.
    pub fn text(&self) -> String {
        blocks_text(&self.blocks)
    }
}

/// Blocks as plain lines (what `Section::text` gives for a whole section).
pub fn blocks_text(blocks: &[Block]) -> String {
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
