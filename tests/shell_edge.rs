//! From the guide to the shell and back, in real terminals: a copy inside tmux lands in its
//! paste buffer (non-ASCII too) and one through GNU screen reaches the outer terminal; Ctrl-Z
//! under an interactive bash, `!` and a tmux pane return to the same place, and the journal
//! records each shell; a bracketed paste is text in the search box and nothing in a guide.
//! tmux and screen are what CI installs (`.ci/run`); without them a test says SKIPPED, and
//! fails when `CI` is set.

#![cfg(test)]

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::{isolated, start_program, start_with};
use portable_pty::CommandBuilder;

const BIN: &str = env!("CARGO_BIN_EXE_runbook");
const FIXTURES: &str = "tests/fixtures/shell";

/// Whether `program` is on PATH; when not, say so (and fail under CI, which installs it).
fn have(program: &str) -> bool {
    let found =
        Command::new("sh").args(["-c", &format!("command -v {program}")]).output().is_ok_and(|o| o.status.success());
    if !found {
        assert!(std::env::var_os("CI").is_none(), "{program} is not installed, and CI must run this test");
        println!("SKIPPED: {program} is not installed");
    }
    found
}

/// The events of the one session journal under `state`.
fn journal_events(state: &Path) -> Vec<serde_json::Value> {
    let out = Command::new(BIN).args(["journal", "--json"]).envs(isolated(state)).output().unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_default()
}

fn kinds(events: &[serde_json::Value]) -> Vec<String> {
    events.iter().filter_map(|e| e["event"].as_str().map(str::to_owned)).collect()
}

/// From the search for the fixture to its first step.
fn to_first_step(s: &mut common::Session) {
    s.wait_for("Restart the web service");
    s.send("\r");
    s.wait_for("Enter continue: Steps");
    s.send("\r");
    s.wait_for("Look at its state first");
}

/// A tmux server of the test's own, default options, 80x24.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(name: &str, state: &Path, command: &str) -> Tmux {
        let socket = format!("rb-{name}-{}", std::process::id());
        let ok = Command::new("tmux")
            .args(["-L", &socket, "-f", "/dev/null", "new-session", "-d", "-x", "80", "-y", "24", command])
            .envs(isolated(state))
            .env("SHELL", "/bin/sh")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .unwrap()
            .success();
        assert!(ok, "tmux started");
        Tmux { socket }
    }

    /// The binary on the fixture, walked to its first step.
    fn at_first_step(name: &str, state: &Path) -> Tmux {
        let command = format!("{BIN} --dir {FIXTURES} restart web 2>{}/stderr", state.display());
        let t = Tmux::start(name, state, &command);
        t.wait_for("0.0", "Restart the web service");
        t.keys(&["Enter"]);
        t.wait_for("0.0", "Enter continue: Steps");
        t.keys(&["Enter"]);
        t.wait_for("0.0", "Look at its state first");
        t
    }

    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux").args(["-L", &self.socket]).args(args).output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "0.0"];
        args.extend(keys);
        self.run(&args);
        std::thread::sleep(Duration::from_millis(200));
    }

    fn screen(&self, pane: &str) -> String {
        // -J: a line wrapped by the pane's width comes back whole.
        self.run(&["capture-pane", "-p", "-J", "-t", pane])
    }

    fn wait_for(&self, pane: &str, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if self.screen(pane).contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("pane {pane} never showed {text:?}:\n{}", self.screen(pane));
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux").args(["-L", &self.socket, "kill-server"]).status();
    }
}

#[test]
fn inside_tmux_c_puts_the_exact_command_in_its_paste_buffer() {
    if !have("tmux") {
        return;
    }
    let state = tempfile::TempDir::new().unwrap();
    let t = Tmux::at_first_step("copy", state.path());
    t.keys(&["c"]);
    t.wait_for("0.0", "in tmux's paste buffer: prefix ] pastes it");
    assert_eq!(t.run(&["show-buffer"]), "systemctl status web --no-pager\n");
    // Non-ASCII goes through unchanged.
    t.keys(&["Down", "c"]);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(t.run(&["show-buffer"]), "echo \"Redémarrage du service ✓ — 再起動\"\n");
    t.keys(&["C-c"]);
    let events = journal_events(state.path());
    let copies: Vec<&str> =
        events.iter().filter(|e| e["event"] == "copy").filter_map(|e| e["command"].as_str()).collect();
    assert_eq!(copies.len(), 2, "{events:?}");
}

