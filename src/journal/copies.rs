//! Where else a session's journal goes, for the trainer who reads everyone's sessions: a
//! shared folder on the jump box (`journals = "DIR"`: `DIR/<user>/<session>.jsonl`, the
//! folder and file group-readable) and the system log (`syslog = true`: one entry per event,
//! to journald's native socket when there is one, else to syslog's `/dev/log`), so that log
//! shipping a company already runs collects them. The user's own journal stays the record;
//! a copy that cannot be written is said, never fatal.
//!
//! The shared folder is used only when it is safe: a folder anyone may write to must have
//! the sticky bit (as /tmp does), else another user could swap the responder's folder; the
//! responder's subfolder must be a real folder (never a symbolic link) owned by them and
//! writable by them alone; each file is created new, never through a link.

use std::collections::VecDeque;
use std::fs::File;
use std::io::Write;
use std::os::unix::net::UnixDatagram;
use std::path::{Path, PathBuf};

/// Where the copies go (from the settings).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sharing {
    pub journals: Option<PathBuf>,
    pub syslog: bool,
}

/// journald's native socket, and syslog's.
const JOURNALD: &str = "/run/systemd/journal/socket";
const DEV_LOG: &str = "/dev/log";
/// The most held for the shared copy while it cannot be written.
const HELD_BYTES: usize = 1024 * 1024;

/// The copies of one session's journal.
#[derive(Debug, Default)]
pub(crate) struct Copies {
    shared: Option<Shared>,
    log: Option<SystemLog>,
    session: String,
    /// What is wrong with a copy, said once until it changes.
    trouble: Option<String>,
}

#[derive(Debug)]
struct Shared {
    path: PathBuf,
    file: File,
    held: VecDeque<String>,
    held_bytes: usize,
    /// How much of the first held line is already in the file (a write cut short).
    done: usize,
}

#[derive(Debug)]
struct SystemLog {
    socket: UnixDatagram,
    to: PathBuf,
    journald: bool,
}

impl Copies {
    /// The copies for the session whose journal file is named `file_name`; what could not be
    /// set up, in words for the status line. The shared folder's subfolder is named by the
    /// login of the real user id (never `$USER`, which anyone can set), else the id.
    ///
    /// `own` is the session's own journal: a shared copy made new for a session taken up again
    /// starts with what it already holds.
    pub(crate) fn open(sharing: &Sharing, own: &Path) -> (Copies, Option<String>) {
        let file_name = own.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let file_name = file_name.as_str();
        let uid = nix::unistd::getuid();
        let user = nix::unistd::User::from_uid(uid).ok().flatten().map_or_else(|| format!("uid-{uid}"), |u| u.name);
        let user = user.as_str();
        let session = file_name.strip_suffix(".jsonl").unwrap_or(file_name).to_owned();
        let mut c = Copies { session, ..Copies::default() };
        let mut said = Vec::new();
        if let Some(dir) = &sharing.journals {
            match shared_file(dir, user, file_name) {
                Ok((path, file, created)) => {
                    let mut shared = Shared { path, file, held: VecDeque::new(), held_bytes: 0, done: 0 };
                    if created
                        && let Ok(earlier) = crate::files::read(own, super::MAX_BYTES, crate::files::Links::Refuse)
                    {
                        let earlier = String::from_utf8_lossy(&earlier).into_owned();
                        shared.held_bytes = earlier.len();
                        shared.held.extend(earlier.split_inclusive('\n').map(str::to_owned));
                    }
                    c.shared = Some(shared);
                }
                Err(why) => said.push(format!("Shared journal folder {} not used: {why}", dir.display())),
            }
        }
        if sharing.syslog {
            match system_log() {
                Ok(log) => c.log = Some(log),
                Err(why) => said.push(format!("System log not used: {why}")),
            }
        }
        let said = (!said.is_empty()).then(|| crate::text::one_line(&said.join("; ")));
        (c, said)
    }

