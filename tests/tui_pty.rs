//! End to end in a real pseudo-terminal: start the binary on fixture runbooks, type a symptom,
//! open the top hit, take an answer, go back, check a risky step, quit; and a SIGHUP (the SSH
//! link dropped) mid-session. Each time the terminal must be left as it was found.

#![cfg(test)]

mod common;
mod hostile_folder;

use common::start;

#[test]
fn a_responder_walks_a_path_and_quits() {
    let state = tempfile::TempDir::new().unwrap();
    let mut s = start(24, 80, &[], state.path());
    s.wait_for("type what you see");
    s.send("no space left");
    s.wait_for("> no space left");
    s.wait_for("Disk full");
    s.send("\r");
    s.wait_for("Which filesystem is full?");
    s.wait_for("[1] One is at 100%");
    s.send("1");
    s.wait_for("Shrink the journal to 500 MB");
    s.send("\x7f"); // Backspace: one step back
    s.wait_for("[2] None is full");
    s.send("1");
    s.wait_for("Shrink the journal to 500 MB");
    s.send(" ");
    s.wait_for("Risky step: confirm");
    // The Before you start check is not done: the dialog says so first.
    s.wait_for("Not done yet, and they come first (1):");
    s.send("y");
    s.wait_for("steps 1/3");
    s.send("q");
    s.wait_for("Quit with steps not done?");
    s.send("y");
    let status = s.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    assert!(s.terminal_restored(), "left the alternate screen and showed the cursor");
}

#[test]
fn a_link_in_the_text_is_followed_and_backspace_comes_back() {
    let state = tempfile::TempDir::new().unwrap();
    let mut s = start(20, 60, &[], state.path());
    s.wait_for("type what you see");
    s.send("start here");
    s.wait_for("> start here");
    s.wait_for("▶Start here");
    s.send("\r");
    s.wait_for("What do you see?");
    s.send("\t"); // Tab: the first link of the text
    s.send("\r");
    s.wait_for("Ports reference");
    s.send("\x7f"); // Backspace: back where the link was
    s.wait_for("What do you see?");
    s.send("q");
    assert!(s.wait_exit().success());
    assert!(s.terminal_restored());
}

#[test]
fn sighup_exits_and_restores_the_terminal() {
    let state = tempfile::TempDir::new().unwrap();
    let mut s = start(20, 60, &[], state.path());
    s.wait_for("type what you see");
    s.send("disk");
    s.wait_for("Disk full");
    s.signal("HUP");
    s.wait_exit();
    assert!(s.terminal_restored(), "terminal restored after SIGHUP");
}

#[test]
fn a_dropped_terminal_ends_the_process() {
    // The SSH link drops: the pty closes under the process. It must exit, not spin.
    let state = tempfile::TempDir::new().unwrap();
    let mut s = start(24, 80, &[], state.path());
    s.wait_for("type what you see");
    s.send("disk");
    s.wait_for("Disk full");
    s.hang_up();
    s.wait_exit();
}

#[test]
fn a_folder_of_hostile_runbooks_opens_searches_and_restores_the_terminal() {
    let state = tempfile::TempDir::new().unwrap();
    let folder = tempfile::TempDir::new().unwrap();
    hostile_folder::write_folder(folder.path());
    let dir = folder.path().display().to_string();
    let mut s = start(20, 60, &["--dir", &dir], state.path());
    s.wait_for("type what you see");
    s.wait_for("problem(s): F2");
    s.send("zebraquote");
    s.wait_for("Deep quotes");
    s.send("\r");
    s.wait_for("⌫ back"); // the guide's footer: the search box is gone
    assert!(s.contents().contains("zebraquote"), "the innermost text is on screen:\n{}", s.contents());
    s.send("\x1b"); // Esc: back to the search
    s.send("\x1b"); // clear it
    s.send("zebratask");
    s.wait_for("Deep tasks");
    s.send("\r");
    s.wait_for("step 0");
    s.signal("TERM");
    s.wait_exit();
    assert!(s.terminal_restored(), "terminal restored");
}

#[test]
fn a_drill_shows_only_the_scenario_is_recorded_apart_and_says_how_it_went() {
    let state = tempfile::TempDir::new().unwrap();
    let mut s = start(24, 80, &["drill", "--runbook", "os/disk-full"], state.path());
    s.wait_for("DRILL. The ticket says:");
    let intro = s.contents().to_lowercase();
    // The fixture's symptoms are "No space left on device" and "disk full", its title "Disk
    // full": only the first may be the scenario.
    assert!(!intro.contains("disk full"), "the title is not given away:\n{intro}");
    assert!(intro.contains("\"no space left on device\""), "{intro}");
    s.send("\r");
    // The scenario stays in view on the search screen, in place of the hint.
    s.wait_for("DRILL: \"No space left on device\"");
    s.send("no space left");
    s.wait_for("Disk full");
    s.send("\r");
    s.wait_for("[1] One is at 100%");
    s.send("1");
    s.wait_for("Shrink the journal to 500 MB");
    s.send("q");
    s.wait_for("Reached Disk full (os/disk-full) after");
    s.wait_for("Answers taken: Which filesystem is full? -> One is at 100%");
    s.wait_for("Steps done: 0 of 3");
    assert!(s.wait_exit().success());
    let drills = std::fs::read_dir(state.path().join("drills")).map(|d| d.count()).unwrap_or(0);
    assert_eq!(drills, 1, "recorded as a drill");
    assert!(!state.path().join("sessions").exists(), "never among the real sessions");
    let report = std::process::Command::new(env!("CARGO_BIN_EXE_runbook"))
        .args(["drill", "--report"])
        .env("RUNBOOK_STATE_DIR", state.path())
        .env("RUNBOOK_SYSTEM_CONFIG", state.path().join("none.toml"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&report.stdout);
    assert!(
        text.contains("# Drills (1)") && text.contains("## Found fast (1)") && text.contains("-> os/disk-full in"),
        "{text}"
    );
}

#[test]
fn a_drills_results_fit_a_phones_60_columns_without_cutting_words() {
    let state = tempfile::TempDir::new().unwrap();
    let mut s = start(20, 60, &["drill", "--runbook", "os/disk-full"], state.path());
    s.wait_for("DRILL. The ticket says:");
    s.send("\r");
    s.wait_for("DRILL:");
    s.send("no space left");
    s.wait_for("Disk full");
    s.send("\r");
    s.wait_for("[1] One is at 100%");
    s.send("q");
    s.wait_for("Steps done:");
    assert!(s.wait_exit().success());
    let raw = String::from_utf8_lossy(&s.raw()).into_owned();
    let after = raw.rsplit("\x1b[?1049l").next().unwrap_or_default();
    let lines: Vec<&str> =
        after.split('\n').map(|l| l.trim_end_matches('\r')).filter(|l| !l.contains('\x1b')).collect();
    assert!(lines.iter().any(|l| l.starts_with("Steps done:")), "{lines:#?}");
    for l in &lines {
        assert!(l.chars().count() < 60, "wrapped for the terminal, not at 78 columns: {l:?}");
    }
}
