//! One config file, parsed: the only user of the `toml` crate. Every value keeps the line it
//! was written on, so `runbook config` can say where it came from and a mistake is reported
//! as `FILE:LINE: what is wrong`, never replaced by a silent default.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

/// Larger than any config file a person writes; a bigger file is a mistake, not a config.
const MAX_BYTES: u64 = 64 * 1024;

/// Whether to colour output: on a terminal only (`auto`), `always`, or `never`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

impl ColorChoice {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            ColorChoice::Auto => "auto",
            ColorChoice::Always => "always",
            ColorChoice::Never => "never",
        }
    }
}

/// How a copied command reaches the responder: chosen from the terminal (`auto`), or forced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CopyChoice {
    /// tmux's paste buffer inside tmux, OSC 52 through GNU screen inside screen, else OSC 52.
    Auto,
    /// The terminal's clipboard through OSC 52 (what most terminals and SSH clients accept).
    Osc52,
    /// tmux's paste buffer (`tmux load-buffer -w -`).
    Tmux,
    /// OSC 52 wrapped for GNU screen's passthrough.
    Screen,
    /// Never copy; the command view (`w`) shows the command to select by hand.
    None,
}

impl CopyChoice {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            CopyChoice::Auto => "auto",
            CopyChoice::Osc52 => "osc52",
            CopyChoice::Tmux => "tmux",
            CopyChoice::Screen => "screen",
            CopyChoice::None => "none",
        }
    }

    /// The value of `RUNBOOK_COPY` (the same words as the config file's).
    pub(crate) fn parse(text: &str) -> Option<CopyChoice> {
        [CopyChoice::Auto, CopyChoice::Osc52, CopyChoice::Tmux, CopyChoice::Screen, CopyChoice::None]
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(text.trim()))
    }
}

/// A value and the line of its file it was written on (1-based).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    pub value: T,
    pub line: usize,
}

/// What one config file says; a key it does not set is `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConfigFile {
    /// Runbook folders, absolute (`~/` expanded, relative paths taken from the file's folder).
    pub runbooks: Option<Located<Vec<PathBuf>>>,
    /// The responder's name in journals and handoff reports.
    pub name: Option<Located<String>>,
    pub color: Option<Located<ColorChoice>>,
    pub copy: Option<Located<CopyChoice>>,
    /// A shared folder that gets a copy of each session's journal; `None` inside: `""`, off.
    pub journals: Option<Located<Option<PathBuf>>>,
    /// Whether each journal event also goes to the system log.
    pub syslog: Option<Located<bool>>,
    /// Whether search blends meaning in (the sentence-embedding model).
    pub meaning: Option<Located<bool>>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("the config file {path} {why}; fix or remove it")]
    Unreadable { path: PathBuf, why: String },
    #[error(
        "config file {path}:{line}: {message}; fix or remove that line, then `runbook config` shows what is in force"
    )]
    Bad { path: PathBuf, line: usize, message: String },
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    runbooks: Option<Spanned<Vec<String>>>,
    name: Option<Spanned<String>>,
    color: Option<Spanned<ColorChoice>>,
    copy: Option<Spanned<CopyChoice>>,
    journals: Option<Spanned<String>>,
    syslog: Option<Spanned<bool>>,
    meaning: Option<Spanned<bool>>,
}

/// Read `path`; `Ok(None)` when there is no such file.
pub(crate) fn load(path: &Path, home: Option<&Path>) -> Result<Option<ConfigFile>, ConfigError> {
    let bytes = match crate::files::read(path, MAX_BYTES, crate::files::Links::Follow) {
        Ok(b) => b,
        Err(crate::files::ReadError::Open(e)) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(crate::files::ReadError::TooLarge { .. }) => {
            return Err(ConfigError::Bad {
                path: path.to_owned(),
                line: 1,
                message: format!("larger than {MAX_BYTES} bytes"),
            });
        }
        Err(e) => return Err(ConfigError::Unreadable { path: path.to_owned(), why: e.to_string() }),
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return Err(ConfigError::Bad { path: path.to_owned(), line: 1, message: "not UTF-8 text".into() });
    };
    parse(path, &text, home).map(Some)
}

/// Parse the text of the config file at `path` (no I/O).
pub fn parse(path: &Path, text: &str, home: Option<&Path>) -> Result<ConfigFile, ConfigError> {
    let bad = |at: usize, message: String| ConfigError::Bad { path: path.to_owned(), line: line_of(text, at), message };
    let raw: Raw = toml::from_str(text).map_err(|e| {
        let at = e.span().map_or(0, |s| s.start);
        bad(at, crate::text::one_line(e.message().trim()))
    })?;
    let base = path.parent().unwrap_or(Path::new("/"));
    let runbooks = match raw.runbooks {
        None => None,
        Some(s) => {
            let at = s.span().start;
            if s.get_ref().is_empty() {
                return Err(bad(at, "`runbooks` is an empty list; name a folder, or remove the line".into()));
            }
            let mut dirs = Vec::new();
            for d in s.into_inner() {
                if d.trim().is_empty() {
                    return Err(bad(at, "`runbooks` holds an empty folder name".into()));
                }
                dirs.push(
                    expand(&d, base, home)
                        .ok_or_else(|| bad(at, format!("`{d}` starts with ~/ but no home folder is known")))?,
                );
            }
            Some(Located { value: dirs, line: line_of(text, at) })
        }
    };
    let name = match raw.name {
        None => None,
        Some(s) => {
            let at = s.span().start;
            let value = crate::text::one_line(s.get_ref()).trim().to_owned();
            if value.is_empty() {
                return Err(bad(at, "`name` is empty; write your name, or remove the line".into()));
            }
            Some(Located { value, line: line_of(text, at) })
        }
    };
    let color = raw.color.map(|s| Located { line: line_of(text, s.span().start), value: *s.get_ref() });
    let copy = raw.copy.map(|s| Located { line: line_of(text, s.span().start), value: *s.get_ref() });
    let journals = match raw.journals {
        None => None,
        Some(s) => {
            let at = s.span().start;
            let d = s.get_ref().trim();
            let value = if d.is_empty() {
                None
            } else {
                Some(
                    expand(d, base, home)
                        .ok_or_else(|| bad(at, format!("`{d}` starts with ~/ but no home folder is known")))?,
                )
            };
            Some(Located { value, line: line_of(text, at) })
        }
    };
    let syslog = raw.syslog.map(|s| Located { line: line_of(text, s.span().start), value: *s.get_ref() });
    let meaning = raw.meaning.map(|s| Located { line: line_of(text, s.span().start), value: *s.get_ref() });
    Ok(ConfigFile { runbooks, name, color, copy, journals, syslog, meaning })
}

