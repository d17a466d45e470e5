//! What a night teaches goes back into the runbooks (issue 26), through the real TUI in a
//! pseudo-terminal: a search that finds nothing, then the right runbook reached in other words
//! and worked (a command copied with its input, a risky step confirmed, a note); then the draft
//! made from that session, the symptoms suggested from it applied with `git apply`, and the
//! same search ranking that runbook first afterwards.

#![cfg(test)]

mod common;

use std::path::Path;
use std::process::Command;

use common::{isolated as env, start_program};
use portable_pty::CommandBuilder;

const BIN: &str = env!("CARGO_BIN_EXE_runbook");

fn runbook(state: &Path, args: &[&str]) -> std::process::Output {
    Command::new(BIN).args(args).envs(env(state)).output().unwrap()
}

fn text(out: &std::process::Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// The TUI on `books`, in its own world under `state`, outside any tmux or screen.
fn tui(state: &Path, books: &Path, extra: &[(&str, &str)]) -> CommandBuilder {
    let mut cmd = CommandBuilder::new(BIN);
    cmd.args(["--dir", &books.display().to_string()]);
    cmd.cwd(state);
    for (k, v) in env(state) {
        cmd.env(k, v);
    }
    for (k, v) in extra {
        cmd.env(k, v);
    }
    cmd.env_remove("TMUX");
    cmd.env_remove("STY");
    cmd
}

/// The scripted night: a search that finds nothing, then "disk full", down the tree to the
/// old logs, the command copied with its input, the risky step confirmed, a note, quit.
fn night(state: &Path, books: &Path, extra: &[(&str, &str)]) {
    let mut s = start_program(24, 80, tui(state, books, extra));
    s.wait_for("type what you see");
    s.send("flibbertigibbet wedged ");
    s.wait_for("No runbook matches");
    s.send("\x15disk full");
    s.wait_for("Disk full");
    s.send("\r");
    s.wait_for("Which filesystem is full?");
    s.send("1");
    s.wait_for("What is using the space?");
    s.send("1");
    s.wait_for("Logs take the space");
    s.send("3");
    s.wait_for("Delete rotated logs older than 14 days");
    s.send("c");
    s.wait_for("Enter next");
    s.send("\x15*.gz\r");
    s.wait_for("(OSC 52)"); // copied

    s.send(" ");
    s.wait_for("confirm");
    s.send("y");
    s.send("n");
    s.wait_for("Note for the handoff");
    s.send("the app writes 2GB an hour to /var/log/app\r");
    s.wait_for("Note saved");
    s.send("q");
    std::thread::sleep(std::time::Duration::from_millis(500));
    if s.contents().contains("Quit with steps not done?") {
        s.send("y");
    }
    s.wait_exit();
}

#[test]
fn a_night_becomes_a_draft_and_a_patch_that_makes_its_search_work() {
    let state = tempfile::TempDir::new().unwrap();
    let repo = state.path().join("team");
    let out = runbook(state.path(), &["init", &repo.display().to_string()]);
    assert!(out.status.success(), "{}", text(&out));
    let git = |args: &[&str]| {
        let out = Command::new("git").args(args).current_dir(&repo).output().unwrap();
        assert!(out.status.success(), "git {args:?}: {}", text(&out));
        out
    };
    git(&["init", "-q"]);
    git(&["add", "-A"]);
    git(&["-c", "user.email=t@e", "-c", "user.name=t", "commit", "-qm", "kit"]);
    let books = repo.join("runbooks");
    let dir = books.display().to_string();
    night(state.path(), &books, &[]);

    // Before: the words of the night find nothing.
    let before = runbook(state.path(), &["--dir", &dir, "search", "flibbertigibbet wedged"]);
    assert_eq!(before.status.code(), Some(1), "{}", text(&before));

    // The suggestion: the searched words, for the runbook worked, as a patch.
    let patch = runbook(state.path(), &["--dir", &dir, "insights", "--suggest"]);
    let diff = String::from_utf8_lossy(&patch.stdout).into_owned();
    assert!(patch.status.success(), "{}", text(&patch));
    assert!(diff.contains("diff --git a/runbooks/os/disk-full.md b/runbooks/os/disk-full.md"), "{diff}");
    assert!(diff.contains("+  - \"flibbertigibbet wedged\""), "{diff}");
    assert!(diff.contains("\"flibbertigibbet wedged\": searched in 1 session(s) before working it"), "{diff}");
    assert!(!diff.contains("2GB an hour"), "a note never becomes a symptom: {diff}");
    let file = state.path().join("suggest.diff");
    std::fs::write(&file, &diff).unwrap();
    git(&["apply", "--check", &file.display().to_string()]);
    git(&["apply", &file.display().to_string()]);

    // After: the same search ranks that runbook first, and nothing is left to suggest.
    let after = runbook(state.path(), &["--dir", &dir, "search", "--json", "flibbertigibbet wedged"]);
    let hits: serde_json::Value = serde_json::from_slice(&after.stdout).unwrap_or_default();
    assert_eq!(hits[0]["id"], "os/disk-full", "{}", text(&after));
    let again = runbook(state.path(), &["--dir", &dir, "insights", "--suggest"]);
    assert!(!String::from_utf8_lossy(&again.stdout).contains("diff --git"), "{}", text(&again));

    // insights names the session whose search found nothing, and how to draft from it.
    let ins = text(&runbook(state.path(), &["--dir", &dir, "insights"]));
    assert!(
        ins.contains("SESSIONS WHOSE SEARCHES FOUND NOTHING") && ins.contains("runbook journal --draft 2"),
        "{ins}"
    );

    // The draft: where `new` would write it, passing check, failing --strict at its markers.
    let made = runbook(state.path(), &["--dir", &dir, "journal", "--draft"]);
    assert!(made.status.success(), "{}", text(&made));
    let drafts: Vec<_> = std::fs::read_dir(books.join("drafts")).unwrap().filter_map(Result::ok).collect();
    assert_eq!(drafts.len(), 1);
    let draft_path = drafts[0].path();
    let draft = std::fs::read_to_string(&draft_path).unwrap();
    assert!(draft.contains("title: \"Flibbertigibbet wedged\""), "{draft}");
    assert!(draft.contains("  - \"flibbertigibbet wedged\"\n  - \"disk full\"\n"), "the searches, in order: {draft}");
    let command = draft.find("PATTERN='*.gz'   # input").unwrap_or(usize::MAX);
    let note = draft.find("- [ ] the app writes 2GB an hour to /var/log/app").unwrap_or(0);
    assert!(command < note, "the command, then the note, as they happened: {draft}");
    assert!(draft.contains("escalation:\n  - who: \"platform\""), "contacts by id: {draft}");
    let check = runbook(state.path(), &["check", &dir]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check));
    let strict = text(&runbook(state.path(), &["check", "--strict", &dir]));
    let name = draft_path.file_name().unwrap().to_string_lossy().into_owned();
    let marked: Vec<usize> = strict
        .lines()
        .filter(|l| l.contains(&name) && l.contains("[placeholder]"))
        .filter_map(|l| l.split(':').nth(1)?.parse().ok())
        .collect();
    let line_of = |needle: &str| draft.lines().position(|l| l.contains(needle)).map_or(0, |i| i + 1);
    for needle in ["summary: \"REPLACE", "REPLACE: how the responder knows it worked", "REPLACE: how to undo"] {
        assert!(marked.contains(&line_of(needle)), "{needle} at line {}: {marked:?}\n{strict}", line_of(needle));
    }
    // A draft is no responder's: the search and the list do not show it, check --strict says so.
    let after = runbook(state.path(), &["--dir", &dir, "search", "--json", "flibbertigibbet wedged"]);
    let hits: serde_json::Value = serde_json::from_slice(&after.stdout).unwrap_or_default();
    assert_eq!(hits[0]["id"], "os/disk-full", "{}", text(&after));
    assert!(!text(&after).contains("drafts/"), "{}", text(&after));
    assert!(!text(&runbook(state.path(), &["--dir", &dir, "list"])).contains("drafts/"));
    assert!(strict.contains("warning[draft]"), "{strict}");
    // A second draft of the same session never overwrites the first.
    let second = runbook(state.path(), &["--dir", &dir, "journal", "--draft"]);
    assert!(second.status.success());
    assert_eq!(std::fs::read_dir(books.join("drafts")).unwrap().count(), 2);
    assert_eq!(std::fs::read_to_string(&draft_path).unwrap(), draft);
    println!("--- the draft, as it came out ---\n{draft}\n--- the suggestion patch ---\n{diff}");
}

