//! Inputs of a command block: shell variables at the top of a block, marked as inputs,
//!
//! ```sh
//! APP_SERVICE=myapp   # input
//! PID=   # input: the process id from the ps output above
//! MOUNT=/var   # input from mountpoint: the full filesystem
//! sudo systemctl status "$APP_SERVICE"
//! ```
//!
//! `from LABEL` names the alert label the value comes from when an alert opened the runbook.
//! The TUI asks for each once per session (prefilled from the value given, else the alert's
//! label, else the team file's fact of the same name, else the block's value) and copies the
//! block with the values in place. Only a whole
//! `NAME=value  # input` line is touched: `${VAR}` meant for the shell and Go templates
//! (`{{.Name}}`) are never read, and a value goes in shell-quoted, never raw.

use serde::Serialize;

use super::frontmatter::team::is_fact_name;

/// One input line of a block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Input {
    pub name: String,
    /// The value as the block writes it (unquoted), possibly empty.
    pub default: String,
    /// What to ask (`# input: the process id`), if the author said.
    pub prompt: Option<String>,
    /// The alert label that fills it (`# input from mountpoint`), as written; `check` says
    /// when it is not a label name.
    pub label: Option<String>,
}

/// Whether `name` can be a Prometheus label name: `[a-zA-Z_][a-zA-Z0-9_]*`.
pub(crate) fn is_label_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// An input line taken apart.
struct Line<'a> {
    name: &'a str,
    value: &'a str,
    prompt: Option<&'a str>,
    label: Option<&'a str>,
}

/// The `NAME=value  # input [from LABEL][: prompt]` line split up.
fn split(line: &str) -> Option<Line<'_>> {
    let at = marker(line)?;
    let (assign, comment) = (line.get(..at)?, line.get(at.saturating_add(1)..)?);
    let mut rest = comment.trim_start().strip_prefix("input")?.trim_start();
    let mut label = None;
    if let Some(after) = rest.strip_prefix("from ") {
        let after = after.trim_start();
        let end = after.find([':', ' ', '\t']).unwrap_or(after.len());
        label = after.get(..end).filter(|l| !l.is_empty());
        rest = after.get(end..).unwrap_or("").trim_start();
    }
    let prompt = match rest {
        "" => None,
        r => Some(r.strip_prefix(':')?.trim()).filter(|p| !p.is_empty()),
    };
    let assign = assign.trim();
    let (name, value) = assign.split_once('=')?;
    if !is_fact_name(name) || value.contains(char::is_whitespace) && !quoted(value) {
        return None;
    }
    Some(Line { name, value, prompt, label })
}

/// Where the `# input` comment starts: a `#` after a blank, followed by `input`.
fn marker(line: &str) -> Option<usize> {
    line.match_indices('#').map(|(i, _)| i).find(|&i| {
        let before = line.get(..i).is_some_and(|b| b.ends_with([' ', '\t']));
        let after = line.get(i.saturating_add(1)..).is_some_and(|a| a.trim_start().starts_with("input"));
        before && after
    })
}

fn quoted(v: &str) -> bool {
    v.len() >= 2 && ((v.starts_with('\'') && v.ends_with('\'')) || (v.starts_with('"') && v.ends_with('"')))
}

/// The inputs a block declares, in order (a name declared twice counts once).
pub(crate) fn parse(code: &str) -> Vec<Input> {
    let mut out: Vec<Input> = Vec::new();
    for Line { name, value, prompt, label } in code.lines().filter_map(split) {
        if out.iter().any(|i| i.name == name) {
            continue;
        }
        let default = if quoted(value) { value.get(1..value.len().saturating_sub(1)).unwrap_or("") } else { value };
        out.push(Input {
            name: name.to_owned(),
            default: default.to_owned(),
            prompt: prompt.map(str::to_owned),
            label: label.map(str::to_owned),
        });
    }
    out
}

/// An input naming an alert label that cannot be one (`# input from mount-point`), by line:
/// no alert would ever fill it.
pub(crate) fn findings(text: &str) -> Vec<crate::problem::Finding> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let Some(parsed) = split(line) else { continue };
        let says_from = marker(line)
            .and_then(|at| line.get(at + 1..))
            .is_some_and(|c| c.trim_start().strip_prefix("input").is_some_and(|r| r.trim_start().starts_with("from")));
        if parsed.label.is_none() && says_from {
            out.push(crate::problem::Finding::error(
                Some(n + 1),
                "input-label",
                "`# input from` names no label; write `# input from LABEL`, or drop `from`",
            ));
        }
        if let Some(label) = parsed.label.filter(|l| !is_label_name(l)) {
            out.push(crate::problem::Finding::error(
                Some(n + 1),
                "input-label",
                format!(
                    "`# input from {label}`: `{label}` is not an alert label name (letters, digits and `_`, not starting with a digit)"
                ),
            ));
        }
    }
    out
}

/// `code` with each input line's value replaced by `value(name, label)`, shell-quoted; lines
/// whose input has no value yet, and every other line, stay as written.
pub(crate) fn fill(code: &str, value: impl Fn(&str, Option<&str>) -> Option<String>) -> String {
    let mut out = String::with_capacity(code.len());
    for (i, line) in code.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        match split(line).and_then(|l| value(l.name, l.label).map(|v| (l.name, v))) {
            Some((name, v)) => {
                let indent = line.get(..line.len().saturating_sub(line.trim_start().len())).unwrap_or("");
                let comment = marker(line).and_then(|at| line.get(at..)).unwrap_or("# input");
                out.push_str(&format!("{indent}{name}={}   {comment}", quote(&v)));
            }
            None => out.push_str(line),
        }
    }
    out
}

