//! Editing a runbook's frontmatter as text, for changes proposed to an author (`insights
//! --suggest`): symptoms added in the file's own style, every other byte kept, so the diff
//! shows only what is proposed.

/// `text` with `symptoms` appended to its `symptoms:` list: a block list gets `  - "..."`
/// lines after its last item (the items' indent kept), a one-line flow list (`[a, b]`) gets
/// them before its `]`; a runbook without the key gets it at the end of its frontmatter, one
/// without frontmatter a frontmatter holding only it. Values are YAML double-quoted strings;
/// a byte order mark and CRLF line ends are kept. `None`: the list is written in a form this
/// does not edit (a flow list over several lines, or with a comment after it), and the result
/// is checked to read back with the symptoms added, else `None` too.
pub(crate) fn add_symptoms(text: &str, symptoms: &[String]) -> Option<String> {
    if symptoms.is_empty() {
        return Some(text.to_owned());
    }
    let (bom, body) = match text.strip_prefix('\u{feff}') {
        Some(rest) => ("\u{feff}", rest),
        None => ("", text),
    };
    let eol = if body.contains("\r\n") { "\r\n" } else { "\n" };
    let quoted: Vec<String> = symptoms.iter().map(|s| quote(s)).collect();
    let lines: Vec<&str> = body.split_inclusive('\n').collect();
    let close = match lines.first().filter(|l| l.trim_end() == "---") {
        Some(_) => {
            lines.iter().enumerate().skip(1).find(|(_, l)| matches!(l.trim_end(), "---" | "...")).map(|(i, _)| i)
        }
        None => None,
    };
    let block = |indent: &str| quoted.iter().map(|q| format!("{indent}- {q}{eol}")).collect::<String>();
    let edited = match close {
        None => format!("---{eol}symptoms:{eol}{}---{eol}{body}", block("  ")),
        Some(close) => {
            let key = (1..close).find(|&i| lines.get(i).is_some_and(|l| l.starts_with("symptoms:")));
            let mut out: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
            match key {
                None => out.insert(close, format!("symptoms:{eol}{}", block("  "))),
                Some(i) => {
                    let line = lines.get(i).copied().unwrap_or_default();
                    let rest = line.trim_end().strip_prefix("symptoms:").unwrap_or_default().trim();
                    if rest.is_empty() || rest.starts_with('#') {
                        // A block list: its items are the indented lines below (and comments).
                        let items = (i + 1..close).take_while(|&j| {
                            lines.get(j).is_some_and(|l| l.starts_with([' ', '\t', '-']) || l.trim().is_empty())
                        });
                        let last = items.clone().last().unwrap_or(i);
                        let indent = items
                            .filter_map(|j| lines.get(j))
                            .find(|l| l.trim_start().starts_with("- "))
                            .map_or("  ".to_owned(), |l| l.chars().take_while(|c| *c == ' ').collect());
                        out.insert(last + 1, block(&indent));
                    } else if rest.starts_with('[') && rest.ends_with(']') {
                        let inner = rest.trim_start_matches('[').trim_end_matches(']').trim();
                        let all = quoted.join(", ");
                        let joined = if inner.is_empty() { all } else { format!("{inner}, {all}") };
                        *out.get_mut(i)? = format!("symptoms: [{joined}]{eol}");
                    } else if rest.starts_with(['[', '{', '|', '>', '&', '*']) {
                        return None;
                    } else {
                        // One symptom written alone: a block list of it and the new ones.
                        *out.get_mut(i)? = format!("symptoms:{eol}  - {rest}{eol}{}", block("  "));
                    }
                }
            }
            out.concat()
        }
    };
    // It must read back with every symptom it had and the new ones.
    let before = symptoms_of(body);
    let after = symptoms_of(&edited)?;
    let expected: Vec<String> =
        before.unwrap_or_default().into_iter().chain(symptoms.iter().map(|s| crate::text::one_line(s))).collect();
    (after == expected).then(|| format!("{bom}{edited}"))
}

/// The symptoms a runbook's text declares; `None` when its frontmatter does not read.
fn symptoms_of(text: &str) -> Option<Vec<String>> {
    let normalised = crate::text::normalize_newlines(text);
    let parts = super::split(&normalised);
    let Some(yaml) = parts.yaml else { return Some(Vec::new()) };
    let (fm, findings) = super::parse_frontmatter(yaml, 2);
    let broken = findings.iter().any(|f| f.code == "yaml" || (f.code == "type" && f.message.contains("symptoms")));
    (!broken).then_some(fm.symptoms)
}

/// A YAML double-quoted string (a JSON string is one).
fn quote(s: &str) -> String {
    serde_json::to_string(&crate::text::one_line(s)).unwrap_or_else(|_| "\"\"".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn add(text: &str) -> String {
        add_symptoms(text, &["site slow".to_owned(), "it's \"down\"".to_owned()]).unwrap_or_default()
    }

    #[test]
    fn symptoms_go_where_the_author_would_write_them() {
        assert_eq!(
            add("---\ntitle: T\nsymptoms:\n    - a\n    - b # why\nkind: guide\n---\n# T\n"),
            "---\ntitle: T\nsymptoms:\n    - a\n    - b # why\n    - \"site slow\"\n    - \"it's \\\"down\\\"\"\nkind: guide\n---\n# T\n"
        );
        assert_eq!(
            add("---\nsymptoms: [a, b]\n---\n"),
            "---\nsymptoms: [a, b, \"site slow\", \"it's \\\"down\\\"\"]\n---\n"
        );
        assert_eq!(add("---\nsymptoms: []\n---\n"), "---\nsymptoms: [\"site slow\", \"it's \\\"down\\\"\"]\n---\n");
        assert_eq!(
            add("---\ntitle: T\n---\nbody\n"),
            "---\ntitle: T\nsymptoms:\n  - \"site slow\"\n  - \"it's \\\"down\\\"\"\n---\nbody\n"
        );
        assert_eq!(add("# T\n"), "---\nsymptoms:\n  - \"site slow\"\n  - \"it's \\\"down\\\"\"\n---\n# T\n");
        assert_eq!(
            add("---\nsymptoms: a\n---\n"),
            "---\nsymptoms:\n  - a\n  - \"site slow\"\n  - \"it's \\\"down\\\"\"\n---\n"
        );
        // A byte order mark and CRLF line ends stay; a form it does not edit is left alone.
        assert_eq!(
            add("\u{feff}---\r\nsymptoms:\r\n  - a\r\n---\r\n"),
            "\u{feff}---\r\nsymptoms:\r\n  - a\r\n  - \"site slow\"\r\n  - \"it's \\\"down\\\"\"\r\n---\r\n"
        );
        assert_eq!(add("---\nsymptoms: [a] # mine\n---\n"), "");
        assert_eq!(add("---\nsymptoms: [a,\n  b]\n---\n"), "");
        // What it writes reads back as the symptoms it meant.
        let (fm, f) = super::super::parse_frontmatter(
            "title: T\nsymptoms:\n  - a\n  - \"site slow\"\n  - \"it's \\\"down\\\"\"\n",
            2,
        );
        assert!(f.is_empty());
        assert_eq!(fm.symptoms, ["a", "site slow", "it's \"down\""]);
    }
}
