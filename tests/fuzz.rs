//! Property tests: arbitrary bytes never panic the frontmatter splitter or the parser, and
//! nothing that reaches the model, its JSON or `show` carries a control character. Nested
//! containers are generated here from fragments; tests/hostile.rs generates them by structure.

#![cfg(test)]

use proptest::prelude::*;
use runbook::runbook::frontmatter::{parse_frontmatter, split};
use runbook::runbook::{Origin, parse_bytes};

fn origin() -> Origin {
    Origin { root: 0, rel_path: "f.md".into(), file: "f.md".into() }
}

/// Markdown-ish input: fragments that exercise the parser's interesting paths.
fn markdownish() -> impl Strategy<Value = String> {
    let pieces = prop::collection::vec(
        prop_oneof![
            Just("---\n".to_owned()),
            Just("# H\n".to_owned()),
            Just("## Q {#q}\n".to_owned()),
            Just("- [a](#q)\n".to_owned()),
            Just("- [ ] step\n".to_owned()),
            Just("  ```sh\n  ls\n  ```\n".to_owned()),
            Just("> [!CAUTION]\n> x\n".to_owned()),
            Just("| a | b |\n|---|---|\n| 1 | 2 |\n".to_owned()),
            Just("\r\n".to_owned()),
            Just("\u{1b}[31m".to_owned()),
            Just("\u{9b}31m\u{85}".to_owned()),
            Just("&#x1b;[2J&#155;".to_owned()),
            Just("> ".to_owned()),
            Just("- ".to_owned()),
            Just("1. ".to_owned()),
            Just("  ".to_owned()),
            Just("**".to_owned()),
            Just("[".to_owned()),
            Just("](#q)".to_owned()),
            Just("<div>".to_owned()),
            Just("title: [x\n".to_owned()),
            "[ -~\n]{0,20}",
        ],
        0..30,
    );
    pieces.prop_map(|p| p.concat())
}

/// A control character: C0 (but newline and tab), DEL, or C1 (which serde_json writes raw).
fn is_control(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// Titles are one clean line; the JSON of the model (what `show --json` prints) serialises
/// and holds no control character, raw or escaped.
fn clean_everywhere(rb: &runbook::runbook::Runbook) -> Result<(), TestCaseError> {
    prop_assert!(!rb.title.chars().any(|c| c.is_control()), "title {:?}", rb.title);
    for s in &rb.sections {
        prop_assert!(!s.title.chars().any(|c| c.is_control()), "section title {:?}", s.title);
    }
    let json = serde_json::to_string(rb);
    prop_assert!(json.is_ok(), "serialises: {:?}", json.err());
    let json = json.unwrap_or_default();
    prop_assert!(!json.chars().any(is_control), "raw control character in {json}");
    let value = serde_json::from_str::<serde_json::Value>(&json);
    prop_assert!(value.is_ok(), "reads back with serde_json's default depth: {:?}", value.err());
    let mut stack = vec![value.unwrap_or_default()];
    while let Some(v) = stack.pop() {
        match v {
            serde_json::Value::String(s) => prop_assert!(!s.chars().any(is_control), "escaped control in {s:?}"),
            serde_json::Value::Array(items) => stack.extend(items),
            serde_json::Value::Object(map) => stack.extend(map.into_iter().map(|(_, v)| v)),
            _ => {}
        }
    }
    let text = runbook::plain::runbook(rb, None);
    prop_assert!(!text.chars().any(is_control), "control character in `show`: {text:?}");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let (rb, _) = parse_bytes(&bytes, origin());
        clean_everywhere(&rb)?;
    }

    #[test]
    fn markdownish_text_never_panics_and_stays_clean(text in markdownish()) {
        let (rb, _) = parse_bytes(text.as_bytes(), origin());
        clean_everywhere(&rb)?;
    }

    #[test]
    fn splitter_returns_a_suffix_of_its_input(text in "(---\n)?[ -~\n]{0,200}") {
        let s = split(&text);
        prop_assert!(text.ends_with(s.body));
        if let Some(yaml) = s.yaml {
            prop_assert!(text.contains(yaml));
            let _ = parse_frontmatter(yaml, 2);
        }
    }
}
