//! Frontmatter: splitting it off the body, and turning its YAML into a validated
//! `Frontmatter`. This is the only module that uses serde_yaml, behind `parse_frontmatter`,
//! so YAML's hazards (size, alias bombs, deep nesting) are handled in one place.

use std::collections::BTreeMap;

pub(crate) mod edit;
mod fields;
pub(crate) use fields::parse_duration;
pub(crate) mod team;

use serde_yaml::Value;

use super::model::Frontmatter;
use crate::problem::Finding;
use fields::{RawFrontmatter, Validator};

/// Frontmatter larger than this is not parsed (a runbook's metadata is a few hundred bytes).
pub(crate) const MAX_YAML_BYTES: usize = 64 * 1024;
/// Deeper nesting than this is rejected before serde_yaml sees it.
const MAX_DEPTH: usize = 32;

/// The file split into its frontmatter and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// YAML text, without the fences; `None` when the file has no frontmatter.
    pub yaml: Option<&'a str>,
    /// Markdown after the closing fence.
    pub body: &'a str,
    /// 1-based line number of the body's first line in the file.
    pub body_line: usize,
    /// Set when an opening fence has no closing fence (the whole file is then the body).
    pub unclosed: bool,
}

/// Split frontmatter off `text` (already newline-normalised, BOM removed). Frontmatter is
/// recognised only at byte 0: a `---` line, then YAML, then a `---` or `...` line.
pub fn split(text: &str) -> Split<'_> {
    let none = Split { yaml: None, body: text, body_line: 1, unclosed: false };
    let Some(first_end) = text.find('\n') else {
        return none;
    };
    if text[..first_end].trim_end() != "---" {
        return none;
    }
    let yaml_start = first_end + 1;
    let mut pos = yaml_start;
    let mut line = 2;
    while pos <= text.len() {
        let end = text[pos..].find('\n').map_or(text.len(), |i| pos + i);
        let l = text[pos..end].trim_end();
        if l == "---" || l == "..." {
            let body_start = (end + 1).min(text.len());
            return Split {
                yaml: Some(&text[yaml_start..pos]),
                body: &text[body_start..],
                body_line: line + 1,
                unclosed: false,
            };
        }
        if end == text.len() {
            break;
        }
        pos = end + 1;
        line += 1;
    }
    Split { unclosed: true, ..none }
}

/// Parse frontmatter YAML. `first_line` is the file line of the YAML's first line.
/// Never fails: problems come back as findings and the fields they concern stay empty.
pub fn parse_frontmatter(yaml: &str, first_line: usize) -> (Frontmatter, Vec<Finding>) {
    let mut findings = Vec::new();
    let fence = first_line.saturating_sub(1).max(1);
    if yaml.len() > MAX_YAML_BYTES {
        findings.push(Finding::error(
            Some(fence),
            "yaml",
            format!(
                "frontmatter is {} bytes, over the {MAX_YAML_BYTES}-byte limit; move long text into the body",
                yaml.len()
            ),
        ));
        return (Frontmatter::default(), findings);
    }
    if nesting_depth(yaml) > MAX_DEPTH {
        findings.push(Finding::error(
            Some(fence),
            "yaml",
            format!("frontmatter nests deeper than {MAX_DEPTH} levels; flatten it"),
        ));
        return (Frontmatter::default(), findings);
    }
    if yaml.trim().is_empty() {
        return (Frontmatter::default(), findings);
    }
    let raw: RawFrontmatter = match serde_yaml::from_str::<Value>(yaml) {
        Ok(Value::Mapping(map)) => match serde_yaml::from_value(Value::Mapping(map)) {
            Ok(raw) => raw,
            Err(e) => {
                findings.push(Finding::error(Some(fence), "yaml", format!("frontmatter could not be read: {e}")));
                return (Frontmatter::default(), findings);
            }
        },
        Ok(Value::Null) => return (Frontmatter::default(), findings),
        Ok(_) => {
            findings.push(Finding::error(Some(fence), "yaml", "frontmatter must be a mapping of `key: value` lines"));
            return (Frontmatter::default(), findings);
        }
        Err(e) => {
            let (at, msg) = explain(yaml, &e);
            let line = at.map_or(fence, |l| first_line + l.saturating_sub(1));
            findings.push(Finding::error(Some(line), "yaml", format!("invalid YAML in frontmatter: {msg}")));
            return (Frontmatter::default(), findings);
        }
    };
    let key_lines = key_lines(yaml, first_line);
    let mut v = Validator { findings, key_lines };
    let fm = v.validate(raw);
    (fm, v.findings)
}

/// The largest YAML file read as data (a Prometheus rule file; kube-prometheus's largest is
/// 87 KB).
pub(crate) const MAX_DATA_BYTES: usize = 4 * 1024 * 1024;

