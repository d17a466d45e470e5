//! Prometheus rule files for `check --alerts`: plain `groups:` files and PrometheusRule
//! resources (`spec.groups`), several YAML documents per file, read with the frontmatter's
//! guards. Each alert keeps its file and line; `coverage` says which alerts no runbook
//! answers, which `runbook_url`s name no runbook, and which `alerts:` entries name no alert.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::route::{named_after, url_matches};
use crate::problem::Problem;
use crate::runbook::Runbook;

/// One alerting rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rule {
    pub name: String,
    pub runbook_url: Option<String>,
    pub file: PathBuf,
    pub line: Option<usize>,
}

/// The alerting rules of `path` and the problems of rules skipped, or a problem naming the
/// file (and line) when it cannot be read.
pub(crate) fn read_rules(path: &Path) -> Result<(Vec<Rule>, Vec<Problem>), Problem> {
    use crate::runbook::frontmatter::{MAX_DATA_BYTES, yaml_documents};
    let bytes = crate::files::read(path, MAX_DATA_BYTES as u64, crate::files::Links::Follow)
        .map_err(|e| Problem::error(path, None, "alert-rules", format!("could not be read: {e}")))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| Problem::error(path, None, "alert-rules", "is not UTF-8 text; is it a rule file?"))?;
    let text = crate::text::normalize_newlines(&text);
    let docs = yaml_documents(&text)
        .map_err(|(line, msg)| Problem::error(path, line, "alert-rules", format!("is not valid YAML: {msg}")))?;
    // Where each `alert: NAME` is written, in order, for the line of each rule.
    let mut lines: Vec<(usize, String)> =
        text.lines().enumerate().filter_map(|(n, l)| Some((n + 1, alert_on_line(l)?))).collect();
    let mut rules = Vec::new();
    let mut bad = Vec::new();
    for doc in &docs {
        let groups = doc.get("groups").or_else(|| doc.get("spec").and_then(|s| s.get("groups")));
        let Some(Value::Array(groups)) = groups else { continue };
        for (g_name, rule) in groups.iter().flat_map(|g| {
            let name = g.get("name").and_then(Value::as_str).unwrap_or("?").to_owned();
            g.get("rules").and_then(Value::as_array).into_iter().flatten().map(move |r| (name.clone(), r))
        }) {
            let Some(alert) = rule.get("alert") else { continue }; // a recording rule
            let name = alert.as_str().map(|n| crate::text::one_line(n.trim())).unwrap_or_default();
            if name.is_empty() {
                let what = crate::text::one_line(&alert.to_string());
                let group = crate::text::one_line(&g_name);
                let msg = format!("in group `{group}`, an alerting rule's `alert:` is {what}, not a name; skipped");
                bad.push(Problem::error(path, None, "alert-rules", msg));
                continue;
            }
            let line = lines.iter().position(|(_, n)| *n == name).map(|i| lines.remove(i).0);
            let runbook_url = rule
                .get("annotations")
                .and_then(|a| a.get("runbook_url"))
                .and_then(Value::as_str)
                .map(crate::text::one_line);
            rules.push(Rule { name, runbook_url, file: path.to_owned(), line });
        }
    }
    if rules.is_empty() {
        return Err(bad.pop().unwrap_or_else(|| {
            Problem::error(path, None, "alert-rules", "holds no alerting rule (`groups:` with `alert:` rules)")
        }));
    }
    Ok((rules, bad))
}

/// The alert a rule file's line names: `- alert: Name  # comment`, or inside a flow mapping
/// (`- {alert: Name, expr: ...}`).
fn alert_on_line(line: &str) -> Option<String> {
    let l = line.trim_start().trim_start_matches("- ").trim_start().trim_start_matches('{').trim_start();
    let after = match l.strip_prefix("alert:") {
        Some(rest) => rest,
        None => line.split_once("{alert:").or_else(|| line.split_once(", alert:")).map(|(_, r)| r)?,
    };
    let value = after.trim_start();
    let value = match value.chars().next() {
        Some(q @ ('"' | '\'')) => value.get(1..)?.split(q).next()?,
        _ => value.split([',', '}', '#']).next()?.trim(),
    };
    (!value.is_empty()).then(|| crate::text::one_line(value))
}

