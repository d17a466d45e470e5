//! Which settings are in force and where each came from. One precedence for every value:
//! flag > environment > user config > system config > `./runbooks` (folders only) > the
//! built-in kit or the default. The process's environment is read in one place
//! (`Environment::from_process`), so tests drive `resolve` with any environment they like.

use std::path::{Path, PathBuf};

use super::file::{self, ColorChoice, ConfigError, ConfigFile, CopyChoice, Located};

/// Where a value in force came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Flag(&'static str),
    Env(&'static str),
    File { role: Role, path: PathBuf, line: usize },
    CurrentDir,
    Default,
}

/// Which config file: the responder's own or the machine's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    User,
    System,
}

impl Role {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Role::User => "user config",
            Role::System => "system config",
        }
    }
}

impl std::fmt::Display for Source {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Source::Flag(flag) => write!(f, "flag {flag}"),
            Source::Env(var) => write!(f, "environment {var}"),
            Source::File { role, path, line } => write!(f, "{} {}:{line}", role.as_str(), path.display()),
            Source::CurrentDir => write!(f, "./runbooks in the current folder"),
            Source::Default => write!(f, "default"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting<T> {
    pub value: T,
    pub source: Source,
}

/// The runbook folders to open, or the built-in kit when none was given or found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Folders {
    Dirs(Vec<PathBuf>),
    BuiltIn,
}

/// A config file looked at, and whether it was there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSeen {
    pub role: Role,
    pub path: PathBuf,
    pub found: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    pub runbooks: Setting<Folders>,
    pub name: Setting<String>,
    pub color: Setting<ColorChoice>,
    pub copy: Setting<CopyChoice>,
    /// The shared journals folder (`journals`), if any.
    pub journals: Setting<Option<PathBuf>>,
    /// Whether events also go to the system log (`syslog`).
    pub syslog: Setting<bool>,
    /// Whether search blends meaning in (`meaning`).
    pub meaning: Setting<bool>,
    pub files: Vec<FileSeen>,
}

/// What the settings are drawn from besides the flags.
#[derive(Debug, Clone, Default)]
pub struct Environment {
    pub runbook_path: Option<String>,
    pub runbook_name: Option<String>,
    pub no_color: bool,
    /// `RUNBOOK_COPY`, as written.
    pub runbook_copy: Option<String>,
    /// `RUNBOOK_JOURNALS` (empty: off) and `RUNBOOK_SYSLOG` (`0`/`1`), as written.
    pub runbook_journals: Option<String>,
    pub runbook_syslog: Option<String>,
    /// `RUNBOOK_MEANING` (`0`/`1`), as written.
    pub runbook_meaning: Option<String>,
    /// `$USER` (else `$LOGNAME`): the name when nothing else gives one.
    pub login: Option<String>,
    pub cwd: PathBuf,
    pub home: Option<PathBuf>,
    pub user_config: Option<PathBuf>,
    pub system_config: PathBuf,
}

/// The command line's part.
#[derive(Debug, Clone, Copy)]
pub struct Flags<'a> {
    pub dirs: &'a [PathBuf],
    pub no_color: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(
        "runbook folder `{dir}` (from {from}) does not exist or is not a folder; fix the path or create the folder"
    )]
    Missing { dir: PathBuf, from: Source },
    #[error("RUNBOOK_COPY={0} is not one of auto, osc52, tmux, screen, none; fix or unset it")]
    BadCopy(String),
    #[error("RUNBOOK_SYSLOG={0} is not 0 or 1; fix or unset it")]
    BadSyslog(String),
    #[error("RUNBOOK_MEANING={0} is not 0 or 1; fix or unset it")]
    BadMeaning(String),
    #[error("cannot read the current folder: {0}")]
    Cwd(std::io::Error),
}

/// Where the machine-wide config is: `/etc/runbook/config.toml`, or `$RUNBOOK_SYSTEM_CONFIG`
/// (for packagers and tests).
pub(crate) const SYSTEM_CONFIG: &str = "/etc/runbook/config.toml";

impl Environment {
    pub fn from_process() -> Result<Environment, SettingsError> {
        let var = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let user_config = dirs::config_dir()
            .or_else(|| dirs::home_dir().map(|h| h.join(".config")))
            .map(|d| d.join("runbook").join("config.toml"));
        Ok(Environment {
            runbook_path: var("RUNBOOK_PATH"),
            runbook_name: var("RUNBOOK_NAME"),
            no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
            runbook_copy: var("RUNBOOK_COPY"),
            runbook_journals: std::env::var("RUNBOOK_JOURNALS").ok(),
            runbook_syslog: var("RUNBOOK_SYSLOG"),
            runbook_meaning: var("RUNBOOK_MEANING"),
            // Else the login of the real user (a cron job or `env -i` sets neither).
            login: var("USER")
                .or_else(|| var("LOGNAME"))
                .or_else(|| nix::unistd::User::from_uid(nix::unistd::getuid()).ok().flatten().map(|u| u.name)),
            cwd: std::env::current_dir().map_err(SettingsError::Cwd)?,
            home: dirs::home_dir(),
            user_config,
            system_config: var("RUNBOOK_SYSTEM_CONFIG").map_or_else(|| PathBuf::from(SYSTEM_CONFIG), PathBuf::from),
        })
    }
}