    /// Send one journal line (a JSON record, with its newline) to every copy; a change in
    /// what is wrong, to say.
    /// The shared copy's file, if there is one.
    pub(crate) fn shared_path(&self) -> Option<&Path> {
        self.shared.as_ref().map(|s| s.path.as_path())
    }

    pub(crate) fn send(&mut self, line: &str, event: &str) -> Option<String> {
        let mut trouble = Vec::new();
        if let Some(s) = self.shared.as_mut() {
            s.held_bytes += line.len();
            s.held.push_back(line.to_owned());
            // Past the bound, the oldest lines not begun are dropped (a line half written stays).
            while s.held_bytes > HELD_BYTES && s.held.len() > 2 {
                if let Some(old) = s.held.remove(1) {
                    s.held_bytes = s.held_bytes.saturating_sub(old.len());
                }
            }
            // Line by line, resuming a line cut short where it stopped: no line is torn.
            while let Some(next) = s.held.front() {
                match s.file.write(next.as_bytes().get(s.done..).unwrap_or_default()) {
                    Ok(0) => {
                        let at = s.path.display();
                        trouble.push(format!("the shared copy {at} takes no more (disk full?); kept to retry"));
                        break;
                    }
                    Ok(n) => {
                        s.done += n;
                        if s.done >= next.len() {
                            s.held_bytes = s.held_bytes.saturating_sub(next.len());
                            s.held.pop_front();
                            s.done = 0;
                        }
                    }
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => {
                        let at = s.path.display();
                        trouble.push(format!("the shared copy {at} cannot be written ({e}); kept to retry"));
                        break;
                    }
                }
            }
        }
        if let Some(log) = self.log.as_ref()
            && let Err(e) = log.send(&self.session, event, line.trim_end())
        {
            trouble.push(format!("the system log refused an event ({e})"));
        }
        let now = (!trouble.is_empty()).then(|| crate::text::one_line(&trouble.join("; ")));
        if now == self.trouble {
            return None;
        }
        self.trouble.clone_from(&now);
        Some(now.unwrap_or_else(|| "The journal's copies are written again".to_owned()))
    }
}

impl SystemLog {
    /// journald: one entry with the record's fields (`RUNBOOK_*`) and the whole record; syslog:
    /// a line tagged `runbook`, the record as its message.
    fn send(&self, session: &str, event: &str, record: &str) -> std::io::Result<()> {
        let message = if self.journald {
            format!(
                "SYSLOG_IDENTIFIER=runbook\nPRIORITY=6\nMESSAGE=runbook {event} (session {session})\nRUNBOOK_SESSION={session}\nRUNBOOK_EVENT={event}\nRUNBOOK_RECORD={record}\n"
            )
        } else {
            // <14>: facility user, severity info; the daemon adds the time and the host.
            format!("<14>runbook[{}]: RUNBOOK_SESSION={session} {record}", std::process::id())
        };
        self.socket.send_to(message.as_bytes(), &self.to).map(|_| ())
    }
}

/// journald's socket when it is there, else syslog's; `RUNBOOK_SYSLOG_SOCKET` names another
/// (a journald-style socket: for tests, and systems that put it elsewhere).
fn system_log() -> Result<SystemLog, String> {
    let socket = UnixDatagram::unbound().map_err(|e| e.to_string())?;
    if let Some(to) = std::env::var_os("RUNBOOK_SYSLOG_SOCKET").filter(|v| !v.is_empty()) {
        return Ok(SystemLog { socket, to: PathBuf::from(to), journald: true });
    }
    for (path, journald) in [(JOURNALD, true), (DEV_LOG, false)] {
        if std::fs::symlink_metadata(path).is_ok_and(|m| std::os::unix::fs::FileTypeExt::is_socket(&m.file_type())) {
            return Ok(SystemLog { socket, to: PathBuf::from(path), journald });
        }
    }
    Err(format!("neither {JOURNALD} nor {DEV_LOG} is there"))
}

