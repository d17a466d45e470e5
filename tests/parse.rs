//! The markdown -> model parser on small documents: sections, ids, answers, steps, commands,
//! risky steps, alerts, tables and source lines.

#![cfg(test)]

use runbook::runbook::{AlertKind, Block, Kind, Origin, Runbook, SectionRole, Target, parse_text, plain_text};

fn parse(text: &str) -> Runbook {
    let origin = Origin { root: 0, rel_path: "os/disk-full.md".into(), file: "os/disk-full.md".into() };
    parse_text(text, origin).0
}

#[test]
fn defaults_come_from_path_and_headings() {
    let rb = parse("Intro text.\n\n## First\n\n# Real title\n");
    assert_eq!(rb.id, "os/disk-full");
    assert_eq!(rb.title, "Real title");
    let rb = parse("no headings at all\n");
    assert_eq!(rb.title, "Disk full");
    let rb = parse("---\ntitle: From YAML\nid: custom/id\n---\n# H1\n");
    assert_eq!(rb.title, "From YAML");
    assert_eq!(rb.id, "custom/id");
}

#[test]
fn section_ids_are_github_slugs_deduplicated_or_explicit() {
    let rb = parse("# T\n## Check it\n## Check it\n## Check it\n## Question? {#q}\n");
    let ids: Vec<&str> = rb.sections.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["t", "check-it", "check-it-1", "check-it-2", "q"]);
    assert_eq!(rb.sections[4].title, "Question?");
}

#[test]
fn lines_are_file_lines_after_frontmatter() {
    let rb = parse("---\ntitle: x\n---\n# T\n\ntext\n\n## Second\n");
    assert_eq!(rb.sections[0].line, 4);
    assert_eq!(rb.sections[0].blocks[0].line(), 6);
    assert_eq!(rb.sections[1].line, 8);
}

#[test]
fn a_list_of_only_links_is_a_set_of_answers() {
    let rb = parse("# Q\n\n- [Yes, full](#full)\n- [No](../net/dns.md#start)\n- [Other](other.md)\n\n## Full\n");
    let choices: Vec<_> = rb.sections[0].choices().collect();
    assert_eq!(choices.len(), 3);
    assert_eq!(choices[0].label, "Yes, full");
    assert_eq!(choices[0].target, Target::Section { section: "full".into() });
    assert_eq!(choices[1].target, Target::Runbook { path: "../net/dns.md".into(), section: Some("start".into()) });
    assert_eq!(choices[2].line, 5);
    assert_eq!(rb.kind, Kind::Guide);
}

#[test]
fn lists_with_text_or_web_links_are_not_answers() {
    let rb = parse("# Q\n\n- [Yes](#a) and more\n- [No](#b)\n\n- [Web](https://example.com)\n");
    assert_eq!(rb.sections[0].choices().count(), 0);
    assert!(rb.sections[0].blocks.iter().all(|b| matches!(b, Block::List { .. })));
}

#[test]
fn task_items_are_steps_with_commands_inside_or_after() {
    let text = "# P\n\n- [ ] Look first:\n\n  ```sh\n  df -h\n  ```\n\n- [x] Already done\n\n```sh\ndu -xh /\n```\n";
    let rb = parse(text);
    let steps: Vec<_> = rb.sections[0].steps().collect();
    assert_eq!(steps.len(), 2);
    assert_eq!(plain_text(&steps[0].text).trim(), "Look first:");
    assert_eq!(steps[0].command.as_ref().map(|c| c.code.as_str()), Some("df -h\n"));
    assert!(steps[1].checked);
    assert_eq!(steps[1].command.as_ref().map(|c| c.code.as_str()), Some("du -xh /\n"));
    assert_eq!(rb.kind, Kind::Procedure);
}

#[test]
fn caution_before_a_step_marks_it_risky() {
    let text = "# P\n\n- [ ] Safe step\n\n> [!CAUTION]\n> Drops connections.\n\n- [ ] Restart\n\n> [!NOTE]\n> Just a note.\n\n- [ ] Not risky\n";
    let rb = parse(text);
    let steps: Vec<_> = rb.sections[0].steps().collect();
    assert_eq!(steps.len(), 3);
    assert!(steps[0].risk.is_none());
    let risk = steps[1].risk.as_ref().map(|r| r.kind);
    assert_eq!(risk, Some(AlertKind::Caution));
    assert!(steps[2].risk.is_none());
    assert!(rb.sections[0].blocks.iter().any(|b| matches!(b, Block::Alert { kind: AlertKind::Note, .. })));
}

