//! Editing a runbook's frontmatter as text, for changes proposed to an author (`insights
//! --suggest`): symptoms added in the file's own style, every other byte kept, so the diff
//! shows only what is proposed.

/// `text` with `symptoms` appended to its `symptoms:` list: a block list gets `  - "..."`
/// lines after its last item (the items' indent kept), a one-line flow list (`[a, b]`) gets
/// them before its `]`; a runbook without the key gets it at the end of its frontmatter, one
/// without frontmatter a frontmatter holding only it. Values are YAML double-quoted strings.
pub(crate) fn add_symptoms(text: &str, symptoms: &[String]) -> String {
    if symptoms.is_empty() {
        return text.to_owned();
    }
    let quoted: Vec<String> = symptoms.iter().map(|s| quote(s)).collect();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let close = match lines.first().filter(|l| l.trim_end() == "---") {
        Some(_) => {
            lines.iter().enumerate().skip(1).find(|(_, l)| matches!(l.trim_end(), "---" | "...")).map(|(i, _)| i)
        }
        None => None,
    };
    let block = |indent: &str| quoted.iter().map(|q| format!("{indent}- {q}\n")).collect::<String>();
    let Some(close) = close else {
        return format!("---\nsymptoms:\n{}---\n{text}", block("  "));
    };
    let key = (1..close).find(|&i| lines.get(i).is_some_and(|l| l.starts_with("symptoms:")));
    let mut out: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
    match key {
        None => out.insert(close, format!("symptoms:\n{}", block("  "))),
        Some(i) => {
            let line = lines.get(i).copied().unwrap_or_default();
            let rest = line.trim_end().strip_prefix("symptoms:").unwrap_or_default().trim();
            if rest.is_empty() || rest.starts_with('#') {
                // A block list: its items are the indented lines below (and their comments).
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
                let joined =
                    if inner.is_empty() { quoted.join(", ") } else { format!("{inner}, {}", quoted.join(", ")) };
                if let Some(slot) = out.get_mut(i) {
                    *slot = format!("symptoms: [{joined}]\n");
                }
            } else {
                // One symptom written alone: a block list of it and the new ones.
                if let Some(slot) = out.get_mut(i) {
                    *slot = format!("symptoms:\n  - {rest}\n{}", block("  "));
                }
            }
        }
    }
    out.concat()
}

/// A YAML double-quoted string (a JSON string is one).
fn quote(s: &str) -> String {
    serde_json::to_string(&crate::text::one_line(s)).unwrap_or_else(|_| "\"\"".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn add(text: &str) -> String {
        add_symptoms(text, &["site slow".to_owned(), "it's \"down\"".to_owned()])
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
        // What it writes reads back as the symptoms it meant.
        let (fm, f) = super::super::parse_frontmatter(
            "title: T\nsymptoms:\n  - a\n  - \"site slow\"\n  - \"it's \\\"down\\\"\"\n",
            2,
        );
        assert!(f.is_empty());
        assert_eq!(fm.symptoms, ["a", "site slow", "it's \"down\""]);
    }
}