/// `dir/<user>/<file_name>`, created new and group-readable, if `dir` is safe to use.
fn shared_file(dir: &Path, user: &str, file_name: &str) -> Result<(PathBuf, File, bool), String> {
    use rustix::fs::{Mode, OFlags, fchmod, fstat, mkdirat, openat};
    let user: String = user.chars().map(|c| if c.is_alphanumeric() || "-_.".contains(c) { c } else { '_' }).collect();
    let user = if user.is_empty() || user.starts_with('.') { format!("_{user}") } else { user };
    let err = |what: &str, e: rustix::io::Errno| format!("{what}: {e}");
    let top = openat(rustix::fs::CWD, dir, OFlags::DIRECTORY | OFlags::RDONLY | OFlags::CLOEXEC, Mode::empty())
        .map_err(|e| err("cannot open it", e))?;
    let st = fstat(&top).map_err(|e| err("cannot read it", e))?;
    let mode = st.st_mode;
    // Others who may write there could rename a responder's folder away and put their own:
    // the sticky bit stops that.
    if mode & 0o022 != 0 && mode & 0o1000 == 0 {
        return Err("others may write to it and it has no sticky bit (chmod 3770 for a group folder)".into());
    }
    let me = rustix::process::getuid().as_raw();
    if st.st_uid != 0 && st.st_uid != me {
        return Err("it belongs to another user, who would read every journal: it must be root's (or yours)".into());
    }
    match mkdirat(&top, user.as_str(), Mode::from_raw_mode(0o750)) {
        Ok(()) | Err(rustix::io::Errno::EXIST) => {}
        Err(e) => return Err(err("cannot create the user folder", e)),
    }
    let mine = openat(
        &top,
        user.as_str(),
        OFlags::DIRECTORY | OFlags::NOFOLLOW | OFlags::RDONLY | OFlags::CLOEXEC,
        Mode::empty(),
    )
    .map_err(|e| err(&format!("{user}/ is not a folder of yours (a link?)"), e))?;
    let st = fstat(&mine).map_err(|e| err("cannot read the user folder", e))?;
    if st.st_uid != rustix::process::getuid().as_raw() {
        return Err(format!("{user}/ belongs to another user"));
    }
    if st.st_mode & 0o022 != 0 {
        return Err(format!("{user}/ may be written by others; chmod 750 it"));
    }
    // Group-readable whatever the umask says; a setgid bit inherited from the shared folder
    // stays, so the files get the folder's group (the on-call group), not the user's own.
    let _ = fchmod(&mine, Mode::from_raw_mode(0o750 | (st.st_mode & 0o2000)));
    let mut created = true;
    let fd = openat(
        &mine,
        file_name,
        OFlags::WRONLY | OFlags::CREATE | OFlags::EXCL | OFlags::APPEND | OFlags::NOFOLLOW | OFlags::CLOEXEC,
        Mode::from_raw_mode(0o640),
    )
    .or_else(|e| match e {
        // A session taken up again: its copy is there, and gets what follows.
        rustix::io::Errno::EXIST => {
            created = false;
            let fd = openat(
                &mine,
                file_name,
                OFlags::WRONLY | OFlags::APPEND | OFlags::NOFOLLOW | OFlags::CLOEXEC,
                Mode::empty(),
            )?;
            let st = fstat(&fd)?;
            let regular = st.st_mode & 0o170_000 == 0o100_000;
            if regular && st.st_uid == rustix::process::getuid().as_raw() {
                Ok(fd)
            } else {
                Err(rustix::io::Errno::PERM)
            }
        }
        e => Err(e),
    })
    .map_err(|e| err("cannot create the session's copy", e))?;
    let _ = fchmod(&fd, Mode::from_raw_mode(0o640));
    Ok((dir.join(&user).join(file_name), File::from(fd), created))
}
