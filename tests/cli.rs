//! The command line itself: help a new user understands, completions, man page, colour rules.

#![cfg(test)]

use assert_cmd::Command;

/// The binary, with no config file of this machine or its user in play.
fn runbook() -> Command {
    let mut cmd = Command::cargo_bin("runbook").unwrap();
    cmd.env("RUNBOOK_SYSTEM_CONFIG", "/nonexistent/runbook/config.toml").env("XDG_CONFIG_HOME", "/nonexistent");
    cmd
}

fn stdout(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn help_explains_how_to_start() {
    let help = stdout(runbook().arg("--help"));
    for want in [
        "by symptom",
        "--dir",
        "RUNBOOK_PATH",
        "--no-color",
        "runbook no space left on device",
        "check",
        "journal",
        "--resume",
    ] {
        assert!(help.contains(want), "help lacks {want:?}:\n{help}");
    }
}

#[test]
fn completions_and_man_page() {
    let bash = stdout(runbook().args(["completions", "bash"]));
    assert!(bash.contains("complete") && bash.contains("runbook"), "{bash}");
    let man = stdout(runbook().arg("man"));
    assert!(man.contains(".TH runbook"), "{man}");
}

#[test]
fn piped_output_is_plain_and_no_subcommand_prints_results() {
    // Not a terminal: `runbook SYMPTOM` prints search results instead of opening the TUI.
    let cache = tempfile::TempDir::new().unwrap();
    let out = stdout(
        runbook().args(["--dir", "tests/fixtures/tui", "no", "space", "left"]).env("RUNBOOK_CACHE_DIR", cache.path()),
    );
    assert!(out.contains("Disk full") && out.contains("os/disk-full"), "{out}");
    assert!(!out.contains('\u{1b}'), "no escape codes when piped");
    let list = stdout(runbook().args(["--dir", "tests/fixtures/tui"]).env("RUNBOOK_CACHE_DIR", cache.path()));
    assert!(list.contains("start-here") && list.contains("os/ports"), "{list}");
}

#[test]
fn global_options_work_before_and_after_the_subcommand() {
    let cache = tempfile::TempDir::new().unwrap();
    let a = stdout(
        runbook()
            .args(["--no-color", "--dir", "tests/fixtures/tui", "search", "ports"])
            .env("RUNBOOK_CACHE_DIR", cache.path()),
    );
    let b = stdout(
        runbook()
            .args(["search", "ports", "--dir", "tests/fixtures/tui", "--no-color"])
            .env("RUNBOOK_CACHE_DIR", cache.path()),
    );
    assert_eq!(a, b);
    assert!(a.contains("Ports reference"));
}
