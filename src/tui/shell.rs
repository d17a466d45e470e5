//! A shell for the responder, one key from the guide (`!`): `$SHELL` as a child on the
//! restored terminal, the selected command printed above its prompt and, for bash and zsh,
//! made the latest history entry so one Up arrow recalls it. It is never run: the responder
//! reads it, edits it, runs it. `exit` returns to the TUI.
//!
//! bash reads a startup file of ours (`--rcfile`) that reads `~/.bashrc` first; zsh gets a
//! `ZDOTDIR` of ours whose files read the responder's own. Both files live in the tool's
//! state folder and are written fresh, never through a link; the command reaches them in the
//! environment, so no quoting of it is needed.

use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Which shell is started, as far as recalling the command goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Bash,
    Zsh,
    /// Any other shell: the command is printed, not put in its history.
    Other,
}

impl Kind {
    pub(crate) fn of(shell: &Path) -> Kind {
        match shell.file_name().and_then(|n| n.to_str()) {
            Some("bash") => Kind::Bash,
            Some("zsh") => Kind::Zsh,
            _ => Kind::Other,
        }
    }
}

/// The responder's shell: `$SHELL`, else `/bin/sh`.
pub(crate) fn user_shell() -> PathBuf {
    std::env::var_os("SHELL").filter(|s| !s.is_empty()).map_or_else(|| PathBuf::from("/bin/sh"), PathBuf::from)
}

const BASHRC: &str = "# Written by runbook for the shell opened from a guide.\n\
[ -f \"$HOME/.bashrc\" ] && . \"$HOME/.bashrc\"\n\
if [ -n \"$RUNBOOK_COMMAND\" ]; then history -s -- \"$RUNBOOK_COMMAND\"; fi\n\
unset RUNBOOK_COMMAND\n";

const ZSHENV: &str = "# Written by runbook for the shell opened from a guide.\n\
[ -f \"${RUNBOOK_ZDOTDIR:-$HOME}/.zshenv\" ] && . \"${RUNBOOK_ZDOTDIR:-$HOME}/.zshenv\"\n";

const ZSHRC: &str = "# Written by runbook for the shell opened from a guide.\n\
ZDOTDIR=\"${RUNBOOK_ZDOTDIR:-$HOME}\"\n\
unset RUNBOOK_ZDOTDIR\n\
[ -f \"$ZDOTDIR/.zshrc\" ] && . \"$ZDOTDIR/.zshrc\"\n\
if [ -n \"$RUNBOOK_COMMAND\" ]; then print -s -- \"$RUNBOOK_COMMAND\"; fi\n\
unset RUNBOOK_COMMAND\n";

/// Write `text` to `path` afresh: an old file is removed (never followed if it is a link),
/// and the new one created user-only.
fn write_fresh(path: &Path, text: &str) -> std::io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    let mut f = OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    f.write_all(text.as_bytes())?;
    f.flush()
}

/// The command that starts `shell` of `kind`, with its startup files written under `dir`
/// (the tool's own folder) and `command` to recall.
pub(crate) fn command(shell: &Path, kind: Kind, dir: Option<&Path>, command: Option<&str>) -> std::io::Result<Command> {
    let mut cmd = Command::new(shell);
    if let Some(c) = command {
        cmd.env("RUNBOOK_COMMAND", c);
    }
    match (kind, dir) {
        (Kind::Bash, Some(dir)) => {
            std::fs::DirBuilder::new().recursive(true).mode(0o700).create(dir)?;
            let rc = dir.join("bashrc");
            write_fresh(&rc, BASHRC)?;
            cmd.arg("--rcfile").arg(rc).arg("-i");
        }
        (Kind::Zsh, Some(dir)) => {
            let zdot = dir.join("zsh");
            std::fs::DirBuilder::new().recursive(true).mode(0o700).create(&zdot)?;
            write_fresh(&zdot.join(".zshenv"), ZSHENV)?;
            write_fresh(&zdot.join(".zshrc"), ZSHRC)?;
            if let Some(own) = std::env::var_os("ZDOTDIR").filter(|d| !d.is_empty()) {
                cmd.env("RUNBOOK_ZDOTDIR", own);
            }
            cmd.env("ZDOTDIR", zdot).arg("-i");
        }
        _ => {
            cmd.arg("-i");
        }
    }
    Ok(cmd)
}

/// What is printed above the shell's first prompt.
pub(crate) fn banner(kind: Kind, command: Option<&str>) -> String {
    let mut out =
        String::from("runbook: this is your shell; type `exit` to go back to the guide, where you left it.\r\n");
    if let Some(c) = command {
        let recall = match kind {
            Kind::Bash | Kind::Zsh => "press Up to recall it",
            Kind::Other => "select it, or type it",
        };
        out.push_str(&format!("The selected step's command ({recall}; it has not been run):\r\n"));
        for line in c.lines() {
            out.push_str(&format!("    {}\r\n", crate::text::one_line(line)));
        }
    }
    out
}

/// Make this process's group the terminal's foreground again, if the shell left it otherwise
/// (an interactive shell moves itself to the foreground and should give it back on exit).
pub(crate) fn take_foreground() {
    use nix::sys::signal::{SigSet, SigmaskHow, Signal, pthread_sigmask};
    use nix::unistd::{getpgrp, tcgetpgrp, tcsetpgrp};
    let tty = std::io::stdin();
    let ours = getpgrp();
    if tcgetpgrp(&tty).is_ok_and(|fg| fg == ours) {
        return;
    }
    // From the background, tcsetpgrp raises SIGTTOU unless it is blocked.
    let mut block = SigSet::empty();
    block.add(Signal::SIGTTOU);
    let mut old = SigSet::empty();
    if pthread_sigmask(SigmaskHow::SIG_BLOCK, Some(&block), Some(&mut old)).is_ok() {
        let _ = tcsetpgrp(&tty, ours);
        let _ = pthread_sigmask(SigmaskHow::SIG_SETMASK, Some(&old), None);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shell_is_known_by_its_name() {
        assert_eq!(Kind::of(Path::new("/bin/bash")), Kind::Bash);
        assert_eq!(Kind::of(Path::new("/usr/bin/zsh")), Kind::Zsh);
        assert_eq!(Kind::of(Path::new("/usr/bin/fish")), Kind::Other);
    }

    #[test]
    fn the_banner_shows_the_command_without_controls() {
        let b = banner(Kind::Bash, Some("echo hi\u{1b}[2J\nuptime"));
        assert!(b.contains("    echo hi[2J\r\n    uptime\r\n"), "{b:?}");
        assert!(b.contains("Up to recall"), "{b}");
        assert!(banner(Kind::Other, Some("x")).contains("type it"));
    }

    #[test]
    fn startup_files_replace_a_link_instead_of_writing_through_it() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("victim");
        std::fs::write(&target, "keep").unwrap();
        let shell_dir = dir.path().join("shell");
        std::fs::create_dir(&shell_dir).unwrap();
        std::os::unix::fs::symlink(&target, shell_dir.join("bashrc")).unwrap();
        command(Path::new("/bin/bash"), Kind::Bash, Some(&shell_dir), Some("uptime")).unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep");
        assert!(std::fs::read_to_string(shell_dir.join("bashrc")).unwrap().contains("history -s"));
    }
}
