//! The typed model of a runbook: pure data, parsed once and consumed by search, `show`,
//! `check` and the TUI alike, so that all of them agree on what a runbook says.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::Serialize;

use super::blocks::{Block, Choice, Step, blocks_text, plain_text};

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
    /// Names of the alerts this runbook answers (`alerts:`), as the monitoring names them.
    pub alerts: Vec<String>,
    /// `draft: true` (as Hugo has it): checked like any runbook, shown to no responder (not
    /// in search, lists or alert routing) until an author removes it.
    pub draft: bool,
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

impl Frontmatter {
    /// When the runbook is due for review again: `last_reviewed` plus `review_every`.
    pub(crate) fn review_due(&self) -> Option<jiff::civil::Date> {
        let (reviewed, days) = (self.last_reviewed?, self.review_every_days?);
        reviewed.checked_add(jiff::Span::new().try_days(days).ok()?).ok()
    }
}

impl Kind {
    /// The kind a name says (`guide`, `procedure`, `reference`), in any case.
    pub(crate) fn from_name(name: &str) -> Option<Kind> {
        [Kind::Guide, Kind::Procedure, Kind::Reference].into_iter().find(|k| k.as_str().eq_ignore_ascii_case(name))
    }

    pub(crate) fn as_str(self) -> &'static str {
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
    /// The severity a name says (`low` ... `critical`), in any case.
    pub(crate) fn from_name(name: &str) -> Option<Severity> {
        [Severity::Low, Severity::Medium, Severity::High, Severity::Critical]
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(name))
    }

    pub(crate) fn as_str(self) -> &'static str {
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
    /// A contact of the team file, by id (`who: platform`); `Team::resolve` fills in the
    /// name, how to reach them and their role.
    pub who: Option<String>,
    pub contact: Option<String>,
    /// What they look after (from the team file).
    pub role: Option<String>,
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

impl Runbook {
    pub(crate) fn section(&self, id: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.id == id)
    }

    pub(crate) fn section_index(&self, id: &str) -> Option<usize> {
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
    pub(crate) fn steps(&self) -> impl Iterator<Item = (usize, &Step)> {
        self.sections.iter().enumerate().flat_map(|(i, s)| {
            s.blocks.iter().filter_map(move |b| match b {
                Block::Step(step) => Some((i, step)),
                _ => None,
            })
        })
    }

    pub(crate) fn has_role(&self, role: SectionRole) -> bool {
        self.sections.iter().any(|s| s.role == role)
    }

    /// Summary to show in lists: the frontmatter summary, else the first paragraph.
    pub(crate) fn summary(&self) -> String {
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

impl Section {
    /// The section's text as plain lines (paragraphs, list items, steps, commands, tables),
    /// for search and for finding text; markup is dropped.
    pub fn text(&self) -> String {
        blocks_text(&self.blocks)
    }
}
