//! `runbook check`: every problem in the runbooks, like a compiler prints them.

use std::io::Write;

use super::{Context, Outcome};
use crate::output::{BOLD, ColorMode, RED, YELLOW};
use crate::problem::{Level, Problem};
use crate::runbook::validate;

/// Load and check; print the problems; decide the outcome.
pub fn run(cx: &Context, strict: bool, json: bool, alert_rules: &[std::path::PathBuf]) -> anyhow::Result<Outcome> {
    cx.say_notice();
    let lib = cx.load();
    let mut problems = lib.problems.clone();
    problems.extend(validate::check(&lib, jiff::Zoned::now().date()));
    let mut alerts_line = None;
    if !alert_rules.is_empty() {
        let mut rules = Vec::new();
        let mut complete = true;
        for path in alert_rules {
            match crate::alert::rules::read_rules(path) {
                Ok((r, skipped)) => {
                    rules.extend(r);
                    problems.extend(skipped);
                }
                Err(p) => {
                    problems.push(p);
                    complete = false;
                }
            }
        }
        let (found, dangling) = crate::alert::rules::coverage(&rules, &lib.runbooks, complete);
        let unanswered = found.iter().filter(|p| p.code == "unanswered-alert").count();
        let names: std::collections::BTreeSet<&str> = rules.iter().map(|r| r.name.as_str()).collect();
        alerts_line = Some(format!(
            "alert rules: {} alerting rules ({} alerts) in {} file(s): {unanswered} alert(s) without a runbook, {dangling} runbook_url(s) naming no runbook",
            rules.len(),
            names.len(),
            alert_rules.len()
        ));
        problems.extend(found);
    }
    // What stops a file from loading first: what follows from it reads as a consequence.
    let rank = |code: &str| match code {
        "yaml" => 0,
        "team-unread" => 1,
        _ => 2,
    };
    let order = |p: &Problem| (rank(&p.code), p.path.clone(), p.line, p.code.clone());
    problems.sort_by_key(order);
    problems.dedup();
    let mut out = std::io::stdout().lock();
    if json {
        crate::output::write_json(&mut out, &problems)?;
    } else {
        for p in &problems {
            writeln!(out, "{}", format_problem(p, cx.color))?;
        }
        let errors = problems.iter().filter(|p| p.severity == Level::Error).count();
        let warnings = problems.len() - errors;
        writeln!(
            out,
            "{}",
            cx.color.paint(
                BOLD,
                &format!("checked {} runbooks: {errors} error(s), {warnings} warning(s)", lib.runbooks.len())
            )
        )?;
        if let Some(line) = alerts_line {
            writeln!(out, "{}", cx.color.paint(BOLD, &line))?;
        }
    }
    let failing = problems.iter().any(|p| p.severity == Level::Error || strict);
    Ok(if failing { Outcome::Findings } else { Outcome::Success })
}

/// `path:line: error[code]: message`, the severity coloured on a terminal.
pub(crate) fn format_problem(p: &Problem, color: ColorMode) -> String {
    // A file name is data too (it may hold an escape sequence).
    let path = crate::text::one_line(&p.path.display().to_string());
    let loc = match p.line {
        Some(line) => format!("{path}:{line}"),
        None => path,
    };
    let sev = match p.severity {
        Level::Error => color.paint(RED, "error"),
        Level::Warning => color.paint(YELLOW, "warning"),
    };
    format!("{loc}: {sev}[{}]: {}", p.code, crate::text::one_line(&p.message))
}
