#![allow(dead_code)] // Each test binary uses a different part of this helper.
//! A real pseudo-terminal session with the `runbook` binary, read through a vt100 parser.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

pub struct Session {
    parser: Arc<Mutex<vt100::Parser>>,
    /// Every byte the program wrote, as written (escape sequences the screen does not keep).
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    _cache: tempfile::TempDir,
    /// Set to make the reader thread close the pty (it owns the master side).
    hangup: Arc<std::sync::atomic::AtomicBool>,
}

pub fn start(rows: u16, cols: u16, args: &[&str], state_dir: &std::path::Path) -> Session {
    start_with(rows, cols, args, state_dir, &[])
}

/// `start`, with `env` set last (over the defaults).
pub fn start_with(
    rows: u16,
    cols: u16,
    args: &[&str],
    state_dir: &std::path::Path,
    env: &[(&str, &std::path::Path)],
) -> Session {
    let pty = native_pty_system();
    let pair = pty.openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("openpty");
    let cache = tempfile::TempDir::new().unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_runbook"));
    cmd.args(["--dir", "tests/fixtures/tui"]);
    cmd.args(args);
    cmd.env("RUNBOOK_STATE_DIR", state_dir);
    cmd.env("USER", "tester");
    cmd.cwd(env!("CARGO_MANIFEST_DIR"));
    cmd.env("TERM", "xterm-256color");
    cmd.env("RUNBOOK_CACHE_DIR", cache.path());
    // No config file of the machine or the developer changes what the test sees.
    cmd.env("XDG_CONFIG_HOME", cache.path());
    cmd.env("RUNBOOK_SYSTEM_CONFIG", cache.path().join("none.toml"));
    cmd.env_remove("RUNBOOK_NAME");
    cmd.env_remove("NO_COLOR");
    for (k, v) in env {
        cmd.env(k, v);
    }
    spawn(pair, cmd, cache, rows, cols)
}

/// Any program in a pseudo-terminal of `rows` x `cols` (a shell that then runs the binary).
pub fn start_program(rows: u16, cols: u16, cmd: CommandBuilder) -> Session {
    let pair = native_pty_system().openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).expect("openpty");
    spawn(pair, cmd, tempfile::TempDir::new().unwrap(), rows, cols)
}

fn spawn(pair: portable_pty::PtyPair, cmd: CommandBuilder, cache: tempfile::TempDir, rows: u16, cols: u16) -> Session {
    let child = pair.slave.spawn_command(cmd).expect("spawn");
    drop(pair.slave);
    let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
    let mut reader = pair.master.try_clone_reader().unwrap();
    let writer = pair.master.take_writer().unwrap();
    let p = Arc::clone(&parser);
    let raw: Arc<Mutex<Vec<u8>>> = Arc::default();
    let r = Arc::clone(&raw);
    let hangup = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let hung = Arc::clone(&hangup);
    let master = pair.master;
    std::thread::spawn(move || {
        let _master = master;
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || hung.load(std::sync::atomic::Ordering::SeqCst) {
                break;
            }
            if let Ok(mut parser) = p.lock() {
                parser.process(&buf[..n]);
            }
            if let Ok(mut raw) = r.lock() {
                raw.extend_from_slice(&buf[..n]);
            }
        }
    });
    Session { parser, raw, writer, child, _cache: cache, hangup }
}

impl Session {
    /// Close the terminal, as when an SSH link drops: the kernel hangs up the pty.
    pub fn hang_up(&mut self) {
        self.hangup.store(true, std::sync::atomic::Ordering::SeqCst);
        // A keystroke makes the program redraw, which wakes the reader thread; it then drops
        // the last handles of the master side.
        self.send("x");
        self.writer = Box::new(std::io::sink());
    }

    /// Send a signal to the process (HUP, KILL, ...).
    pub fn signal(&self, sig: &str) {
        let pid = self.child.process_id().expect("no pid");
        let rc = std::process::Command::new("kill").args([&format!("-{sig}"), &pid.to_string()]).status().unwrap();
        assert!(rc.success());
    }

    /// Every byte the program wrote so far.
    pub fn raw(&self) -> Vec<u8> {
        self.raw.lock().map(|r| r.clone()).unwrap_or_default()
    }

    pub fn contents(&self) -> String {
        self.parser.lock().map(|p| p.screen().contents()).unwrap_or_default()
    }

    /// Wait (up to a generous deadline, for slow CI machines) until the screen shows `text`.
    pub fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if self.contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let raw = self.raw();
        let tail = String::from_utf8_lossy(&raw[raw.len().saturating_sub(1500)..]).into_owned();
        panic!("screen never showed {text:?}; it shows:\n{}\nlast output: {tail:?}", self.contents());
    }

    /// Keys as a person types them: one at a time, a few ms apart (all at once, the TUI
    /// takes many text keys for a paste from a terminal that does not mark pastes). Escape
    /// sequences (a bracketed paste, arrows) go in one write, as a terminal sends them.
    pub fn send(&mut self, bytes: &str) {
        if bytes.contains('\x1b') {
            self.writer.write_all(bytes.as_bytes()).unwrap();
            self.writer.flush().unwrap();
        } else {
            for c in bytes.chars() {
                self.writer.write_all(c.to_string().as_bytes()).unwrap();
                self.writer.flush().unwrap();
                std::thread::sleep(Duration::from_millis(8));
            }
        }
        std::thread::sleep(Duration::from_millis(150));
    }

    /// Text in one write, as a terminal without bracketed paste (GNU screen 4) pastes it.
    pub fn paste_unmarked(&mut self, text: &str) {
        self.writer.write_all(text.as_bytes()).unwrap();
        self.writer.flush().unwrap();
        std::thread::sleep(Duration::from_millis(150));
    }

    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                std::thread::sleep(Duration::from_millis(200));
                return status;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        panic!("the process did not exit; screen:\n{}", self.contents());
    }

    pub fn terminal_restored(&self) -> bool {
        self.parser.lock().map(|p| !p.screen().alternate_screen() && !p.screen().hide_cursor()).unwrap_or(false)
    }
}

/// Environment for a binary run in its own world under `state`: state, cache, config, home
/// (no config of the machine or the developer), a UTF-8 locale, a known user.
pub fn isolated(state: &std::path::Path) -> Vec<(&'static str, String)> {
    let s = state.display();
    vec![
        ("RUNBOOK_STATE_DIR", format!("{s}/state")),
        ("RUNBOOK_CACHE_DIR", format!("{s}/cache")),
        ("XDG_CONFIG_HOME", format!("{s}/config")),
        ("RUNBOOK_SYSTEM_CONFIG", format!("{s}/none.toml")),
        ("HOME", format!("{s}/home")),
        ("LANG", "C.UTF-8".into()),
        ("TERM", "xterm-256color".into()),
        ("USER", "tester".into()),
    ]
}