#[test]
fn through_gnu_screen_the_copy_reaches_the_outer_terminal_as_osc52() {
    if !have("screen") {
        return;
    }
    let state = tempfile::TempDir::new().unwrap();
    let mut cmd = CommandBuilder::new("screen");
    cmd.args(["-q", "-e", "^Tt", BIN, "--dir", FIXTURES, "restart", "web"]);
    cmd.cwd(env!("CARGO_MANIFEST_DIR"));
    for (k, v) in isolated(state.path()) {
        cmd.env(k, v);
    }
    let screens = state.path().join("screens");
    std::fs::create_dir_all(&screens).unwrap();
    std::fs::set_permissions(&screens, std::os::unix::fs::PermissionsExt::from_mode(0o700)).unwrap();
    cmd.env("SCREENDIR", screens);
    let mut s = start_program(24, 80, cmd);
    to_first_step(&mut s);
    s.send("c");
    s.wait_for("through screen (OSC 52)");
    // screen unwraps its passthrough pieces: the outer terminal gets the OSC 52 whole.
    let want = format!("\x1b]52;c;{}\x07", "c3lzdGVtY3RsIHN0YXR1cyB3ZWIgLS1uby1wYWdlcgo=");
    let raw = String::from_utf8_lossy(&s.raw()).into_owned();
    assert!(raw.contains(&want), "the OSC 52 sequence reached the terminal");
    s.send("\x03");
    s.wait_for("Quit with steps not done?"); // a command was copied: work started
    s.send("y");
    s.wait_exit();
}

#[test]
fn in_a_bare_terminal_the_copy_is_osc52_and_says_it_cannot_know_it_landed() {
    let state = tempfile::TempDir::new().unwrap();
    let env: Vec<(&str, &Path)> = vec![];
    let mut s = start_with(24, 80, &["--dir", FIXTURES, "restart", "web"], state.path(), &env);
    to_first_step(&mut s);
    s.send("c");
    s.wait_for("sent to your terminal's clipboard (OSC 52). Not there? w shows it");
    let raw = String::from_utf8_lossy(&s.raw()).into_owned();
    assert!(raw.contains("\x1b]52;c;c3lzdGVtY3RsIHN0YXR1cyB3ZWIgLS1uby1wYWdlcgo=\x07"));
    // The command view: the command alone, to select by hand.
    s.send("w");
    s.wait_for("The command, inputs filled (the tool never runs it):");
    assert!(s.contents().lines().any(|l| l.trim_end() == "systemctl status web --no-pager"), "{}", s.contents());
    s.send("\x1b");
    s.send("q");
    s.wait_for("Quit with steps not done?");
    s.send("y");
    s.wait_exit();
}

#[test]
fn ctrl_z_suspends_to_an_interactive_bash_and_fg_comes_back_to_the_same_place() {
    if !have("bash") {
        return;
    }
    let state = tempfile::TempDir::new().unwrap();
    let mut cmd = CommandBuilder::new("bash");
    cmd.args(["--norc", "--noprofile", "-i"]);
    cmd.cwd(env!("CARGO_MANIFEST_DIR"));
    for (k, v) in isolated(state.path()) {
        cmd.env(k, v);
    }
    cmd.env("PS1", "prompt$ ");
    let mut s = start_program(24, 80, cmd);
    s.wait_for("prompt$");
    s.send(&format!("{BIN} --dir {FIXTURES} restart web\r"));
    to_first_step(&mut s);
    s.send(" "); // check the first step, so the place is easy to see again
    s.wait_for("steps 1/4");
    s.send("\x1a"); // Ctrl-Z
    s.wait_for("Stopped");
    assert!(s.terminal_restored(), "the terminal is the shell's while stopped:\n{}", s.contents());
    s.send("jobs\r");
    s.wait_for("restart web");
    s.send("fg\r");
    s.wait_for("steps 1/4");
    s.wait_for("[x] Look at its state first");
    s.send("q");
    s.wait_for("Quit with steps not done?");
    s.send("y");
    s.wait_for("prompt$");
    let events = journal_events(state.path());
    let k = kinds(&events);
    assert!(k.contains(&"shell_opened".to_owned()) && k.contains(&"shell_closed".to_owned()), "{k:?}");
    assert!(events.iter().any(|e| e["how"] == "suspended"), "{events:?}");
    s.send("exit\r");
    s.wait_exit();
}