/// The settings in force for these flags in this environment; a bad config file or a
/// runbook folder that is not there is an error.
pub fn resolve(flags: Flags<'_>, env: &Environment) -> Result<Settings, SettingsError> {
    let mut files = Vec::new();
    let mut loaded: Vec<(Role, PathBuf, ConfigFile)> = Vec::new();
    let candidates = env.user_config.iter().map(|p| (Role::User, p)).chain([(Role::System, &env.system_config)]);
    for (role, path) in candidates {
        let found = file::load(path, env.home.as_deref())?;
        files.push(FileSeen { role, path: path.clone(), found: found.is_some() });
        if let Some(c) = found {
            loaded.push((role, path.clone(), c));
        }
    }
    let runbooks = if !flags.dirs.is_empty() {
        Setting { value: Folders::Dirs(flags.dirs.to_vec()), source: Source::Flag("--dir") }
    } else if let Some(p) = env.runbook_path.as_ref().filter(|p| p.split(':').any(|d| !d.is_empty())) {
        let dirs = p.split(':').filter(|d| !d.is_empty()).map(PathBuf::from).collect();
        Setting { value: Folders::Dirs(dirs), source: Source::Env("RUNBOOK_PATH") }
    } else if let Some(s) = first(&loaded, |c| c.runbooks.as_ref()) {
        Setting { value: Folders::Dirs(s.value), source: s.source }
    } else if env.cwd.join("runbooks").is_dir() {
        Setting { value: Folders::Dirs(vec![PathBuf::from("runbooks")]), source: Source::CurrentDir }
    } else {
        Setting { value: Folders::BuiltIn, source: Source::Default }
    };
    let runbooks = checked(runbooks, &env.cwd)?;

    let name = if let Some(n) = &env.runbook_name {
        Setting { value: crate::text::one_line(n).trim().to_owned(), source: Source::Env("RUNBOOK_NAME") }
    } else if let Some(s) = first(&loaded, |c| c.name.as_ref()) {
        s
    } else if let Some(login) = &env.login {
        Setting { value: crate::text::one_line(login), source: Source::Env("USER") }
    } else {
        Setting { value: "unknown".into(), source: Source::Default }
    };

    let color = if flags.no_color {
        Setting { value: ColorChoice::Never, source: Source::Flag("--no-color") }
    } else if env.no_color {
        Setting { value: ColorChoice::Never, source: Source::Env("NO_COLOR") }
    } else if let Some(s) = first(&loaded, |c| c.color.as_ref()) {
        s
    } else {
        Setting { value: ColorChoice::Auto, source: Source::Default }
    };
    let copy = if let Some(v) = &env.runbook_copy {
        let value = CopyChoice::parse(v).ok_or_else(|| SettingsError::BadCopy(crate::text::one_line(v)))?;
        Setting { value, source: Source::Env("RUNBOOK_COPY") }
    } else if let Some(s) = first(&loaded, |c| c.copy.as_ref()) {
        s
    } else {
        Setting { value: CopyChoice::Auto, source: Source::Default }
    };
    let journals = if let Some(v) = &env.runbook_journals {
        let value = (!v.trim().is_empty()).then(|| env.cwd.join(v.trim()));
        Setting { value, source: Source::Env("RUNBOOK_JOURNALS") }
    } else if let Some(s) = first(&loaded, |c| c.journals.as_ref()) {
        s
    } else {
        Setting { value: None, source: Source::Default }
    };
    let syslog = switch(env.runbook_syslog.as_deref(), "RUNBOOK_SYSLOG", first(&loaded, |c| c.syslog.as_ref()), false)
        .map_err(SettingsError::BadSyslog)?;
    let meaning =
        switch(env.runbook_meaning.as_deref(), "RUNBOOK_MEANING", first(&loaded, |c| c.meaning.as_ref()), true)
            .map_err(SettingsError::BadMeaning)?;
    Ok(Settings { runbooks, name, color, copy, journals, syslog, meaning, files })
}

/// An on/off setting: its environment variable (`1`/`true`, `0`/`false`; anything else is
/// `Err` with what was written), else the config files', else `default`.
fn switch(
    env: Option<&str>,
    var: &'static str,
    file: Option<Setting<bool>>,
    default: bool,
) -> Result<Setting<bool>, String> {
    let Some(v) = env else { return Ok(file.unwrap_or(Setting { value: default, source: Source::Default })) };
    let value = match v.trim() {
        "1" | "true" => true,
        "0" | "false" => false,
        other => return Err(crate::text::one_line(other)),
    };
    Ok(Setting { value, source: Source::Env(var) })
}

/// The value of the first file (user, then system) that sets it, and where.
fn first<T: Clone>(
    loaded: &[(Role, PathBuf, ConfigFile)],
    get: impl Fn(&ConfigFile) -> Option<&Located<T>>,
) -> Option<Setting<T>> {
    loaded.iter().find_map(|(role, path, c)| {
        get(c).map(|l| Setting {
            value: l.value.clone(),
            source: Source::File { role: *role, path: path.clone(), line: l.line },
        })
    })
}

/// Every folder must be there (relative ones under `cwd`); the same folder twice is kept once.
fn checked(s: Setting<Folders>, cwd: &Path) -> Result<Setting<Folders>, SettingsError> {
    let Folders::Dirs(dirs) = &s.value else { return Ok(s) };
    let mut unique: Vec<PathBuf> = Vec::new();
    for d in dirs {
        if !cwd.join(d).is_dir() {
            return Err(SettingsError::Missing { dir: d.clone(), from: s.source.clone() });
        }
        if !unique.contains(d) {
            unique.push(d.clone());
        }
    }
    Ok(Setting { value: Folders::Dirs(unique), source: s.source })
}
