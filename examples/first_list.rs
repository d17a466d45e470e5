//! How long after its first frame the TUI shows the first list of runbooks, measured as a
//! responder sees it: the release binary in a real pseudo-terminal, its output read through a
//! vt100 parser and timestamped as it arrives.
//!
//! ```sh
//! cargo build --release
//! cargo run --release --example first_list -- --dir runbooks --runs 20
//! cargo run --release --example gen_corpus -- /tmp/rb10k 10000
//! cargo run --release --example first_list -- --dir /tmp/rb10k --runs 20
//! ```
//!
//! "First frame" is the first screen that shows the search header; "first list" is the
//! first screen on which a result row is drawn (the header's `indexing` mark gone and the
//! results area no longer the "Building the index" line). The cache is warm (one run first,
//! not counted), as on a jump box where `runbook` ran before. Prints each run and the median.
//!
//! With `--type TEXT`, each run then types TEXT one key at a time (60 ms apart, as a fast
//! typist) and measures each keystroke to new results: from writing the key to the last
//! screen update it caused (the output then stays quiet for 50 ms).

use std::io::Read;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let get = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).cloned();
    let dir = get("--dir").unwrap_or_else(|| "runbooks".into());
    let runs: usize = get("--runs").and_then(|r| r.parse().ok()).unwrap_or(10);
    let bin = get("--bin").unwrap_or_else(|| "target/release/runbook".into());
    // A relative path would be looked up on PATH by the pty.
    let bin = std::fs::canonicalize(&bin).map_or(bin, |p| p.display().to_string());
    let cache = std::env::temp_dir().join(format!("first-list-cache-{}", std::process::id()));
    let state = std::env::temp_dir().join(format!("first-list-state-{}", std::process::id()));
    let typed = get("--type").unwrap_or_default();
    let _ = measure(&bin, &dir, &cache, &state, ""); // warm the cache
    let mut times = Vec::new();
    let mut keys = Vec::new();
    for run in 1..=runs {
        match measure(&bin, &dir, &cache, &state, &typed) {
            Some((frame, list, keystrokes)) => {
                let gap = list.saturating_sub(frame);
                println!("run {run}: first frame {frame:.1?} after start, first list {gap:.1?} after it");
                if !keystrokes.is_empty() {
                    println!("run {run}: keystroke to results {keystrokes:.1?}");
                }
                times.push(gap);
                keys.extend(keystrokes);
            }
            None => println!("run {run}: no list within 10 s"),
        }
    }
    let _ = std::fs::remove_dir_all(&cache);
    let _ = std::fs::remove_dir_all(&state);
    summary("first list after first frame", times);
    summary("keystroke to results", keys);
}

fn summary(what: &str, mut times: Vec<Duration>) {
    times.sort();
    if let Some(median) = times.get(times.len() / 2) {
        let (lo, hi) = (times.first().copied().unwrap_or_default(), times.last().copied().unwrap_or_default());
        let p95 = times.get(times.len() * 95 / 100).copied().unwrap_or(hi);
        println!("{what}: median {median:.1?}, p95 {p95:.1?}, range {lo:.1?} - {hi:.1?} ({} samples)", times.len());
    }
}

/// Type `text` a key at a time; for each, the time from writing it to the last output it
/// caused.
fn type_keys(
    writer: &mut dyn std::io::Write,
    rx: &mpsc::Receiver<(Instant, Vec<u8>)>,
    parser: &mut vt100::Parser,
    text: &str,
) -> Vec<Duration> {
    let mut out = Vec::new();
    // Let the start settle.
    while let Ok((_, bytes)) = rx.recv_timeout(Duration::from_millis(300)) {
        parser.process(&bytes);
    }
    for ch in text.chars() {
        let sent = Instant::now();
        if writer.write_all(ch.to_string().as_bytes()).and_then(|()| writer.flush()).is_err() {
            break;
        }
        let mut last = None;
        while let Ok((at, bytes)) = rx.recv_timeout(Duration::from_millis(50)) {
            parser.process(&bytes);
            last = Some(at);
        }
        if let Some(at) = last {
            out.push(at - sent);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    out
}

/// Start the TUI once; (first frame, first list), both measured from the spawn.
fn measure(
    bin: &str,
    dir: &str,
    cache: &std::path::Path,
    state: &std::path::Path,
    typed: &str,
) -> Option<(Duration, Duration, Vec<Duration>)> {
    let pty = native_pty_system();
    let pair = pty.openpty(PtySize { rows: 24, cols: 80, pixel_width: 0, pixel_height: 0 }).ok()?;
    let mut cmd = CommandBuilder::new(bin);
    cmd.args(["--dir", dir]);
    cmd.env("TERM", "xterm-256color");
    cmd.env("RUNBOOK_CACHE_DIR", cache);
    // A fresh state folder each run: no earlier (killed) session to offer to resume.
    let _ = std::fs::remove_dir_all(state);
    cmd.env("RUNBOOK_STATE_DIR", state);
    cmd.env("XDG_CONFIG_HOME", state);
    cmd.env("RUNBOOK_SYSTEM_CONFIG", state.join("none.toml"));
    cmd.cwd(std::env::current_dir().ok()?);
    let started = Instant::now();
    let mut child = pair.slave.spawn_command(cmd).ok()?;
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().ok()?;
    let (tx, rx) = mpsc::channel::<(Instant, Vec<u8>)>();
    std::thread::spawn(move || {
        let mut buf = [0u8; 65536];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 || tx.send((Instant::now(), buf[..n].to_vec())).is_err() {
                break;
            }
        }
    });
    let mut parser = vt100::Parser::new(24, 80, 0);
    let (mut frame, mut list) = (None, None);
    let deadline = started + Duration::from_secs(10);
    while list.is_none() && Instant::now() < deadline {
        let Ok((at, bytes)) = rx.recv_timeout(Duration::from_millis(100)) else { continue };
        parser.process(&bytes);
        let screen = parser.screen().contents();
        if frame.is_none() && screen.contains(" runbook") {
            frame = Some(at - started);
        }
        if frame.is_some() && !screen.contains("indexing") && !screen.contains("Building the index") {
            // A result row: the results area (row 3 on) holds text.
            if screen.lines().skip(2).take(5).any(|l| !l.trim().is_empty()) {
                list = Some(at - started);
            }
        }
    }
    if list.is_none() && std::env::var_os("FIRST_LIST_DEBUG").is_some() {
        eprintln!("{}", parser.screen().contents());
    }
    let keystrokes = match (list, pair.master.take_writer()) {
        (Some(_), Ok(mut writer)) if !typed.is_empty() => type_keys(&mut writer, &rx, &mut parser, typed),
        _ => Vec::new(),
    };
    let _ = child.kill();
    let _ = child.wait();
    Some((frame?, list?, keystrokes))
}