/// What `check --alerts` reports: per rule, an unanswered alert (error) and a `runbook_url`
/// naming no runbook (error, once per URL); per runbook, an `alerts:` entry that names no
/// alert of the rules (warning). The count of distinct dangling URLs comes back too.
/// `complete`: every rule file was read, so an `alerts:` entry no rule defines can be said.
pub(crate) fn coverage(rules: &[Rule], runbooks: &[Runbook], complete: bool) -> (Vec<Problem>, usize) {
    let paths: Vec<&str> = runbooks.iter().map(|r| r.path.as_str()).collect();
    let mut problems = Vec::new();
    let mut dangling: BTreeSet<&str> = BTreeSet::new();
    let mut said: BTreeMap<&str, ()> = BTreeMap::new();
    for rule in rules {
        let by_url = rule.runbook_url.as_deref().map(|u| (u, url_matches(&paths, u).0));
        let answered = by_url.as_ref().is_some_and(|(_, f)| !f.is_empty())
            || runbooks.iter().any(|r| r.meta.alerts.iter().any(|a| a.eq_ignore_ascii_case(&rule.name)))
            || runbooks.iter().any(|r| named_after(&rule.name, &r.path, &r.title));
        if let Some((url, found)) = &by_url
            && found.is_empty()
        {
            dangling.insert(url);
            if said.insert(url, ()).is_none() {
                // Answered another way, the alert still finds its runbook here; a responder
                // who follows the link does not.
                let what = format!("{}: runbook_url {url} names no runbook in the folders checked", rule.name);
                problems.push(if answered {
                    let what = format!("{what}; another runbook answers the alert here");
                    Problem::warning(&rule.file, rule.line, "dangling-runbook-url", what)
                } else {
                    Problem::error(&rule.file, rule.line, "dangling-runbook-url", what)
                });
            }
        }
        if !answered && said.insert(rule.name.as_str(), ()).is_none() {
            problems.push(Problem::error(
                &rule.file,
                rule.line,
                "unanswered-alert",
                format!(
                    "{}: no runbook answers this alert (no runbook_url that resolves, no runbook listing it in `alerts:`, none named after it)",
                    rule.name
                ),
            ));
        }
    }
    let names: BTreeSet<String> = rules.iter().map(|r| r.name.to_ascii_lowercase()).collect();
    for rb in runbooks.iter().filter(|_| complete) {
        for a in rb.meta.alerts.iter().filter(|a| !names.contains(&a.to_ascii_lowercase())) {
            problems.push(Problem::warning(
                &rb.file,
                rb.meta.key_lines.get("alerts").copied(),
                "unknown-alert",
                format!("`alerts:` names {a}, which no rule file given defines"),
            ));
        }
    }
    (problems, dangling.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alert_is_found_on_its_line_however_it_is_written() {
        assert_eq!(alert_on_line("  - alert: DiskFull").as_deref(), Some("DiskFull"));
        assert_eq!(alert_on_line("    - alert: DiskFull   # pages").as_deref(), Some("DiskFull"));
        assert_eq!(alert_on_line("  - alert: \"Disk # Full\"").as_deref(), Some("Disk # Full"));
        assert_eq!(alert_on_line("  - {alert: DiskFull, expr: up == 0}").as_deref(), Some("DiskFull"));
        assert_eq!(alert_on_line("  - {expr: up == 0, alert: DiskFull}").as_deref(), Some("DiskFull"));
        assert_eq!(alert_on_line("  - record: job:up:sum"), None);
        assert_eq!(alert_on_line("    summary: the alert: is bad"), None);
    }
}
