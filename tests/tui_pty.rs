//! End to end in a real pseudo-terminal: start the binary on fixture runbooks, type a symptom,
//! open the top hit, take an answer, go back, check a risky step, quit; and a SIGHUP (the SSH
//! link dropped) mid-session. Each time the terminal must be left as it was found.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

struct Session {
    parser: Arc<Mutex<vt100::Parser>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    _cache: tempfile::TempDir,
    _master: Box<dyn portable_pty::MasterPty + Send>,
}

fn start(rows: u16, cols: u16) -> Session {
    let pty = native_pty_system();
    let pair =
        pty.openpty(PtySize { rows, cols, pixel_width: 0, pixel_height: 0 }).unwrap_or_else(|e| panic!("openpty: {e}"));
    let cache = tempfile::TempDir::new().unwrap_or_else(|e| panic!("{e}"));
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_runbook"));
    cmd.args(["--dir", "tests/fixtures/tui"]);
    cmd.cwd(env!("CARGO_MANIFEST_DIR"));
    cmd.env("TERM", "xterm-256color");
    cmd.env("RUNBOOK_CACHE_DIR", cache.path());
    cmd.env_remove("NO_COLOR");
    let child = pair.slave.spawn_command(cmd).unwrap_or_else(|e| panic!("spawn: {e}"));
    drop(pair.slave);
    let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
    let mut reader = pair.master.try_clone_reader().unwrap_or_else(|e| panic!("{e}"));
    let p = Arc::clone(&parser);
    std::thread::spawn(move || {
        let mut buf = [0u8; 4096];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            if let Ok(mut parser) = p.lock() {
                parser.process(&buf[..n]);
            }
        }
    });
    let writer = pair.master.take_writer().unwrap_or_else(|e| panic!("{e}"));
    Session { parser, writer, child, _cache: cache, _master: pair.master }
}

impl Session {
    fn contents(&self) -> String {
        self.parser.lock().map(|p| p.screen().contents()).unwrap_or_default()
    }

    /// Wait (up to a generous deadline, for slow CI machines) until the screen shows `text`.
    fn wait_for(&self, text: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if self.contents().contains(text) {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!("screen never showed {text:?}; it shows:\n{}", self.contents());
    }

    fn send(&mut self, bytes: &str) {
        self.writer.write_all(bytes.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        self.writer.flush().unwrap_or_else(|e| panic!("{e}"));
        std::thread::sleep(Duration::from_millis(150));
    }

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
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

    fn terminal_restored(&self) -> bool {
        self.parser.lock().map(|p| !p.screen().alternate_screen() && !p.screen().hide_cursor()).unwrap_or(false)
    }
}

#[test]
fn a_responder_walks_a_path_and_quits() {
    let mut s = start(24, 80);
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
    s.send("y");
    s.wait_for("steps 1/2");
    s.send("q");
    let status = s.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    assert!(s.terminal_restored(), "left the alternate screen and showed the cursor");
}

#[test]
fn sighup_exits_and_restores_the_terminal() {
    let mut s = start(20, 60);
    s.wait_for("type what you see");
    s.send("disk");
    s.wait_for("Disk full");
    let pid = s.child.process_id().unwrap_or_else(|| panic!("no pid"));
    let rc =
        std::process::Command::new("kill").args(["-HUP", &pid.to_string()]).status().unwrap_or_else(|e| panic!("{e}"));
    assert!(rc.success());
    s.wait_exit();
    assert!(s.terminal_restored(), "terminal restored after SIGHUP");
}
