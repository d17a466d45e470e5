//! `runbook check`: every problem in the runbooks, like a compiler prints them.

use std::io::Write;

use super::{Context, Outcome};
use crate::output::{BOLD, ColorMode, RED, YELLOW};
use crate::problem::{Level, Problem};
use crate::runbook::validate;

/// Load and check; print the problems; decide the outcome.
pub fn run(cx: &Context, strict: bool, json: bool) -> anyhow::Result<Outcome> {
    cx.say_notice();
    let lib = cx.load();
    let mut problems = lib.problems.clone();
    problems.extend(validate::check(&lib, jiff::Zoned::now().date()));
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
