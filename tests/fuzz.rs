//! Property tests: arbitrary bytes never panic the frontmatter splitter or the parser, and
//! nothing that reaches the model carries a control character.

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
            Just("title: [x\n".to_owned()),
            "[ -~\n]{0,20}",
        ],
        0..30,
    );
    pieces.prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let (rb, _) = parse_bytes(&bytes, origin());
        let json = serde_json::to_string(&rb).unwrap_or_default();
        prop_assert!(!json.contains("\\u001b"));
    }

    #[test]
    fn markdownish_text_never_panics_and_stays_clean(text in markdownish()) {
        let (rb, _) = parse_bytes(text.as_bytes(), origin());
        prop_assert!(!rb.title.chars().any(|c| c.is_control()));
        for s in &rb.sections {
            prop_assert!(!s.title.chars().any(|c| c.is_control() && c != '\n'));
        }
        let json = serde_json::to_string(&rb).unwrap_or_default();
        prop_assert!(!json.contains("\\u001b"));
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
