//! The authors' commands end to end: `runbook new` writes a runbook that passes
//! `check --strict` as written, and `runbook preview` reloads on save, shows why a broken
//! save does not load, and keeps the author's place.

#![cfg(test)]

mod common;

use std::path::Path;
use std::process::Command;

fn runbook(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_runbook"))
        .current_dir(cwd)
        .args(args)
        .env("RUNBOOK_SYSTEM_CONFIG", cwd.join("no-system.toml"))
        .env("XDG_CONFIG_HOME", cwd.join("no-config"))
        .env("XDG_DATA_HOME", cwd.join("data"))
        .env("RUNBOOK_CACHE_DIR", cwd.join("cache"))
        .env_remove("RUNBOOK_PATH")
        .output()
        .unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
}

#[test]
fn every_template_passes_check_but_fails_strict_at_each_placeholder_until_written() {
    let dir = tempfile::TempDir::new().unwrap();
    for kind in ["guide", "procedure", "reference"] {
        let (code, out, err) = runbook(dir.path(), &["new", "--kind", kind, &format!("rb/ops/{kind}-thing.md")]);
        assert_eq!(code, 0, "{out}{err}");
        assert!(out.contains("runbook preview"), "{out}");
    }
    let text = std::fs::read_to_string(dir.path().join("rb/ops/procedure-thing.md")).unwrap();
    for part in ["## Before you start", "## Steps", "## Verify", "## Rollback", "## Escalate", "# input", "<!--"] {
        assert!(text.contains(part), "the procedure template has {part:?}");
    }
    assert!(text.contains("title: \"Procedure thing\""), "the title comes from the file name");
    let (code, _, err) = runbook(dir.path(), &["new", "rb/ops/@odd [name].md"]);
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = runbook(dir.path(), &["--dir", "rb", "check"]);
    assert_eq!(code, 0, "as written, no error: {out}");
    assert!(out.contains("checked 4 runbooks: 0 error(s)"), "a name YAML would misread is quoted: {out}");
    // Strict: every placeholder line, by line, until an author writes the text.
    let (code, out, _) = runbook(dir.path(), &["--dir", "rb", "check", "--strict"]);
    assert_eq!(code, 1, "{out}");
    let procedure = text.lines().enumerate().filter(|(_, l)| l.contains("REPLACE")).map(|(i, _)| i + 1);
    for line in procedure {
        assert!(out.contains(&format!("procedure-thing.md:{line}: warning[placeholder]")), "line {line}: {out}");
    }
    for kind in ["guide", "procedure", "reference"] {
        let path = dir.path().join(format!("rb/ops/{kind}-thing.md"));
        let written = std::fs::read_to_string(&path).unwrap().replace("REPLACE: ", "").replace("REPLACE", "written");
        std::fs::write(&path, written).unwrap();
    }
    std::fs::remove_file(dir.path().join("rb/ops/@odd [name].md")).unwrap();
    let (code, out, _) = runbook(dir.path(), &["--dir", "rb", "check", "--strict"]);
    assert_eq!(code, 0, "once written, strict-clean: {out}");
    let (code, out, _) = runbook(dir.path(), &["--dir", "rb", "show", "ops/procedure-thing"]);
    assert_eq!(code, 0);
    assert!(!out.contains("<!--"), "the comments are for authors, not responders:\n{out}");
    let (code, _, err) = runbook(dir.path(), &["new", "rb/ops/guide-thing.md"]);
    assert_eq!(code, 2, "never overwrites");
    assert!(err.contains("already exists"), "{err}");
}

#[test]
fn in_a_team_repository_the_new_runbook_escalates_to_its_first_contact() {
    let dir = tempfile::TempDir::new().unwrap();
    assert_eq!(runbook(dir.path(), &["init", "team"]).0, 0);
    let (code, out, err) = runbook(dir.path(), &["new", "team/runbooks/web/reload-web.md"]);
    assert_eq!(code, 0, "{out}{err}");
    let text = std::fs::read_to_string(dir.path().join("team/runbooks/web/reload-web.md")).unwrap();
    assert!(text.contains("  - who: platform"), "{text}");
    // Plain check passes; strict names only placeholders (the new file's and the team's).
    let (code, out, _) = runbook(dir.path(), &["--dir", "team", "check"]);
    assert_eq!(code, 0, "{out}");
    let (code, out, _) = runbook(dir.path(), &["--dir", "team", "check", "--strict"]);
    assert_eq!(code, 1, "{out}");
    let findings: Vec<&str> = out.lines().filter(|l| l.contains("error[") || l.contains("warning[")).collect();
    // The new runbook's placeholders, the team's, and that nothing links to it yet.
    assert!(
        findings.iter().all(|l| l.contains("warning[placeholder]")
            || (l.contains("reload-web.md:") && l.contains("warning[not-reached]"))),
        "{out}"
    );
    assert!(findings.iter().any(|l| l.contains("reload-web.md:") && l.contains("placeholder")), "{out}");
    assert!(findings.iter().any(|l| l.contains("warning[not-reached]")), "{out}");
}

#[test]
fn preview_reloads_on_save_and_shows_why_a_broken_save_does_not_load() {
    let dir = tempfile::TempDir::new().unwrap();
    let file = dir.path().join("web-down.md");
    let page = |title: &str, text: &str| {
        format!(
            "---\ntitle: {title}\nkind: guide\n---\n# Web down\n\n## Which? {{#q}}\n\n- [Slow](#slow)\n- [Down](#down)\n\n## Slow {{#slow}}\n\n{text}\n\n## Down {{#down}}\n\nCall.\n"
        )
    };
    std::fs::write(&file, page("Web down", "Look at the load.")).unwrap();
    let state = tempfile::TempDir::new().unwrap();
    let mut s = common::start(24, 80, &["preview", file.to_str().unwrap()], state.path());
    s.wait_for("[1] Slow");
    s.send("1");
    s.wait_for("Look at the load.");
    std::fs::write(&file, page("Web down", "Look at the load, then at the disk.")).unwrap();
    s.wait_for("then at the disk.");
    s.wait_for("Reloaded");
    assert!(s.contents().contains("Slow"), "still at the section the author was in:\n{}", s.contents());
    std::fs::write(&file, page("[Web down", "Broken.")).unwrap();
    s.wait_for("Preview: the file has errors");
    s.wait_for("invalid YAML");
    assert!(s.contents().contains("then at the disk."), "the last good version stays:\n{}", s.contents());
    std::fs::write(&file, page("Web is down", "Fixed.")).unwrap();
    s.wait_for("Fixed.");
    assert!(!s.contents().contains("the file has errors"), "{}", s.contents());
    s.send("q");
    assert!(s.wait_exit().success());
    assert!(!state.path().join("sessions").exists(), "an author's preview is not an incident: no journal");
}
