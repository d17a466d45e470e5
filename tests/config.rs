//! Config files through the binary: a config pointing at a team's repository makes `runbook`
//! open it from anywhere, `runbook config` says where each value came from, and a bad file
//! is an error naming its file and line.

#![cfg(test)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// A machine: a fresh home (its config in `home/.config`), a system config, an empty cwd.
struct Machine {
    tmp: TempDir,
}

impl Machine {
    fn new() -> Machine {
        let tmp = TempDir::new().unwrap();
        for d in ["home/.config/runbook", "etc", "cwd"] {
            std::fs::create_dir_all(tmp.path().join(d)).unwrap();
        }
        Machine { tmp }
    }
    fn path(&self, p: &str) -> PathBuf {
        self.tmp.path().join(p)
    }
    fn user_config(&self, text: &str) {
        std::fs::write(self.path("home/.config/runbook/config.toml"), text).unwrap();
    }
    fn system_config(&self, text: &str) {
        std::fs::write(self.path("etc/config.toml"), text).unwrap();
    }
    fn runbook(&self, args: &[&str]) -> (bool, i32, String, String) {
        let out = Command::cargo_bin("runbook")
            .unwrap()
            .current_dir(self.path("cwd"))
            .env("HOME", self.path("home"))
            .env_remove("XDG_CONFIG_HOME")
            .env("XDG_DATA_HOME", self.path("home/data"))
            .env("RUNBOOK_CACHE_DIR", self.path("home/cache"))
            .env("RUNBOOK_SYSTEM_CONFIG", self.path("etc/config.toml"))
            .env("USER", "ana")
            .env_remove("RUNBOOK_PATH")
            .env_remove("RUNBOOK_NAME")
            .env_remove("NO_COLOR")
            .args(args)
            .output()
            .unwrap();
        let text = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
        (out.status.success(), out.status.code().unwrap_or(-1), text(&out.stdout), text(&out.stderr))
    }
    /// A team repository written by `runbook init`, with one runbook of its own.
    fn team(&self) -> PathBuf {
        let team = self.path("team");
        let (ok, _, _, err) = self.runbook(&["init", team.to_str().unwrap()]);
        assert!(ok, "{err}");
        std::fs::write(
            team.join("runbooks/our-own.md"),
            "---\ntitle: Our payment gateway\n---\n# Our payment gateway\n\nCall Ana.\n",
        )
        .unwrap();
        team
    }
}

fn toml_path(p: &Path) -> String {
    format!("{:?}", p.display().to_string())
}

#[test]
fn a_config_file_makes_runbook_open_the_team_repository_from_anywhere() {
    let m = Machine::new();
    let team = m.team();
    let (ok, _, out, err) = m.runbook(&["list"]);
    assert!(ok && !out.contains("our-own") && err.contains("built-in starter kit"), "{out}{err}");
    m.system_config(&format!("# the jump box\nrunbooks = [{}]\n", toml_path(&team.join("runbooks"))));
    let (ok, _, out, err) = m.runbook(&["list"]);
    assert!(ok, "{err}");
    assert!(out.lines().any(|l| l.starts_with("our-own ")), "{out}");
    assert!(!err.contains("built-in"), "{err}");
    let (ok, _, out, _) = m.runbook(&["search", "--json", "payment gateway"]);
    assert!(ok && out.contains("our-own"), "{out}");
}

#[test]
fn runbook_config_says_what_is_in_force_and_where_it_came_from() {
    let m = Machine::new();
    let team = m.team();
    m.system_config(&format!(
        "runbooks = [{}]\nname = \"Jump box\"\ncolor = \"never\"\n",
        toml_path(&team.join("runbooks"))
    ));
    m.user_config("\n\nname = \"Ana Lopez\"\n");
    let (ok, _, out, err) = m.runbook(&["config"]);
    assert!(ok, "{err}");
    let system = m.path("etc/config.toml").display().to_string();
    let user = m.path("home/.config/runbook/config.toml").display().to_string();
    for want in [
        format!("runbooks  {}\n            from system config {system}:1\n", team.join("runbooks").display()),
        format!("name      Ana Lopez\n            from user config {user}:3\n"),
        format!("color     never\n            from system config {system}:3\n"),
    ] {
        assert!(out.contains(&want), "want {want:?} in\n{out}");
    }
    // A flag wins over both files.
    let (_, _, out, _) = m.runbook(&["--no-color", "--dir", team.to_str().unwrap(), "config"]);
    assert!(out.contains("from flag --dir") && out.contains("from flag --no-color"), "{out}");
}

#[test]
fn a_bad_config_file_is_an_error_naming_file_and_line() {
    let m = Machine::new();
    m.user_config("name = \"Ana\"\n# colours for the dark terminal\ncolour = \"never\"\n");
    for args in [&["config"][..], &["list"], &["search", "disk"]] {
        let (ok, code, out, err) = m.runbook(args);
        assert!(!ok && code == 2 && out.is_empty(), "{args:?}: {out}{err}");
        let want = format!("{}:3: unknown field `colour`", m.path("home/.config/runbook/config.toml").display());
        assert!(err.contains(&want), "{err}");
    }
    m.user_config("");
    m.system_config("runbooks = [\"/no/such/folder\"]\n");
    let (ok, _, _, err) = m.runbook(&["list"]);
    assert!(!ok && err.contains("/no/such/folder") && err.contains("etc/config.toml:1"), "{err}");
}

#[test]
fn the_packaged_system_config_parses_commented_and_with_every_example_uncommented() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("packaging/deb/config.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let as_shipped = runbook::config::file::parse(&path, &text, None).unwrap();
    assert_eq!(as_shipped, runbook::config::file::ConfigFile::default(), "as shipped it sets nothing");
    let examples: String = text
        .lines()
        .filter_map(|l| l.strip_prefix('#').filter(|l| l.contains(" = ")))
        .map(|l| format!("{l}\n"))
        .collect();
    let all = runbook::config::file::parse(&path, &examples, None).unwrap();
    assert!(all.runbooks.is_some() && all.name.is_some() && all.color.is_some(), "{examples}");
    assert!(all.journals.is_some() && all.syslog.is_some() && all.meaning.is_some(), "{examples}");
}