/// Every document of a multi-document YAML file (`---` between them) as JSON values, for
/// files that are data rather than frontmatter (Prometheus rule files). The same guards as
/// frontmatter: a size cap, the nesting depth checked before serde_yaml sees the text, and
/// an error with its line. An empty document is skipped.
pub(crate) fn yaml_documents(text: &str) -> Result<Vec<serde_json::Value>, (Option<usize>, String)> {
    use serde::Deserialize;
    if text.len() > MAX_DATA_BYTES {
        return Err((None, format!("{} bytes, over the {MAX_DATA_BYTES}-byte limit", text.len())));
    }
    if nesting_depth(text) > MAX_DEPTH {
        return Err((None, format!("nests deeper than {MAX_DEPTH} levels")));
    }
    let mut out = Vec::new();
    for doc in serde_yaml::Deserializer::from_str(text) {
        let value = Value::deserialize(doc).map_err(|e| (e.location().map(|l| l.line()), e.to_string()))?;
        if value.is_null() {
            continue;
        }
        // Keys that are not strings (rare in rule files) become their YAML text.
        let json = serde_json::to_value(&value).map_err(|e| (None, e.to_string()))?;
        out.push(json);
    }
    Ok(out)
}

/// A YAML parse error said for an author: the line of its likely cause (the YAML's own line,
/// 1-based) and what to do. serde_yaml reports where parsing failed, often a line after the
/// mistake; the common traps are looked for from there back up: `#` starting a comment in
/// a value, `: ` inside a value, a tab in the indentation.
pub(super) fn explain(yaml: &str, e: &serde_yaml::Error) -> (Option<usize>, String) {
    let msg = e.to_string();
    let msg = msg.split(" at line ").next().unwrap_or(&msg).to_owned();
    let Some(failed) = e.location().map(|l| l.line()) else { return (None, msg) };
    let lines: Vec<&str> = yaml.lines().collect();
    for n in (1..=failed.min(lines.len())).rev() {
        if let Some(hint) = lines.get(n - 1).and_then(|l| trap(l)) {
            return (Some(n), format!("{msg}; {hint}"));
        }
    }
    (Some(failed), msg)
}

/// What is wrong with a YAML line, if it is one of the common traps.
fn trap(line: &str) -> Option<&'static str> {
    if line.trim_start_matches(' ').starts_with('\t') {
        return Some("a tab in the indentation: YAML indents with spaces only");
    }
    let (mut single, mut double, mut prev) = (false, false, ' ');
    // Where the last `: ` of this line ended, outside quotes.
    let mut value_from: Option<usize> = None;
    for (i, c) in line.char_indices() {
        match c {
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            // A `#` where a value starts: the value is a comment, not text.
            '#' if !single
                && !double
                && (prev.is_whitespace() || matches!(prev, '[' | '{' | ','))
                && value_from
                    .and_then(|from| line.get(from..i))
                    .is_some_and(|v| v.trim().is_empty() || v.trim_end().ends_with(['[', '{', ','])) =>
            {
                return Some(
                    "a `#` after a space starts a comment, so the rest of the line is ignored: quote the value, as in chat: \"#payments\"",
                );
            }
            ':' if !single && !double && line.get(i + 1..).is_some_and(|r| r.starts_with(' ')) => {
                // A second `: ` with no `,` since the first is inside one plain value.
                let plain = value_from
                    .and_then(|from| line.get(from..i))
                    .is_some_and(|v| !v.contains([',', '{', '[', '"', '\'']));
                if plain {
                    return Some("a `: ` inside a value starts another key: quote the whole value");
                }
                value_from = Some(i + 1);
            }
            _ => {}
        }
        prev = c;
    }
    None
}

#[cfg(test)]
mod trap_tests {
    use super::trap;

    #[test]
    fn the_common_yaml_traps_are_named() {
        assert!(trap("  app: {name: App, chat: #payments, hours: 24/7}").is_some_and(|h| h.contains("`#`")));
        assert!(trap("summary: Fix: restart nginx").is_some_and(|h| h.contains("`: `")));
        assert!(trap("\tname: x").is_some_and(|h| h.contains("tab")));
        for fine in [
            "  app: {name: App, chat: \"#payments\", hours: 24/7}",
            "url: https://example.com/a#b",
            "summary: \"Fix: restart nginx\"",
            "name: x   # a comment",
            "# a comment: with a colon",
        ] {
            assert_eq!(trap(fine), None, "{fine}");
        }
    }
}