#[test]
fn warning_inside_a_step_marks_it_risky() {
    let rb = parse("# P\n\n- [ ] Restart\n\n  > [!WARNING]\n  > Users see errors.\n");
    let step = rb.sections[0].steps().next();
    assert_eq!(step.and_then(|s| s.risk.as_ref()).map(|r| r.kind), Some(AlertKind::Warning));
}

#[test]
fn special_sections_are_recognised() {
    let rb = parse("# P\n## Before you start\n## Pre-checks\n## verify\n## Rollback\n## Escalate\n## Other\n");
    let roles: Vec<SectionRole> = rb.sections.iter().map(|s| s.role).collect();
    use SectionRole::*;
    assert_eq!(roles, [Normal, PreChecks, PreChecks, Verify, Rollback, Escalate, Normal]);
}

#[test]
fn tables_alerts_and_inline_styles() {
    let rb = parse(
        "# T\n\n| a | b |\n|---|---|\n| 1 | **2** |\n\n> [!TIP]\n> use `df`\n\nSome *em* and [link](https://x).\n",
    );
    let blocks = &rb.sections[0].blocks;
    let Block::Table { header, rows, .. } = &blocks[0] else { panic!("{blocks:?}") };
    assert_eq!(header.len(), 2);
    assert_eq!(rows[0][1][0].text, "2");
    assert!(rows[0][1][0].style.strong);
    assert!(matches!(blocks[1], Block::Alert { kind: AlertKind::Tip, .. }));
    let Block::Paragraph { text, .. } = &blocks[2] else { panic!() };
    assert!(text.iter().any(|i| i.style.emphasis && i.text == "em"));
    assert!(text.iter().any(|i| i.link.as_deref() == Some("https://x")));
}

#[test]
fn frontmatter_mid_document_is_text_and_crlf_is_handled() {
    let rb = parse("# T\r\n\r\n---\r\ntitle: not frontmatter\r\n---\r\n");
    assert_eq!(rb.title, "T");
    assert!(rb.meta.title.is_none());
    let rb = parse("\u{feff}---\r\ntitle: With BOM\r\n---\r\n# H\r\n");
    assert_eq!(rb.title, "With BOM");
}

#[test]
fn control_characters_never_survive() {
    let (rb, findings) = parse_text(
        "# T\u{1b}]0;pwned\u{7}\n\ntext\u{1b}[2J\n",
        Origin { root: 0, rel_path: "a.md".into(), file: "a.md".into() },
    );
    let json = serde_json::to_string(&rb).unwrap_or_default();
    assert!(!json.contains("\\u001b"), "{json}");
    assert!(!rb.title.contains('\u{1b}'));
    assert!(findings.iter().any(|f| f.code == "control-chars" && f.line == Some(1)));
}

#[test]
fn start_defaults_to_the_first_question() {
    let rb = parse("# Title\n\nIntro.\n\n## Q1\n\n- [a](#end)\n\n## End\n");
    assert_eq!(rb.sections[rb.start_index()].id, "q1");
    let rb = parse("---\nstart: end\n---\n# Title\n\n## Q1\n\n- [a](#end)\n\n## End\n");
    assert_eq!(rb.sections[rb.start_index()].id, "end");
}

#[test]
fn titles_are_one_line() {
    // Found by the property test: a setext heading with a hard line break.
    let rb = parse("A\\\n0\n-\n");
    assert_eq!(rb.sections[0].title, "A 0");
    assert_eq!(rb.title, "A 0");
    let rb = parse("---\ntitle: |\n  two\n  lines\n---\n");
    assert_eq!(rb.title, "two lines");
}

#[test]
fn html_comments_are_notes_for_authors_and_other_html_is_kept() {
    let rb = parse(
        "# T\n\n<!-- Say here what the change does. -->\n\nText.\n\n<!-- one -->\n<!-- two -->\n\n<div>kept</div>\n\n<!-- open\n",
    );
    let html: Vec<&str> = rb.sections[0]
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Html { text, .. } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(html, ["<div>kept</div>", "<!-- open"], "a comment that never closes is shown, not lost");
}
