//! The session journal end to end: a session cut off mid-procedure (SIGHUP, and SIGKILL) is
//! fully in `runbook journal`, and `runbook --resume` brings the responder back to that step.

#![cfg(test)]

mod common;

use assert_cmd::Command;
use common::{start, start_with};

fn journal(state: &std::path::Path, args: &[&str]) -> String {
    let out = Command::cargo_bin("runbook")
        .unwrap()
        .env("RUNBOOK_SYSTEM_CONFIG", "/nonexistent/runbook/config.toml")
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .arg("journal")
        .args(args)
        .env("RUNBOOK_STATE_DIR", state)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Walk to the risky step, confirm it, write a note, then cut the session off with `sig`.
fn cut_off_mid_procedure(state: &std::path::Path, sig: &str) {
    let mut s = start(24, 80, &[], state);
    s.wait_for("type what you see");
    s.send("no space left");
    s.wait_for("Disk full");
    s.send("\r");
    s.wait_for("[1] One is at 100%");
    s.send("1");
    s.wait_for("Shrink the journal to 500 MB");
    s.send(" ");
    s.wait_for("Risky step: confirm");
    s.send("y");
    s.wait_for("steps 1/3");
    s.send("n");
    s.wait_for("Note for the handoff");
    s.send("freed 3 GB\r");
    s.wait_for("Note saved");
    s.signal(sig);
    s.wait_exit();
}

#[test]
fn a_session_cut_off_by_sighup_is_in_the_journal_and_resumes() {
    let state = tempfile::TempDir::new().unwrap();
    cut_off_mid_procedure(state.path(), "HUP");
    let report = journal(state.path(), &[]);
    for want in [
        "# On-call handoff: tester on ",
        "ended abruptly",
        "Searched for: \"no space left\"",
        "Stopped at: Disk full > Shrink the journal",
        "- [x] Shrink the journal to 500 MB: (Disk full)",
        "- [ ] Check the space again: (Disk full > Shrink the journal)",
        "Q: Which filesystem is full? -> A: One is at 100%",
        "RISKY step confirmed and done: Shrink the journal to 500 MB",
        "note: freed 3 GB",
        "session ended (hangup (SIGHUP)",
    ] {
        assert!(report.contains(want), "missing {want:?} in:\n{report}");
    }
    assert!(report.lines().all(|l| l.chars().count() <= 80));
    let list = journal(state.path(), &["--list"]);
    assert_eq!(list.lines().count(), 1);
    assert!(list.contains("ended abruptly"));
    let json = journal(state.path(), &["--json"]);
    let events: Vec<serde_json::Value> = serde_json::from_str(&json).unwrap();
    assert_eq!(events.first().map(|e| e["event"].clone()), Some("session_start".into()));

    // --resume reopens the same runbook, section and checklist.
    let mut s = start(24, 80, &["--resume"], state.path());
    s.wait_for("Resumed: Disk full > Shrink the journal");
    s.wait_for("steps 1/3");
    s.wait_for("[x] Shrink the journal to 500 MB");
    s.wait_for("[ ] Check the space again");
    // Backspace walks up the tree as before the cut, not to an empty search.
    s.send("\x7f");
    s.wait_for("[1] One is at 100%");
    s.send("1");
    s.wait_for("[ ] Check the space again");
    // Quitting in the middle of a procedure asks once; `y` quits.
    s.send("q");
    s.wait_for("Quit with steps not done?");
    s.wait_for("Disk full: 1 of 3 steps done");
    s.send("y");
    s.wait_exit();
    let report = journal(state.path(), &[]);
    assert!(report.contains("session resumed by tester"), "{report}");
    assert!(report.contains("session ended (quit; not done: Disk full: 1 of 3 steps done)"), "{report}");
    assert!(report.contains("quit with steps not done:"), "{report}");
}

#[test]
fn a_killed_session_loses_nothing_and_is_offered_for_resume() {
    let state = tempfile::TempDir::new().unwrap();
    cut_off_mid_procedure(state.path(), "KILL");
    let report = journal(state.path(), &[]);
    assert!(report.contains("note: freed 3 GB"), "{report}");
    assert!(report.contains("- [x] Shrink the journal to 500 MB"), "{report}");
    assert!(!report.contains("session ended"), "SIGKILL leaves no end record: {report}");
    // Starting again offers to resume.
    let mut s = start(24, 80, &[], state.path());
    s.wait_for("Your last session ended abruptly");
    s.send("y");
    s.wait_for("steps 1/3");
    s.send("q");
    s.send("q"); // asked once: a second q quits
    s.wait_exit();
    let list = journal(state.path(), &["--list"]);
    assert_eq!(list.lines().count(), 1, "resuming continues the same session: {list}");
}

/// A hand-edited or damaged journal: lines whose time is not a time, or that are not JSON at
/// all, are skipped and counted; the report, the list and the JSON still come out.
#[test]
fn a_damaged_journal_still_gives_its_report() {
    let state = tempfile::TempDir::new().unwrap();
    let sessions = state.path().join("sessions");
    std::fs::create_dir_all(&sessions).unwrap();
    let lines = [
        r#"{"at":"2026-11-25T03:00:00+01:00","event":"session_start","user":"ana","host":"web-1","roots":[],"version":"0"}"#,
        r#"{"at":"x","event":"search","query":"disk full"}"#,
        r#"{"at":"2026-11-25T0","event":"search","query":"short"}"#,
        r#"{"at":"2026-11-25T03:04:00+01:00","event":"note","place":null,"step":null,"text":"freed 3 GB"}"#,
        "\u{0}\u{1b}[2J garbage",
        r#"{"at":"2026-11-25T03:05:00+01:00","event":"note","place":null,"step":null,"text":"evil \u001b]52;c;eA==\u0007 \u009b31m"}"#,
    ];
    std::fs::write(sessions.join("20261125T030000-1.jsonl"), lines.join("\n")).unwrap();
    let report = journal(state.path(), &[]);
    let control = |t: &str| t.chars().any(|c| c.is_control() && c != '\n');
    assert!(!control(&report), "a journal's escape sequences never reach the terminal: {report:?}");
    assert!(report.contains("3 unreadable lines skipped"), "{report}");
    assert!(report.contains("03:04 freed 3 GB"), "{report}");
    assert!(report.contains("(5 min;"), "{report}");
    let list = journal(state.path(), &["--list"]);
    assert!(list.contains("2026-11-25 03:00 (+01:00)"), "{list}");
    let json = journal(state.path(), &["--json"]);
    assert!(!control(&json), "{json:?}");
    assert_eq!(serde_json::from_str::<serde_json::Value>(&json).ok().and_then(|v| v.as_array().map(Vec::len)), Some(3));
}

#[test]
fn the_configured_name_signs_the_handoff_and_the_header_says_how_old_the_runbooks_are() {
    let (state, config) = (tempfile::TempDir::new().unwrap(), tempfile::TempDir::new().unwrap());
    std::fs::create_dir_all(config.path().join("runbook")).unwrap();
    std::fs::write(config.path().join("runbook/config.toml"), "name = \"Ana Lopez\"\n").unwrap();
    let mut s = start_with(24, 80, &[], state.path(), &[("XDG_CONFIG_HOME", config.path())]);
    s.wait_for("type what you see");
    // A git checkout says its last commit; a plain folder its newest file.
    s.wait_for("changed ");
    s.send("\x1b");
    s.wait_for("Esc again quits");
    s.send("\x1b");
    s.wait_exit();
    let report = journal(state.path(), &[]);
    assert!(report.starts_with("# On-call handoff: Ana Lopez on "), "{report}");
    assert!(report.contains("by Ana Lopez on "), "{report}");
}
