//! `runbook config`: the settings in force and where each came from, then the config files
//! looked at. A bad file never gets here: resolving the settings fails with its file and line.

use std::io::Write;

use super::Outcome;
use crate::config::{Folders, Settings, Source};
use crate::text::one_line;

pub fn run(settings: &Settings) -> anyhow::Result<Outcome> {
    let mut out = std::io::stdout().lock();
    write!(out, "{}", render(settings))?;
    Ok(Outcome::Success)
}

/// The text `runbook config` prints.
pub(crate) fn render(s: &Settings) -> String {
    let mut out = String::new();
    let mut row = |key: &str, value: &str, source: &str| {
        out.push_str(&format!("{key:<9} {value}\n{:<9}   from {source}\n", ""));
    };
    let folders = match &s.runbooks.value {
        Folders::Dirs(dirs) => dirs.iter().map(|d| one_line(&d.display().to_string())).collect::<Vec<_>>().join(", "),
        Folders::BuiltIn => format!("the built-in starter kit (runbook {})", env!("CARGO_PKG_VERSION")),
    };
    let folder_source = match (&s.runbooks.value, &s.runbooks.source) {
        (Folders::BuiltIn, Source::Default) => "default: no --dir, RUNBOOK_PATH, config file or ./runbooks".to_owned(),
        (_, src) => src.to_string(),
    };
    row("runbooks", &folders, &one_line(&folder_source));
    row("name", &one_line(&s.name.value), &one_line(&s.name.source.to_string()));
    row("color", s.color.value.as_str(), &one_line(&s.color.source.to_string()));
    row("copy", s.copy.value.as_str(), &one_line(&s.copy.source.to_string()));
    let journals = s.journals.value.as_ref().map_or_else(|| "off".to_owned(), |d| one_line(&d.display().to_string()));
    row("journals", &journals, &one_line(&s.journals.source.to_string()));
    row("syslog", if s.syslog.value { "on" } else { "off" }, &one_line(&s.syslog.source.to_string()));
    row("meaning", if s.meaning.value { "on" } else { "off" }, &one_line(&s.meaning.source.to_string()));
    out.push_str("\nConfig files (the user's wins over the system's, key by key):\n");
    for f in &s.files {
        let state = if f.found { "" } else { "  (not there)" };
        out.push_str(&format!("  {:<13} {}{state}\n", f.role.as_str(), one_line(&f.path.display().to_string())));
    }
    out.push_str(
        "\nKeys: runbooks = [\"/srv/runbooks\"], name = \"Your Name\", color = \"auto\" | \"always\" | \"never\",\n      copy = \"auto\" | \"osc52\" | \"tmux\" | \"screen\" | \"none\",\n      journals = \"/srv/oncall/journals\" (\"\" turns it off), syslog = true | false,\n      meaning = true | false (search by meaning as well as words)\n",
    );
    out.push_str("Precedence: flag > environment > user config > system config > ./runbooks > built-in kit\n");
    out
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::config::settings::{FileSeen, Setting};
    use crate::config::{ColorChoice, CopyChoice, Role};

    #[test]
    fn says_each_value_and_its_source() {
        let s = Settings {
            runbooks: Setting {
                value: Folders::Dirs(vec![PathBuf::from("/srv/rb")]),
                source: Source::File { role: Role::System, path: PathBuf::from("/etc/runbook/config.toml"), line: 3 },
            },
            name: Setting { value: "Ana".into(), source: Source::Env("RUNBOOK_NAME") },
            color: Setting { value: ColorChoice::Auto, source: Source::Default },
            copy: Setting { value: CopyChoice::Auto, source: Source::Default },
            journals: Setting {
                value: Some(PathBuf::from("/srv/oncall/journals")),
                source: Source::File { role: Role::System, path: PathBuf::from("/etc/runbook/config.toml"), line: 4 },
            },
            syslog: Setting { value: false, source: Source::Default },
            meaning: Setting { value: true, source: Source::Default },
            files: vec![
                FileSeen {
                    role: Role::User,
                    path: PathBuf::from("/home/ana/.config/runbook/config.toml"),
                    found: false,
                },
                FileSeen { role: Role::System, path: PathBuf::from("/etc/runbook/config.toml"), found: true },
            ],
        };
        let text = render(&s);
        assert!(
            text.contains("runbooks  /srv/rb\n            from system config /etc/runbook/config.toml:3\n"),
            "{text}"
        );
        assert!(text.contains("name      Ana\n            from environment RUNBOOK_NAME\n"), "{text}");
        assert!(text.contains("color     auto\n            from default\n"), "{text}");
        assert!(
            text.contains(
                "journals  /srv/oncall/journals\n            from system config /etc/runbook/config.toml:4\n"
            ),
            "{text}"
        );
        assert!(text.contains("syslog    off\n            from default\n"), "{text}");
        assert!(text.contains("user config   /home/ana/.config/runbook/config.toml  (not there)\n"), "{text}");
        assert!(text.contains("system config /etc/runbook/config.toml\n"), "{text}");
    }
}