/// A short session: one search that rests long enough to be written, then quit.
fn short_session(state: &Path, books: &Path, extra: &[(&str, String)]) -> String {
    let extra: Vec<(&str, &str)> = extra.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut s = start_program(24, 80, tui(state, books, &extra));
    s.wait_for("type what you see");
    s.send("disk full");
    s.wait_for("Disk full");
    std::thread::sleep(std::time::Duration::from_millis(1800));
    let screen = s.contents();
    s.send("\x03");
    s.wait_exit();
    screen
}

fn kit(state: &Path) -> std::path::PathBuf {
    let repo = state.join("team");
    let out = runbook(state, &["init", &repo.display().to_string()]);
    assert!(out.status.success(), "{}", text(&out));
    repo.join("runbooks")
}

fn mode(p: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::symlink_metadata(p).map(|m| m.permissions().mode() & 0o7777).unwrap_or(0)
}

/// The login of the user running the tests (the shared folder's subfolders are named by it).
fn login() -> String {
    let out = Command::new("id").arg("-un").output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

#[test]
fn sessions_land_in_the_shared_folder_by_login_and_insights_reads_them() {
    use std::os::unix::fs::PermissionsExt;
    let state = tempfile::TempDir::new().unwrap();
    let books = kit(state.path());
    let shared = state.path().join("shared");
    std::fs::create_dir(&shared).unwrap();
    std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o1777)).unwrap();
    // $USER says nothing about who writes: the folder is named by the real user's login.
    for claimed in ["ana", "bo"] {
        let extra = [("RUNBOOK_JOURNALS", shared.display().to_string()), ("USER", claimed.to_owned())];
        short_session(state.path(), &books, &extra);
    }
    assert!(!shared.join("ana").exists() && !shared.join("bo").exists());
    let folder = shared.join(login());
    assert_eq!(mode(&folder), 0o750, "the group may read, only its owner writes");
    let files: Vec<_> = std::fs::read_dir(&folder).unwrap().filter_map(Result::ok).map(|e| e.path()).collect();
    assert_eq!(files.len(), 2, "{files:?}");
    for f in &files {
        assert_eq!(mode(f), 0o640);
        let copy = std::fs::read_to_string(f).unwrap();
        assert!(copy.contains("\"event\":\"search\",\"query\":\"disk full\""), "{copy}");
    }
    let out = runbook(
        state.path(),
        &["--dir", &books.display().to_string(), "insights", "--journals", &shared.display().to_string(), "--json"],
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert_eq!(v["sessions"], 2, "{}", text(&out));
}

