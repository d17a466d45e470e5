//! One file's text -> a `Runbook` and its findings. No I/O, so it can be tested (and fuzzed)
//! on any bytes; the library module does the reading.

use super::blocks::Block;
use super::frontmatter::{parse_frontmatter, split};
use super::model::{Frontmatter, Kind, Runbook, Section};
use super::parse::parse_body;
use crate::problem::Finding;
use crate::text::{is_unsafe_control, normalize_newlines, readable_name, strip_controls};

/// Where a file sits: its root index and path relative to that root (`/`-separated).
#[derive(Debug, Clone)]
pub struct Origin {
    pub root: usize,
    pub rel_path: String,
    pub file: std::path::PathBuf,
}

/// Parse raw file bytes. Invalid UTF-8 is decoded lossily and reported; control characters
/// are removed and reported; frontmatter problems are reported and the rest still loads.
pub fn parse_bytes(bytes: &[u8], origin: Origin) -> (Runbook, Vec<Finding>) {
    let mut findings = Vec::new();
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(e) => {
            let line = bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() + 1;
            findings.push(Finding::error(
                Some(line),
                "encoding",
                "file is not valid UTF-8; invalid bytes were replaced with \u{fffd}. Save it as UTF-8",
            ));
            String::from_utf8_lossy(bytes)
        }
    };
    let (runbook, more) = parse_text(&text, origin);
    findings.extend(more);
    (runbook, findings)
}

/// Parse a file's text (see `parse_bytes`).
pub fn parse_text(text: &str, origin: Origin) -> (Runbook, Vec<Finding>) {
    let mut findings = Vec::new();
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let text = normalize_newlines(text);
    // One scan in the common case of a file without control characters; no copy then.
    let first = text.find(is_unsafe_control);
    let line = first.and_then(|i| text.get(..i)).map(|before| before.matches('\n').count() + 1);
    let (text, removed) = match first {
        None => (text, 0),
        Some(_) => {
            let (clean, removed) = strip_controls(&text);
            (std::borrow::Cow::Owned(clean), removed)
        }
    };
    if removed > 0 {
        findings.push(Finding::error(
            line,
            "control-chars",
            format!("removed {removed} control character(s) (escape sequences, bells, ...); they are never shown"),
        ));
    }
    let parts = split(&text);
    if parts.unclosed {
        findings.push(Finding::warning(
            Some(1),
            "yaml",
            "file starts with `---` but the frontmatter is never closed; add a `---` line after it",
        ));
    }
    let meta = match parts.yaml {
        Some(yaml) => {
            let (fm, f) = parse_frontmatter(yaml, 2);
            findings.extend(f);
            fm
        }
        None => Frontmatter::default(),
    };
    let (sections, more) = parse_body(parts.body, parts.body_line);
    findings.extend(more);
    let yaml_lines = if parts.yaml.is_some() { parts.body_line.saturating_sub(1) } else { 0 };
    findings.extend(super::placeholder::findings(&text, yaml_lines));
    findings.extend(super::inputs::findings(&text));
    let had_frontmatter = parts.yaml.is_some();
    let runbook = assemble(meta, sections, origin);
    let no_text = runbook.sections.iter().all(|s| s.blocks.is_empty() && s.title.is_empty());
    // A Hugo `_index.md` with only a title is a deliberate section page, not an empty runbook.
    if no_text && (runbook.structured || !had_frontmatter || runbook.meta.title.is_none()) {
        findings.push(Finding::warning(
            None,
            "empty",
            "runbook has no text; write at least a summary and a first section",
        ));
    }
    (runbook, findings)
}

fn assemble(meta: Frontmatter, sections: Vec<Section>, origin: Origin) -> Runbook {
    let stem = origin.rel_path.rsplit_once('.').map_or(origin.rel_path.as_str(), |(s, _)| s).to_owned();
    let id = meta.id.clone().unwrap_or_else(|| stem.clone());
    let title = meta
        .title
        .clone()
        .or_else(|| sections.iter().find(|s| s.level == 1).map(|s| s.title.clone()))
        .or_else(|| sections.iter().find(|s| s.level > 0).map(|s| s.title.clone()))
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| readable_name(file_label(&stem)));
    // Titles are shown on one line everywhere (a YAML block scalar may hold newlines).
    let title = crate::text::one_line(&title).trim().to_owned();
    let has_choices = sections.iter().any(|s| s.choices().next().is_some());
    let has_steps = sections.iter().any(|s| s.blocks.iter().any(|b| matches!(b, Block::Step(_))));
    let kind = meta.kind.unwrap_or(if has_steps {
        Kind::Procedure
    } else if has_choices {
        Kind::Guide
    } else {
        Kind::Reference
    });
    let structured = meta.kind.is_some()
        || meta.severity.is_some()
        || meta.start.is_some()
        || !meta.symptoms.is_empty()
        || !meta.systems.is_empty()
        || !meta.escalation.is_empty()
        || meta.last_reviewed.is_some()
        || meta.review_every_days.is_some();
    Runbook { id, title, root: origin.root, path: origin.rel_path, file: origin.file, kind, meta, sections, structured }
}

/// The meaningful part of a path for a title: `a/disk-full` -> `disk-full`,
/// `blog/post/index` -> `post`.
fn file_label(stem: &str) -> &str {
    let mut parts = stem.rsplit('/');
    let last = parts.next().unwrap_or(stem);
    if matches!(last, "index" | "_index" | "README" | "readme") { parts.next().unwrap_or(last) } else { last }
}