#[test]
fn bang_opens_the_shell_with_the_command_one_up_arrow_away_and_exit_comes_back() {
    for shell in ["bash", "zsh"] {
        if shell == "zsh" && !Path::new("/usr/bin/zsh").exists() && !Path::new("/bin/zsh").exists() {
            println!("SKIPPED: zsh is not installed (bash was tried)");
            continue;
        }
        let state = tempfile::TempDir::new().unwrap();
        std::fs::create_dir_all(state.path().join("home")).unwrap();
        // The responder's own startup file still runs.
        std::fs::write(state.path().join("home/.bashrc"), "PS1='mine$ '\n").unwrap();
        std::fs::write(state.path().join("home/.zshrc"), "PS1='mine$ '\n").unwrap();
        let mut cmd = CommandBuilder::new(BIN);
        cmd.args(["--dir", FIXTURES, "restart", "web"]);
        cmd.cwd(env!("CARGO_MANIFEST_DIR"));
        for (k, v) in isolated(state.path()) {
            cmd.env(k, v);
        }
        cmd.env("SHELL", format!("/bin/{shell}"));
        let mut s = start_program(24, 80, cmd);
        to_first_step(&mut s);
        s.send("!");
        s.wait_for("type `exit` to go back to the guide");
        s.wait_for("    systemctl status web --no-pager");
        s.wait_for("mine$");
        s.send("\x1b[A"); // Up: the command, never run
        s.wait_for("mine$ systemctl status web --no-pager");
        s.send("\x15echo from-the-$((20+22))-shell\r"); // Ctrl-U clears the line first
        s.wait_for("from-the-42-shell");
        s.send("exit\r");
        s.wait_for("Back from the shell, where you left off");
        s.wait_for("Look at its state first");
        s.send("q");
        s.wait_exit();
        assert!(s.terminal_restored(), "{shell}");
        let events = journal_events(state.path());
        let opened = events.iter().find(|e| e["event"] == "shell_opened");
        assert_eq!(
            opened.map(|e| (e["how"].clone(), e["command"].clone())),
            Some(("child".into(), "systemctl status web --no-pager".into())),
            "{shell}: {events:?}"
        );
        assert!(kinds(&events).contains(&"shell_closed".to_owned()), "{shell}");
        let report = Command::new(BIN).arg("journal").envs(isolated(state.path())).output().unwrap();
        let report = String::from_utf8_lossy(&report.stdout);
        assert!(report.contains("went to a shell (!) with this command ready"), "{report}");
        assert!(report.contains("back from a shell (!)"), "{report}");
    }
}

#[test]
fn inside_tmux_a_shell_pane_opens_beside_the_guide_and_c_types_into_it_without_enter() {
    if !have("tmux") {
        return;
    }
    let state = tempfile::TempDir::new().unwrap();
    let t = Tmux::at_first_step("pane", state.path());
    t.keys(&["|"]);
    t.wait_for("0.0", "Shell pane opened");
    let panes = t.run(&["list-panes", "-F", "#{pane_index} #{pane_width}x#{pane_height}"]);
    assert_eq!(panes.lines().count(), 2, "{panes}");
    t.keys(&["c"]);
    t.wait_for("0.1", "systemctl status web --no-pager");
    // Typed, not run: no output of the command, the prompt line holds it.
    let pane = t.screen("0.1");
    assert!(!pane.contains("could not be found") && !pane.contains("not found"), "{pane}");
    // A command of several lines, its input given: typed line by line, in place of the last
    // one, still not run.
    t.keys(&["Down", "Down", "c"]);
    t.wait_for("0.0", "HOST");
    t.keys(&["C-u"]);
    t.run(&["send-keys", "-t", "0.0", "-l", "web-03"]);
    t.keys(&["Enter"]);
    t.wait_for("0.1", "ssh \"$HOST\" sudo systemctl restart web");
    let pane = t.screen("0.1");
    assert!(pane.contains("HOST=web-03   # input: the host to restart it on"), "{pane}");
    assert!(!pane.contains("systemctl status web"), "the earlier command was replaced: {pane}");
    assert!(!pane.contains("ssh:") && !pane.contains("Could not resolve"), "not run: {pane}");
    // The pane's shell exits: the journal says so.
    t.run(&["send-keys", "-t", "0.1", "C-u", "exit", "Enter"]);
    t.wait_for("0.0", "The shell pane closed");
    t.keys(&["C-c"]);
    let k = kinds(&journal_events(state.path()));
    let opened = k.iter().position(|e| e == "shell_opened");
    let closed = k.iter().position(|e| e == "shell_closed");
    assert!(opened.is_some() && closed > opened, "{k:?}");
}

