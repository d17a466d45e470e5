//! The tmux client, for a session running inside tmux: filling tmux's paste buffer (where an
//! application's OSC 52 is swallowed by tmux's default `set-clipboard external`), opening a
//! shell pane beside the guide, and typing a command into it without pressing Enter. The
//! server is the one `$TMUX` names; each call is bounded in time, so a tmux that does not
//! answer is a message, never a hung TUI.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long a tmux command may take before it counts as not answering.
const ANSWER_WITHIN: Duration = Duration::from_secs(3);

/// Whether this process runs inside tmux (`$TMUX` names its server).
pub(crate) fn inside() -> bool {
    std::env::var_os("TMUX").is_some_and(|v| !v.is_empty())
}

/// Run `tmux ARGS`, feeding it `input`; its standard output, or why it failed.
fn run(args: &[&str], input: Option<&[u8]>) -> Result<String, String> {
    let mut child = Command::new("tmux")
        .args(args)
        .stdin(if input.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("tmux could not be started ({e})"))?;
    if let (Some(bytes), Some(mut stdin)) = (input, child.stdin.take()) {
        // Dropped at the end of this block: tmux sees the end of its input.
        stdin.write_all(bytes).map_err(|e| format!("tmux did not take the text ({e})"))?;
    }
    let deadline = Instant::now() + ANSWER_WITHIN;
    loop {
        match child.try_wait() {
            Ok(Some(_)) => break,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(5)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                return Err("tmux did not answer within 3 s".into());
            }
            Err(e) => return Err(format!("tmux could not be waited for ({e})")),
        }
    }
    let out = child.wait_with_output().map_err(|e| format!("tmux's answer could not be read ({e})"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        let why = crate::text::one_line(String::from_utf8_lossy(&out.stderr).trim());
        Err(if why.is_empty() { format!("tmux failed ({})", out.status) } else { format!("tmux: {why}") })
    }
}

/// Put `text` in tmux's paste buffer (`prefix ]` pastes it). `-w` also hands it to the outer
/// terminal's clipboard where tmux's `set-clipboard` allows; tmux before 3.2 has no `-w`, and
/// gets the text without it.
pub(crate) fn load_buffer(text: &str) -> Result<(), String> {
    match run(&["load-buffer", "-w", "-"], Some(text.as_bytes())) {
        Ok(_) => Ok(()),
        Err(why) if why.contains("unknown flag") || why.contains("usage:") => {
            run(&["load-buffer", "-"], Some(text.as_bytes())).map(|_| ())
        }
        Err(why) => Err(why),
    }
}

/// Open a shell pane beside this one (side by side from 80 columns, else below), in `cwd`;
/// its pane id. Its shell is followed by a `wait-for` signal named after the pane, so
/// `wait_closed` learns when it exits.
pub(crate) fn split(cwd: &std::path::Path, side_by_side: bool) -> Result<String, String> {
    let target = std::env::var("TMUX_PANE").unwrap_or_default();
    let cwd = cwd.display().to_string();
    let mut args = vec!["split-window", if side_by_side { "-h" } else { "-v" }, "-d", "-P", "-F", "#{pane_id}"];
    if !target.is_empty() {
        args.extend(["-t", target.as_str()]);
    }
    args.extend(["-c", cwd.as_str(), SHELL_THEN_SIGNAL]);
    let id = run(&args, None)?.trim().to_owned();
    if id.starts_with('%') { Ok(id) } else { Err(format!("tmux did not say which pane it opened ({id})")) }
}

/// What the pane runs: the responder's shell, then the signal `wait_closed` waits for (the
/// pane's id, which tmux gives the shell as `$TMUX_PANE`).
const SHELL_THEN_SIGNAL: &str = "\"${SHELL:-/bin/sh}\"; tmux wait-for -S \"runbook-pane-$TMUX_PANE\"";

/// Block until the pane's shell exits (call from a thread of its own).
pub(crate) fn wait_closed(pane: &str) -> Result<(), String> {
    let status = Command::new("tmux")
        .args(["wait-for", &format!("runbook-pane-{pane}")])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| e.to_string())?;
    if status.success() { Ok(()) } else { Err(format!("tmux wait-for failed ({status})")) }
}

/// Type `text` into `pane` as if the responder typed it, without Enter, in place of what its
/// prompt held: each line typed
/// literally, and between lines Ctrl-V Ctrl-J, which bash's and zsh's line editors and the
/// terminal's own line discipline (sh) take as a newline in the line being edited, not as
/// Enter. Refuses a control character (a tab would complete, an escape would edit): typed
/// into a shell, it could run or change what is typed.
pub(crate) fn type_into(pane: &str, text: &str) -> Result<(), String> {
    if text.chars().any(|c| c.is_control() && c != '\n') {
        return Err("the command holds a control character (a tab?); paste it with prefix ]".into());
    }
    let lines: Vec<String> = text.split('\n').map(literal).collect();
    // What was typed there before is replaced: end of line, then erase it.
    let mut args: Vec<&str> = vec!["send-keys", "-t", pane, "C-e", "C-u", ";"];
    for (i, line) in lines.iter().enumerate() {
        if i > 0 {
            args.extend([";", "send-keys", "-t", pane, "C-v", "C-j", ";"]);
        }
        args.extend(["send-keys", "-t", pane, "-l", "--", line]);
    }
    run(&args, None).map(|_| ())
}

/// An argument tmux takes as written: tmux reads an argument ending in `;` as the end of a
/// command (and `\;` as a `;`), so a final `;` is escaped.
fn literal(arg: &str) -> String {
    match arg.strip_suffix(';') {
        Some(head) => format!("{head}\\;"),
        None => arg.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_final_semicolon_is_escaped_for_tmux() {
        assert_eq!(literal("echo a"), "echo a");
        assert_eq!(literal("echo a;"), "echo a\\;");
        assert_eq!(literal("find . -exec ls {} \\;"), "find . -exec ls {} \\\\;");
        assert_eq!(literal(";"), "\\;");
    }
}
