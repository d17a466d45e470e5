//! Files that are not what they seem: a FIFO or `/dev/zero` where a file is expected never
//! hangs or floods the tool; `init` never writes into a folder it cannot list; a link out of
//! the runbook folders is refused by every reader (check, the TUI following a link, the team
//! file, show, the handoff report).

#![cfg(test)]

mod drive;

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::KeyCode;
use runbook::search::{Cache, Progress, SearchIndex};
use runbook::tui::app::App;
use runbook::tui::theme::Theme;

/// Run the binary with a deadline: (exit code, stdout, stderr), or a panic if it hangs.
fn run(args: &[&str], env: &[(&str, &Path)]) -> (i32, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_runbook"));
    cmd.args(args).stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    cmd.env("RUNBOOK_SYSTEM_CONFIG", "/nonexistent/config.toml").env("XDG_CONFIG_HOME", "/nonexistent");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("runbook {args:?} hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
    (out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
}

fn mkfifo(path: &Path) {
    assert!(Command::new("mkfifo").arg(path).status().unwrap().success());
}

#[test]
fn a_fifo_as_the_config_file_and_dev_zero_as_a_drill_list_neither_hang_nor_flood() {
    let config = tempfile::TempDir::new().unwrap();
    std::fs::create_dir_all(config.path().join("runbook")).unwrap();
    mkfifo(&config.path().join("runbook/config.toml"));
    let started = Instant::now();
    let (code, _, err) = run(&["--dir", "runbooks", "list"], &[("XDG_CONFIG_HOME", config.path())]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("config.toml") && err.contains("not a regular file"), "{err}");
    let (code, _, err) = run(&["--dir", "runbooks", "drill", "--list", "/dev/zero"], &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("/dev/zero") && err.contains("not a regular file"), "{err}");
    let fifo = config.path().join("list.txt");
    mkfifo(&fifo);
    let (code, _, err) = run(&["--dir", "runbooks", "drill", "--list", &fifo.display().to_string()], &[]);
    assert_eq!(code, 2, "{err}");
    assert!(started.elapsed() < Duration::from_secs(15));
}

#[test]
fn init_never_writes_into_a_folder_it_cannot_list() {
    let root = Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    let setpriv = Command::new("sh").args(["-c", "command -v setpriv"]).output().is_ok_and(|o| o.status.success());
    if !root || !setpriv {
        assert!(std::env::var_os("CI").is_none(), "CI runs as root, with setpriv, and must run this test");
        println!("SKIPPED: needs root to run `init` as an unprivileged user (setpriv)");
        return;
    }
    let base = tempfile::TempDir::new().unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(base.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let team = base.path().join("team");
    std::fs::create_dir_all(team.join("runbooks")).unwrap();
    std::fs::write(team.join("README.md"), "ours").unwrap();
    std::fs::write(team.join("runbooks/start-here.md"), "ours").unwrap();
    assert!(Command::new("chown").args(["-R", "65534:65534"]).arg(&team).status().unwrap().success());
    // Writable and searchable, but not listable, by its owner.
    std::fs::set_permissions(&team, std::fs::Permissions::from_mode(0o333)).unwrap();
    let out = Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", env!("CARGO_BIN_EXE_runbook"), "init"])
        .arg(&team)
        .env("HOME", base.path())
        .env("RUNBOOK_SYSTEM_CONFIG", "/nonexistent/config.toml")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("cannot list"), "{err}");
    std::fs::set_permissions(&team, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(std::fs::read_to_string(team.join("README.md")).unwrap(), "ours");
    assert_eq!(std::fs::read_to_string(team.join("runbooks/start-here.md")).unwrap(), "ours");
}

/// A runbook folder with a runbook linking to `secret.md`, a link to a file outside, and a
/// team file that is a link to one outside holding a password fact.
fn folder_with_links_out() -> (tempfile::TempDir, tempfile::TempDir) {
    let (folder, outside) = (tempfile::TempDir::new().unwrap(), tempfile::TempDir::new().unwrap());
    std::fs::write(
        outside.path().join("secret.md"),
        "---\ntitle: Secret\n---\n# Secret\n\nThe root password is hunter2.\n",
    )
    .unwrap();
    std::fs::write(outside.path().join("team.yml"), "facts:\n  DB_PASSWORD: hunter2\n").unwrap();
    std::os::unix::fs::symlink(outside.path().join("secret.md"), folder.path().join("secret.md")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("team.yml"), folder.path().join("team.yml")).unwrap();
    std::fs::write(
        folder.path().join("db.md"),
        "---\ntitle: Database down\nsymptoms: [database down]\n---\n# Database down\n\nSee [the secret](secret.md).\n\n```sh\nDB_PASSWORD=   # input\npsql\n```\n",
    )
    .unwrap();
    (folder, outside)
}

#[test]
fn a_link_out_of_the_runbook_folder_is_refused_by_every_reader() {
    let (folder, _outside) = folder_with_links_out();
    let dir = folder.path().display().to_string();
    // check
    let (_, out, _) = run(&["--dir", &dir, "check"], &[]);
    assert!(out.contains("secret.md") && out.contains("team.yml"), "{out}");
    assert!(out.matches("outside").count() >= 2, "both links out are named: {out}");
    // show: the team file's fact never fills the command.
    let (_, out, _) = run(&["--dir", &dir, "show", "db"], &[]);
    assert!(!out.contains("hunter2"), "{out}");
    // The TUI: following the link says why it does not open.
    let roots = vec![folder.path().to_path_buf()];
    let index = SearchIndex::open(
        &runbook::runbook::library::Catalog::scan(&roots),
        &Cache::Off,
        &Arc::new(Progress::default()),
    );
    let mut app = App::new(
        std::sync::Arc::new(runbook::runbook::library::Catalog::new(&roots.clone())),
        Theme { color: false },
        "database down",
        Arc::new(Progress::default()),
    );
    app.index_ready(Arc::new(index));
    drive::press(&mut app, KeyCode::Enter);
    drive::press(&mut app, KeyCode::Tab);
    drive::press(&mut app, KeyCode::Enter);
    assert_eq!(app.guide().map(|g| g.rb.title.as_str()), Some("Database down"), "not opened");
    let said = app.status_text(Instant::now()).unwrap_or_default().to_owned();
    assert!(said.contains("outside the runbook folder"), "{said}");
    let (team, problems) = runbook::runbook::library::load_team(&roots);
    assert!(team.facts.is_empty(), "the team file outside is not read");
    assert!(problems.iter().any(|p| p.message.contains("outside")), "{problems:?}");
    // The handoff report does not reopen it either.
    let place = runbook::journal::Place {
        runbook: "secret".into(),
        title: "Secret".into(),
        at: runbook::runbook::library::RunbookRef::new(&dir, "secret.md"),
        section: "secret".into(),
        section_title: "Secret".into(),
    };
    let refused = runbook::journal::report::open_visited(&place).err().unwrap_or_default();
    assert!(refused.contains("outside"), "{refused}");
}