/// `~/x` under the home folder, a relative path under the config file's folder.
fn expand(dir: &str, base: &Path, home: Option<&Path>) -> Option<PathBuf> {
    if dir == "~" {
        return home.map(Path::to_path_buf);
    }
    if let Some(rest) = dir.strip_prefix("~/") {
        return home.map(|h| h.join(rest));
    }
    Some(base.join(dir))
}

/// The 1-based line holding byte `at` of `text`.
fn line_of(text: &str, at: usize) -> usize {
    text.bytes().take(at).filter(|&b| b == b'\n').count().saturating_add(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Result<ConfigFile, ConfigError> {
        parse(Path::new("/etc/runbook/config.toml"), text, Some(Path::new("/home/ana")))
    }

    #[test]
    fn journals_and_syslog_read_with_off_said_as_empty() {
        let c = parse_text("journals = \"~/j\"\nsyslog = true\n").ok().unwrap_or_default();
        assert_eq!(c.journals.map(|l| (l.value, l.line)), Some((Some(PathBuf::from("/home/ana/j")), 1)));
        assert_eq!(c.syslog.map(|l| l.value), Some(true));
        let off = parse_text("journals = \"\"\n").ok().unwrap_or_default();
        assert_eq!(off.journals.map(|l| l.value), Some(None), "\"\" turns off what the system config set");
        assert!(parse_text("syslog = \"yes\"\n").is_err());
    }

    #[test]
    fn values_keep_their_lines_and_paths_are_made_absolute() {
        let c = parse_text(
            "# jump box\nname = \"Ana\"\n\nrunbooks = [\"/srv/rb\", \"~/mine\", \"team\"]\ncolor = \"never\"\ncopy = \"tmux\"\n",
        );
        let c = c.ok().unwrap_or_default();
        assert_eq!(c.name, Some(Located { value: "Ana".into(), line: 2 }));
        let dirs = c.runbooks.unwrap_or(Located { value: vec![], line: 0 });
        assert_eq!(dirs.line, 4);
        let want: Vec<PathBuf> = ["/srv/rb", "/home/ana/mine", "/etc/runbook/team"].iter().map(PathBuf::from).collect();
        assert_eq!(dirs.value, want);
        assert_eq!(c.color, Some(Located { value: ColorChoice::Never, line: 5 }));
        assert_eq!(c.copy, Some(Located { value: CopyChoice::Tmux, line: 6 }));
    }

    #[test]
    fn an_empty_or_commented_file_sets_nothing() {
        assert_eq!(parse_text("").ok(), Some(ConfigFile::default()));
        assert_eq!(parse_text("# runbooks = [\"/srv\"]\n").ok(), Some(ConfigFile::default()));
    }

    fn error_of(text: &str) -> (usize, String) {
        match parse_text(text) {
            Err(ConfigError::Bad { line, message, .. }) => (line, message),
            other => panic!("expected a bad-config error, got {other:?}"),
        }
    }

    #[test]
    fn mistakes_name_the_line() {
        let (line, msg) = error_of("name = \"Ana\"\ncolour = \"never\"\n");
        assert_eq!(line, 2);
        assert!(msg.contains("colour"), "{msg}");
        let (line, msg) = error_of("name = \"Ana\"\n\ncolor = \"blue\"\n");
        assert_eq!(line, 3);
        assert!(msg.contains("blue") && msg.contains("never"), "{msg}");
        let (line, msg) = error_of("\ncopy = \"xclip\"\n");
        assert!(line == 2 && msg.contains("osc52") && msg.contains("tmux"), "{msg}");
        let (line, _) = error_of("\n\nrunbooks = \"/srv\"\n");
        assert_eq!(line, 3);
        let (line, _) = error_of("name = \"Ana\nrunbooks = []\n");
        assert_eq!(line, 1);
        let (line, msg) = error_of("\nname = \"  \"\n");
        assert_eq!((line, msg.contains("empty")), (2, true));
        let (line, _) = error_of("runbooks = [\"\"]\n");
        assert_eq!(line, 1);
        let (line, msg) = error_of("\nrunbooks = []\n");
        assert_eq!((line, msg.contains("empty list")), (2, true));
    }

    #[test]
    fn control_characters_in_the_name_are_dropped() {
        let c = parse_text("name = \"Ana\\u001b[2J\"\n").ok().unwrap_or_default();
        assert_eq!(c.name.map(|n| n.value), Some("Ana[2J".to_owned()));
    }

    #[test]
    fn the_error_message_names_file_and_line() {
        let err = parse_text("\ncolour = 1\n").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(err.starts_with("config file /etc/runbook/config.toml:2: "), "{err}");
    }
}