#[test]
fn an_unsafe_shared_folder_is_refused_and_said() {
    use std::os::unix::fs::PermissionsExt;
    let state = tempfile::TempDir::new().unwrap();
    let books = kit(state.path());
    // Anyone may write, no sticky bit: another user could swap the folder.
    let open = state.path().join("open");
    std::fs::create_dir(&open).unwrap();
    std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o777)).unwrap();
    let screen = short_session(state.path(), &books, &[("RUNBOOK_JOURNALS", open.display().to_string())]);
    assert!(screen.contains("not used"), "{screen}");
    assert_eq!(std::fs::read_dir(&open).unwrap().count(), 0, "nothing written there");
    // Group-writable without the sticky bit: a member could rename another's folder away.
    let group = state.path().join("group");
    std::fs::create_dir(&group).unwrap();
    std::fs::set_permissions(&group, std::fs::Permissions::from_mode(0o2770)).unwrap();
    let screen = short_session(state.path(), &books, &[("RUNBOOK_JOURNALS", group.display().to_string())]);
    assert!(screen.contains("not used"), "{screen}");
    assert_eq!(std::fs::read_dir(&group).unwrap().count(), 0);
    // The user's folder is a link out: never followed.
    let shared = state.path().join("shared");
    let elsewhere = state.path().join("elsewhere");
    std::fs::create_dir(&shared).unwrap();
    std::fs::create_dir(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, shared.join(login())).unwrap();
    let screen = short_session(state.path(), &books, &[("RUNBOOK_JOURNALS", shared.display().to_string())]);
    assert!(screen.contains("not used"), "{screen}");
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), 0, "nothing written through the link");
    // Its own journal is written all the same.
    let own = runbook(state.path(), &["journal", "--list"]);
    assert_eq!(String::from_utf8_lossy(&own.stdout).lines().count(), 3, "{}", text(&own));
    // A folder owned by someone else (only root can make one here).
    if rustix::process::getuid().is_root() {
        std::fs::remove_file(shared.join(login())).unwrap();
        std::fs::create_dir(shared.join(login())).unwrap();
        std::os::unix::fs::chown(shared.join(login()), Some(65534), Some(65534)).unwrap();
        let screen = short_session(state.path(), &books, &[("RUNBOOK_JOURNALS", shared.display().to_string())]);
        assert!(screen.contains("not used"), "{screen}");
        assert_eq!(std::fs::read_dir(shared.join(login())).unwrap().count(), 0, "nothing written in another's folder");
    }
}

