//! Placeholders left to fill in. `REPLACE` marks a value an author or a team still has to
//! write: the team file's example contacts, the text of a runbook `runbook new` wrote. A
//! responder must never read "REPLACE +1 555 0101", so every one is a finding on its line,
//! a warning that `check --strict` fails on. Authors' notes are not text: HTML comments in
//! markdown and `#` comments in YAML are passed over.

use crate::problem::Finding;

/// The marker.
pub(crate) const MARKER: &str = "REPLACE";

/// The findings for `text`: markdown with YAML frontmatter (`yaml_lines` of its first lines
/// are YAML), or all YAML (a team file).
pub(crate) fn findings(text: &str, yaml_lines: usize) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut in_comment = false;
    // Inside a fenced code block (its fence), `<!--` is code, not the start of a note.
    let mut fence: Option<String> = None;
    for (i, line) in text.lines().enumerate() {
        let shown = if i < yaml_lines {
            yaml_value_part(line).to_owned()
        } else if let Some(f) = &fence {
            if line.trim_start().starts_with(f.as_str()) {
                fence = None;
            }
            line.to_owned()
        } else {
            let opening = fence_of(line).filter(|_| !in_comment);
            let shown = outside_comments(line, &mut in_comment);
            if let Some(f) = opening {
                in_comment = false;
                fence = Some(f);
            }
            shown
        };
        if has_marker(&shown) {
            out.push(Finding::warning(
                Some(i + 1),
                "placeholder",
                format!("`{MARKER}` marks something still to write: put the real value here (check --strict fails until then)"),
            ));
        }
    }
    out
}

/// The fence a line opens a code block with (three or more backticks or tildes).
fn fence_of(line: &str) -> Option<String> {
    let t = line.trim_start();
    let c = t.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let run: String = t.chars().take_while(|x| *x == c).collect();
    (run.chars().count() >= 3).then_some(run)
}

/// Whether `text` holds the marker as a word of its own.
fn has_marker(text: &str) -> bool {
    text.match_indices(MARKER).any(|(at, _)| {
        let before = text.get(..at).and_then(|b| b.chars().next_back());
        let after = text.get(at + MARKER.len()..).and_then(|a| a.chars().next());
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// A YAML line without its comment: from a `#` at the start or after a space, outside quotes.
fn yaml_value_part(line: &str) -> &str {
    let (mut single, mut double) = (false, false);
    let mut prev = ' ';
    for (i, c) in line.char_indices() {
        match c {
            '\'' if !double => single = !single,
            '"' if !single => double = !double,
            '#' if !single && !double && prev.is_whitespace() => return line.get(..i).unwrap_or(line),
            _ => {}
        }
        prev = c;
    }
    line
}

/// A markdown line without what is inside `<!-- -->` (which may span lines).
fn outside_comments(line: &str, in_comment: &mut bool) -> String {
    let mut out = String::new();
    let mut rest = line;
    loop {
        if *in_comment {
            match rest.find("-->") {
                Some(end) => {
                    *in_comment = false;
                    rest = rest.get(end + 3..).unwrap_or("");
                }
                None => return out,
            }
        } else {
            match rest.find("<!--") {
                Some(start) => {
                    out.push_str(rest.get(..start).unwrap_or(""));
                    *in_comment = true;
                    rest = rest.get(start + 4..).unwrap_or("");
                }
                None => {
                    out.push_str(rest);
                    return out;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comment_opener_in_code_hides_nothing_after_it() {
        let text = "# T\n\n```sh\ngrep '<!--' page.html\n```\n\nREPLACE: what to do\n";
        assert_eq!(lines(text, 0), [7]);
    }

    fn lines(text: &str, yaml: usize) -> Vec<usize> {
        findings(text, yaml).into_iter().filter_map(|f| f.line).collect()
    }

    #[test]
    fn each_placeholder_is_found_on_its_line_and_notes_are_not_text() {
        let text = "---\ntitle: x   # REPLACE in a comment is a note\nsummary: \"REPLACE: what it does\"\nchat: \"#REPLACE\"\n---\n# T\n\n<!-- REPLACE in a note -->\nREPLACE: what this is for.\n<!-- a note\n REPLACE -->\n- [ ] step `sudo REPLACE`\nREPLACEMENT and REPLACED are words\n";
        assert_eq!(lines(text, 5), [3, 4, 9, 12]);
    }

    #[test]
    fn a_team_file_is_yaml_throughout() {
        let team = "# REPLACE every value below\ncontacts:\n  ops: {name: Ops, phone: \"REPLACE +1 555 0100\"}\n  db: {name: DB, phone: \"+1 555 0199\"}\n";
        assert_eq!(lines(team, usize::MAX), [3]);
    }
}