/// Every command of `rb` with its inputs' values put in where `value` knows them (the team
/// file's facts, for `runbook show`).
pub(crate) fn fill_runbook(rb: &mut super::Runbook, value: impl Fn(&str, Option<&str>) -> Option<String>) {
    for s in &mut rb.sections {
        super::blocks::visit_code_mut(&mut s.blocks, &mut |code| *code = fill(code, &value));
    }
}

/// `value` as one shell word that the shell reads back exactly: as it is when it holds only
/// safe characters, else in single quotes (a `'` inside becomes `'\''`). `$(...)`, backticks,
/// `;` and spaces are thus data, never code.
pub(crate) fn quote(value: &str) -> String {
    let safe = |c: char| c.is_ascii_alphanumeric() || "_./:@%+,=-".contains(c);
    if !value.is_empty() && value.chars().all(safe) {
        return value.to_owned();
    }
    format!("'{}'", value.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const BLOCK: &str = "APP_SERVICE=myapp   # input\nPID=   # input: the process id\nURL=\"http://x/health\"  # input\nLOG=/var/log/x.log   # REPLACE\necho \"${APP_SERVICE}\" {{.Name}}\nAPP_SERVICE=again   # input\n";

    #[test]
    fn only_marked_assignments_are_inputs() {
        let got = parse(BLOCK);
        let names: Vec<&str> = got.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["APP_SERVICE", "PID", "URL"]);
        assert_eq!(got[0].default, "myapp");
        assert_eq!((got[1].default.as_str(), got[1].prompt.as_deref()), ("", Some("the process id")));
        assert_eq!(got[2].default, "http://x/health");
        assert!(parse("lower=x  # input\nA B=x # input\nX=1 #input-ish\n").is_empty());
        let url = parse("URL=http://x/#/a   # input: the page (see #ops)\n");
        assert_eq!((url[0].default.as_str(), url[0].prompt.as_deref()), ("http://x/#/a", Some("the page (see #ops)")));
    }

    #[test]
    fn fill_puts_values_in_place_and_leaves_the_rest_alone() {
        let v = |n: &str, _: Option<&str>| match n {
            "APP_SERVICE" => Some("web app".to_owned()),
            "PID" => Some("4242".to_owned()),
            _ => None,
        };
        let got = fill(BLOCK, v);
        let lines: Vec<&str> = got.lines().collect();
        assert_eq!(lines[0], "APP_SERVICE='web app'   # input");
        assert_eq!(lines[1], "PID=4242   # input: the process id");
        assert_eq!(lines[2], "URL=\"http://x/health\"  # input", "no value given: as written");
        assert_eq!(lines[4], "echo \"${APP_SERVICE}\" {{.Name}}", "shell and Go template syntax untouched");
        assert!(got.ends_with('\n'));
    }

    #[test]
    fn an_input_may_name_the_alert_label_it_comes_from() {
        let got = parse(
            "MOUNT=/var   # input from mountpoint: the full filesystem\nHOST=  # input from instance\nX=1  # input from: odd\n",
        );
        let labels: Vec<Option<&str>> = got.iter().map(|i| i.label.as_deref()).collect();
        assert_eq!(labels, [Some("mountpoint"), Some("instance")], "`# input from: odd` is no input line");
        assert_eq!(got[0].prompt.as_deref(), Some("the full filesystem"));
        assert_eq!(got[1].prompt, None);
        let filled = fill("MOUNT=/var   # input from mountpoint\n", |_, label| label.map(|l| format!("/{l}")));
        assert_eq!(filled, "MOUNT=/mountpoint   # input from mountpoint\n");
        assert!(is_label_name("mountpoint") && is_label_name("_x1"));
        assert!(!is_label_name("1x") && !is_label_name("mount-point") && !is_label_name(""));
    }

    #[test]
    fn check_reports_an_input_naming_no_label_by_line() {
        let text = "# T\n\n```sh\nMNT=/   # input from mount-point\nHOST=  # input from instance\n```\n";
        let found: Vec<(Option<usize>, &str)> = findings(text).iter().map(|f| (f.line, f.code)).collect();
        assert_eq!(found, [(Some(4), "input-label")]);
    }

    #[test]
    fn quoting_makes_any_value_one_inert_word() {
        assert_eq!(quote("myapp.service"), "myapp.service");
        assert_eq!(quote("http://127.0.0.1:8080/health"), "http://127.0.0.1:8080/health");
        assert_eq!(quote(""), "''");
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("$(rm -rf /)"), "'$(rm -rf /)'");
        assert_eq!(quote("it's"), r"'it'\''s'");
        assert_eq!(quote("`id`; echo"), "'`id`; echo'");
    }

    #[test]
    fn the_shell_reads_a_quoted_value_back_exactly() {
        let Ok(out) = std::process::Command::new("sh").arg("-c").arg("true").output() else { return };
        assert!(out.status.success());
        for value in ["plain", "a b", "it's", "$(echo pwned)", "`id`", "x\"y", "tab\there", "a;b|c&d", "~/x*"] {
            let script = format!("V={}\nprintf %s \"$V\"", quote(value));
            let out =
                std::process::Command::new("sh").arg("-c").arg(&script).output().map(|o| o.stdout).unwrap_or_default();
            assert_eq!(String::from_utf8_lossy(&out), value, "{script}");
        }
    }
}