/// A cheap upper bound on nesting: flow brackets and indentation, checked before parsing.
pub(super) fn nesting_depth(yaml: &str) -> usize {
    let mut depth: usize = 0;
    let mut max = 0;
    for c in yaml.chars() {
        match c {
            '[' | '{' => {
                depth = depth.saturating_add(1);
                max = max.max(depth);
            }
            ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    let indent = yaml.lines().map(|l| l.len() - l.trim_start().len()).max().unwrap_or(0);
    max.max(indent / 2)
}

/// Line of each top-level key, found by scanning (YAML values carry no positions).
fn key_lines(yaml: &str, first_line: usize) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for (i, line) in yaml.lines().enumerate() {
        if line.starts_with([' ', '\t', '#', '-']) {
            continue;
        }
        if let Some((key, _)) = line.split_once(':') {
            out.entry(key.trim().trim_matches(['"', '\'']).to_owned()).or_insert(first_line + i);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runbook::model::Severity;

    #[test]
    fn split_recognises_frontmatter_only_at_byte_zero() {
        let s = split("---\ntitle: x\n---\n# Body\n");
        assert_eq!(s.yaml, Some("title: x\n"));
        assert_eq!(s.body, "# Body\n");
        assert_eq!(s.body_line, 4);
        let s = split("# Body\n---\ntitle: x\n---\n");
        assert_eq!(s.yaml, None);
        let s = split("---\ntitle: x\n...\nbody");
        assert_eq!(s.yaml, Some("title: x\n"));
        assert_eq!(s.body, "body");
    }

    #[test]
    fn unclosed_frontmatter_is_all_body() {
        let s = split("---\ntitle: x\nno end");
        assert!(s.unclosed);
        assert_eq!(s.yaml, None);
        assert_eq!(s.body, "---\ntitle: x\nno end");
    }

    #[test]
    fn wrong_type_drops_only_that_field() {
        let (fm, f) = parse_frontmatter("title: Disk full\nsymptoms: {a: 1}\nseverity: high\n", 2);
        assert_eq!(fm.title.as_deref(), Some("Disk full"));
        assert!(fm.symptoms.is_empty());
        assert_eq!(fm.severity, Some(Severity::High));
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].code, "type");
        assert_eq!(f[0].line, Some(3));
    }

    #[test]
    fn yaml_error_carries_file_line() {
        let (_, f) = parse_frontmatter("title: ok\nsymptoms: [a, b\nkind: guide\n", 2);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].code, "yaml");
        assert!(f[0].line.is_some_and(|l| l >= 3), "{f:?}");
    }

    #[test]
    fn alerts_are_names_one_word_each() {
        let (fm, f) = parse_frontmatter("title: T\nalerts: [DiskFull, \"disk full\", DiskFull, HostDown]\n", 2);
        assert_eq!(fm.alerts, ["DiskFull", "HostDown"]);
        assert_eq!(f.iter().map(|f| (f.line, f.code)).collect::<Vec<_>>(), [(Some(3), "type")]);
        let (fm, _) = parse_frontmatter("alerts: HostDown\n", 2);
        assert_eq!(fm.alerts, ["HostDown"], "one name alone");
    }

    #[test]
    fn rule_files_read_document_by_document_with_the_same_guards() {
        let docs = yaml_documents("groups: []\n---\n---\nspec: {groups: []}\n").unwrap_or_default();
        assert_eq!(docs.len(), 2, "the empty document is skipped");
        assert!(yaml_documents(&"[".repeat(40)).is_err(), "too deep");
        let err = yaml_documents("a: 1\n---\nb: [\n").err();
        assert!(err.is_some_and(|(line, _)| line.is_some()), "an error has its line");
    }

    #[test]
    fn alias_bomb_is_rejected() {
        let mut y = String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        let names = ["b", "c", "d", "e", "f", "g", "h", "i"];
        let mut prev = "a";
        for n in names {
            y.push_str(&format!(
                "{n}: &{n} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
            ));
            prev = n;
        }
        let (_, f) = parse_frontmatter(&y, 2);
        assert!(f.iter().any(|f| f.code == "yaml"), "{f:?}");
    }

    #[test]
    fn deep_nesting_is_rejected() {
        let y = format!("a: {}{}\n", "[".repeat(10_000), "]".repeat(10_000));
        let (_, f) = parse_frontmatter(&y, 2);
        assert_eq!(f[0].code, "yaml");
    }

    #[test]
    fn escalation_and_durations() {
        let y = "escalation:\n  - name: DBA\n    contact: '#dba'\n    after: 15m\n  - name: CTO\n    after: soon\nreview_every: 6 months\nlast_reviewed: 2026-01-02\n";
        let (fm, f) = parse_frontmatter(y, 2);
        assert_eq!(fm.escalation.len(), 2);
        assert_eq!(fm.escalation[0].after_minutes, Some(15));
        assert_eq!(fm.escalation[1].contact, None);
        assert_eq!(fm.review_every_days, Some(182));
        assert_eq!(fm.last_reviewed, Some(jiff::civil::date(2026, 1, 2)));
        assert_eq!(f.len(), 1, "{f:?}");
    }

    #[test]
    fn hugo_keys_are_kept_and_mapped() {
        let (fm, f) =
            parse_frontmatter("title: T\nweight: 20\ndescription: D\naliases:\n  - /old/\nkeywords: [k]\n", 2);
        assert!(f.is_empty());
        assert_eq!(fm.summary.as_deref(), Some("D"));
        assert!(fm.aliases.is_empty());
        assert_eq!(fm.tags, ["k"]);
        assert_eq!(fm.extra.get("weight").map(String::as_str), Some("20"));
    }
}