#[test]
fn a_multi_line_paste_is_text_in_the_search_and_nothing_in_a_guide() {
    let state = tempfile::TempDir::new().unwrap();
    let env: Vec<(&str, &Path)> = vec![];
    let mut s = start_with(24, 80, &[], state.path(), &env);
    s.wait_for("type what you see");
    // A multi-line paste (not an alert): its newlines must not open anything.
    s.send("\x1b[200~disk is full\r\nNo space left on device\n1\n\x1b[201~");
    s.wait_for("> disk is full No space left on device 1");
    s.wait_for("Disk full");
    assert!(s.contents().contains("type what you see") || s.contents().contains(" runbook"), "still searching");
    s.send("\r"); // the responder opens it
    s.wait_for("Which filesystem is full?");
    // In a guide a paste is never keys: no answer, no step, no note.
    s.send("\x1b[200~1\n \ny\nn hello\r\x1b[201~");
    s.wait_for("Pasted text ignored here");
    assert!(s.contents().contains("Which filesystem is full?"), "{}", s.contents());
    s.send("q");
    s.wait_exit();
    let k = kinds(&journal_events_at(state.path()));
    assert!(!k.iter().any(|e| e == "answer" || e == "step" || e == "note"), "{k:?}");
}

/// `journal_events` for a state folder used directly as `RUNBOOK_STATE_DIR` (the common
/// pty helper's layout).
fn journal_events_at(state: &Path) -> Vec<serde_json::Value> {
    let out = Command::new(BIN)
        .args(["journal", "--json"])
        .env("RUNBOOK_STATE_DIR", state)
        .env("RUNBOOK_SYSTEM_CONFIG", state.join("none.toml"))
        .env("XDG_CONFIG_HOME", state)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap_or_default()
}

#[test]
fn an_alert_on_standard_input_opens_its_runbook_in_the_terminal() {
    let state = tempfile::TempDir::new().unwrap();
    let books = state.path().join("books");
    std::fs::create_dir_all(&books).unwrap();
    std::fs::write(
        books.join("disk.md"),
        "---\ntitle: Disk full\nalerts: [NodeFilesystemSpaceFillingUp]\n---\n# Disk full\n\n## Free space\n\n- [ ] See what is big:\n\n  ```sh\n  MNT=/   # input from mountpoint: the full filesystem\n  du -xh \"$MNT\" | sort -h | tail\n  ```\n",
    )
    .unwrap();
    let payload = state.path().join("alert.json");
    std::fs::write(
        &payload,
        r#"{"status":"firing","alerts":[{"status":"firing","labels":{"alertname":"NodeFilesystemSpaceFillingUp","instance":"web-03:9100","mountpoint":"/var"},"annotations":{"summary":"Filesystem is predicted to run out of space."},"startsAt":"2026-12-06T03:12:00Z"}]}"#,
    )
    .unwrap();
    let mut cmd = CommandBuilder::new("sh");
    let line = format!("exec {BIN} --dir {} alert < {}", books.display(), payload.display());
    cmd.args(["-c", &line]);
    cmd.cwd(env!("CARGO_MANIFEST_DIR"));
    for (k, v) in isolated(state.path()) {
        cmd.env(k, v);
    }
    let mut s = start_program(24, 80, cmd);
    s.wait_for("⚠ NodeFilesystemSpaceFillingUp: Filesystem is predicted");
    s.wait_for("the runbook lists this alert");
    s.send("\r"); // on to the step
    s.wait_for("MNT=/var");
    s.send("q");
    s.wait_exit();
    assert!(s.terminal_restored());
    let events = journal_events(state.path());
    let alert = events.iter().find(|e| e["event"] == "alert").cloned().unwrap_or_default();
    assert_eq!(alert["name"], "NodeFilesystemSpaceFillingUp");
    assert_eq!(alert["labels"]["mountpoint"], "/var");
    assert_eq!(alert["starts_at"], "2026-12-06T03:12:00Z");
}

#[test]
fn a_paste_the_terminal_does_not_mark_is_still_text_never_keys() {
    // GNU screen 4 and some phone clients paste without bracketed-paste marks: the text
    // arrives as keys, all at once. Its newlines must not open, its letters not act.
    let state = tempfile::TempDir::new().unwrap();
    let env: Vec<(&str, &Path)> = vec![];
    let mut s = start_with(24, 80, &[], state.path(), &env);
    s.wait_for("type what you see");
    s.paste_unmarked("disk is full\r1\rn\ry\r");
    s.wait_for("> disk is full 1 n y");
    assert!(s.contents().contains("type what you see") || s.contents().contains(" runbook"), "still searching");
    s.send("\r"); // the responder opens the first result
    s.wait_for("Which filesystem is full?");
    s.paste_unmarked("1\r2\rc\rn hello\ry\r");
    s.wait_for("Pasted text ignored here");
    assert!(s.contents().contains("Which filesystem is full?"), "{}", s.contents());
    s.send("q");
    s.wait_exit();
    let k = kinds(&journal_events_at(state.path()));
    assert!(!k.iter().any(|e| e == "answer" || e == "step" || e == "note" || e == "copy"), "{k:?}");
}