#[test]
fn events_reach_the_system_log_and_insights_reads_them_back() {
    let state = tempfile::TempDir::new().unwrap();
    let books = kit(state.path());
    // A journald-style socket of the test's own.
    let path = state.path().join("journal.sock");
    let socket = std::os::unix::net::UnixDatagram::bind(&path).unwrap();
    socket.set_read_timeout(Some(std::time::Duration::from_millis(500))).unwrap();
    let extra = [("RUNBOOK_SYSLOG", "1".to_owned()), ("RUNBOOK_SYSLOG_SOCKET", path.display().to_string())];
    short_session(state.path(), &books, &extra);
    let mut entries = Vec::new();
    let mut buf = vec![0u8; 65536];
    while let Ok(n) = socket.recv(&mut buf) {
        let text = String::from_utf8_lossy(&buf[..n]).into_owned();
        // As `journalctl -o json` prints an entry: its fields as one JSON object.
        let fields: serde_json::Map<String, serde_json::Value> = text
            .lines()
            .filter_map(|l| l.split_once('='))
            .map(|(k, v)| (k.to_owned(), serde_json::Value::String(v.to_owned())))
            .collect();
        entries.push(serde_json::Value::Object(fields));
    }
    let kinds: Vec<&str> = entries.iter().filter_map(|e| e["RUNBOOK_EVENT"].as_str()).collect();
    assert_eq!(kinds.first(), Some(&"session_start"), "{kinds:?}");
    assert!(kinds.contains(&"search") && kinds.last() == Some(&"session_end"), "{kinds:?}");
    assert!(entries.iter().all(|e| e["SYSLOG_IDENTIFIER"] == "runbook" && e["RUNBOOK_SESSION"].is_string()));
    let file = state.path().join("journal.json");
    std::fs::write(&file, entries.iter().map(|e| format!("{e}\n")).collect::<String>()).unwrap();
    let out = runbook(state.path(), &["insights", "--journals", &file.display().to_string(), "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert_eq!(v["sessions"], 1, "{}", text(&out));
    assert_eq!(v["runbooks"].as_array().map(Vec::len), Some(0), "searched, opened nothing");
    // One session's own journal file, named on its own, reads too.
    let own =
        std::fs::read_dir(state.path().join("state/sessions")).unwrap().filter_map(Result::ok).next().unwrap().path();
    let out = runbook(state.path(), &["insights", "--journals", &own.display().to_string(), "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert_eq!(v["never_opened"][0]["query"], "disk full", "{}", text(&out));

    // The machine's journald, when it runs one: the same, through journalctl.
    if let Err(why) = journald_answers() {
        eprintln!("SKIPPED: the machine's journald part did not run: {why}");
        return;
    }
    let tag = format!("learning-{}", std::process::id());
    short_session(state.path(), &books, &[("RUNBOOK_SYSLOG", "1".to_owned()), ("RUNBOOK_NAME", tag.clone())]);
    std::thread::sleep(std::time::Duration::from_millis(500));
    let log = Command::new("journalctl").args(["-t", "runbook", "-o", "json", "--all", "--no-pager"]).output().unwrap();
    let log = String::from_utf8_lossy(&log.stdout).into_owned();
    // Our session: the one whose start names the tag; then every entry of that session.
    let start = log.lines().find(|l| l.contains(&tag)).unwrap_or_default();
    let entry: serde_json::Value = serde_json::from_str(start).unwrap_or_default();
    let session = entry["RUNBOOK_SESSION"].as_str().unwrap_or("none").to_owned();
    let key = format!("\"RUNBOOK_SESSION\":\"{session}\"");
    let ours: String = log.lines().filter(|l| l.contains(&key)).map(|l| format!("{l}\n")).collect();
    assert!(ours.lines().count() >= 3, "start, search and end in journalctl: {ours}");
    let mut child = Command::new(BIN)
        .args(["insights", "--journals", "-", "--json"])
        .envs(env(state.path()))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), ours.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert_eq!(v["sessions"], 1, "{}", text(&out));
    assert_eq!(v["never_opened"][0]["query"], "disk full", "the search came back: {}", text(&out));
}

/// Whether a journald runs here and `journalctl` gives back what is sent to it: a socket file
/// alone is not enough (one left behind by a journald that has stopped refuses every entry).
fn journald_answers() -> Result<(), String> {
    let socket = Path::new("/run/systemd/journal/socket");
    let probe = format!("runbook-probe-{}", std::process::id());
    let sender = std::os::unix::net::UnixDatagram::unbound().map_err(|e| e.to_string())?;
    sender
        .send_to(format!("MESSAGE=probe\nSYSLOG_IDENTIFIER={probe}\n").as_bytes(), socket)
        .map_err(|e| format!("{}: {e}", socket.display()))?;
    std::thread::sleep(std::time::Duration::from_millis(300));
    let read = Command::new("journalctl")
        .args(["-t", &probe, "-o", "cat", "--no-pager"])
        .output()
        .map_err(|e| format!("journalctl: {e}"))?;
    match String::from_utf8_lossy(&read.stdout).contains("probe") {
        true => Ok(()),
        false => Err(format!("journalctl -t {probe} did not give back the entry sent")),
    }
}
