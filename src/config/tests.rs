//! The precedence, driven with a made-up environment and config files in a temp folder.

use std::path::{Path, PathBuf};

use super::*;

struct Machine {
    tmp: tempfile::TempDir,
}

impl Machine {
    fn new() -> Machine {
        let tmp = tempfile::tempdir().unwrap();
        for d in ["a", "b", "c", "d", "cwd/runbooks", "home"] {
            std::fs::create_dir_all(tmp.path().join(d)).unwrap();
        }
        Machine { tmp }
    }
    fn path(&self, p: &str) -> PathBuf {
        self.tmp.path().join(p)
    }
    fn write(&self, name: &str, text: &str) {
        std::fs::write(self.path(name), text).unwrap();
    }
    fn env(&self) -> Environment {
        Environment {
            cwd: self.path("cwd"),
            home: Some(self.path("home")),
            user_config: Some(self.path("user.toml")),
            system_config: self.path("system.toml"),
            login: Some("ana".into()),
            ..Environment::default()
        }
    }
}

fn dirs(s: &Settings) -> Vec<PathBuf> {
    match &s.runbooks.value {
        Folders::Dirs(d) => d.clone(),
        Folders::BuiltIn => Vec::new(),
    }
}

const NO_FLAGS: Flags<'static> = Flags { dirs: &[], no_color: false };

#[test]
fn each_level_wins_over_the_ones_below_it() {
    let b = Machine::new();
    let env = b.env();
    // Nothing but ./runbooks.
    let s = resolve(NO_FLAGS, &env).unwrap();
    assert_eq!((dirs(&s), &s.runbooks.source), (vec![PathBuf::from("runbooks")], &Source::CurrentDir));
    // System config wins over ./runbooks.
    b.write("system.toml", &format!("runbooks = [{:?}]\nname = \"jump box\"\ncolor = \"always\"\n", b.path("a")));
    let s = resolve(NO_FLAGS, &env).unwrap();
    assert_eq!(dirs(&s), vec![b.path("a")]);
    assert_eq!(s.runbooks.source, Source::File { role: Role::System, path: b.path("system.toml"), line: 1 });
    assert_eq!((s.name.value.as_str(), s.color.value), ("jump box", ColorChoice::Always));
    // User config wins over system config, key by key.
    b.write("user.toml", &format!("\nrunbooks = [{:?}]\n", b.path("b")));
    let s = resolve(NO_FLAGS, &env).unwrap();
    assert_eq!(dirs(&s), vec![b.path("b")]);
    assert_eq!(s.runbooks.source, Source::File { role: Role::User, path: b.path("user.toml"), line: 2 });
    assert_eq!(s.name.value, "jump box", "the user file sets no name: the system's stands");
    // The environment wins over both files.
    let env = Environment {
        runbook_path: Some(format!("{}:{}", b.path("c").display(), b.path("c").display())),
        runbook_name: Some("Ana Lopez".into()),
        no_color: true,
        ..b.env()
    };
    let s = resolve(NO_FLAGS, &env).unwrap();
    assert_eq!((dirs(&s), &s.runbooks.source), (vec![b.path("c")], &Source::Env("RUNBOOK_PATH")));
    assert_eq!((s.name.value.as_str(), &s.name.source), ("Ana Lopez", &Source::Env("RUNBOOK_NAME")));
    assert_eq!((s.color.value, &s.color.source), (ColorChoice::Never, &Source::Env("NO_COLOR")));
    // Flags win over everything.
    let flag_dirs = [b.path("d")];
    let s = resolve(Flags { dirs: &flag_dirs, no_color: true }, &env).unwrap();
    assert_eq!((dirs(&s), &s.runbooks.source), (vec![b.path("d")], &Source::Flag("--dir")));
    assert_eq!(s.color.source, Source::Flag("--no-color"));
}

#[test]
fn nothing_anywhere_is_the_built_in_kit_and_the_login_name() {
    let b = Machine::new();
    let env = Environment { cwd: b.path("home"), ..b.env() };
    let s = resolve(NO_FLAGS, &env).unwrap();
    assert_eq!((s.runbooks.value, s.runbooks.source), (Folders::BuiltIn, Source::Default));
    assert_eq!((s.name.value.as_str(), &s.name.source), ("ana", &Source::Env("USER")));
    assert_eq!((s.color.value, &s.color.source), (ColorChoice::Auto, &Source::Default));
    assert!(s.files.iter().all(|f| !f.found), "{:?}", s.files);
    let env = Environment { login: None, ..env };
    assert_eq!(resolve(NO_FLAGS, &env).unwrap().name.value, "unknown");
}

#[test]
fn a_bad_file_is_an_error_even_when_a_flag_overrides_it() {
    let b = Machine::new();
    b.write("system.toml", "runbooks = [\"/srv\"]\ncolor = \"blue\"\n");
    let flag_dirs = [b.path("a")];
    let err = resolve(Flags { dirs: &flag_dirs, no_color: false }, &b.env()).unwrap_err().to_string();
    assert!(err.contains(&format!("{}:2:", b.path("system.toml").display())), "{err}");
}

#[test]
fn a_configured_folder_that_is_not_there_names_its_source() {
    let b = Machine::new();
    b.write("user.toml", "# mine\nrunbooks = [\"~/gone\"]\n");
    let err = resolve(NO_FLAGS, &b.env()).unwrap_err().to_string();
    assert!(err.contains(&b.path("home/gone").display().to_string()), "{err}");
    assert!(err.contains(&format!("user config {}:2", b.path("user.toml").display())), "{err}");
}

#[test]
fn relative_folders_in_a_file_are_under_the_file() {
    let b = Machine::new();
    b.write("system.toml", "runbooks = [\"a\"]\n");
    let s = resolve(NO_FLAGS, &b.env()).unwrap();
    assert_eq!(dirs(&s), vec![Path::new(b.tmp.path()).join("a")]);
}
