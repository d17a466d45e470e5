//! Command-line interface: clap derive types only; the doc comments are the help text.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Find the right runbook by symptom and walk through it safely.
///
/// Run `runbook` with no arguments to open the interactive search, or `runbook disk full`
/// to start with that search typed. Runbooks are markdown files in the folders named by
/// --dir, RUNBOOK_PATH (colon-separated) or a config file (`runbook config` says which are
/// in force), else in ./runbooks, else the built-in starter kit.
#[derive(Debug, Parser)]
#[command(name = "runbook", version, after_help = EXAMPLES)]
pub(crate) struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Option<Command>,

    /// Reopen a session where it stopped (runbook, section, checked steps): the one with this
    /// id (`runbook journal --list`), else the last one left unfinished, or a choice when
    /// several were
    #[arg(long, value_name = "ID", num_args = 0..=1, default_missing_value = "")]
    pub resume: Option<String>,

    /// What you see, in your own words (opens the interactive search with it typed)
    #[arg(value_name = "SYMPTOM")]
    pub query: Vec<String>,
}

const EXAMPLES: &str = "Examples:
  runbook                          open the interactive search
  runbook no space left on device  open it with a symptom typed
  runbook search site slow         print matching runbooks
  runbook show os/disk-full        print a runbook
  runbook journal                  handoff report of your last session
  runbook --resume                 continue the last session left unfinished
  runbook journal --list           every session recorded, how each ended
  runbook check --strict           check runbooks for mistakes (for authors and CI)
  runbook config                   which runbook folders are in use, and why
  runbook sync                     update the runbook folders from git";

#[derive(Debug, Args)]
pub(crate) struct GlobalArgs {
    /// Runbook folder to use; repeat for several [default: $RUNBOOK_PATH, else the config
    /// files' `runbooks`, else ./runbooks, else the built-in kit]
    #[arg(long = "dir", short = 'd', value_name = "DIR", global = true)]
    pub dirs: Vec<PathBuf>,

    /// No colours (also when NO_COLOR is set, the config says `color = "never"`, or output is
    /// not a terminal)
    #[arg(long, global = true)]
    pub no_color: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Check runbooks for mistakes: broken links, missing Verify/Rollback, bad frontmatter, ...
    Check(CheckArgs),
    /// Search runbooks by symptom and print the best matches
    Search(SearchArgs),
    /// Open the runbook for an alert: an Alertmanager or Grafana webhook payload, an alert
    /// object, or pasted notification text or ticket words (from FILE, or - for stdin)
    Alert(AlertArgs),
    /// List every runbook
    List(ListArgs),
    /// Print a runbook as plain text (or its parsed form as JSON)
    Show(ShowArgs),
    /// Print the last session as a handoff report (markdown), to paste into a ticket or chat
    Journal(JournalArgs),
    /// Start a team's runbook repository from the built-in starter kit: the runbooks, a
    /// README for authors and an example CI job, ready for `git init`
    Init {
        /// The new repository's folder (created; refused if it is not empty)
        dir: std::path::PathBuf,
    },
    /// Start a new runbook from a template that has the structure already (for authors):
    /// a question with answers, or Before you start / Steps / Verify / Rollback / Escalate
    New {
        /// The new file, e.g. runbooks/systems/nginx/reload-nginx.md (refused if it exists)
        path: PathBuf,
        /// What it is: a decision tree, a change with steps, or reading material
        #[arg(long, value_enum, default_value_t = NewKind::Procedure)]
        kind: NewKind,
    },
    /// Train: the tool picks a runbook and shows only what the ticket would say; find the
    /// runbook and walk it as in a real incident. Recorded apart from real sessions
    Drill {
        /// Drill on this runbook (repeat to let the tool pick among several)
        #[arg(long = "runbook", value_name = "ID")]
        runbooks: Vec<String>,
        /// Pick from the runbook ids in this file (one per line; # comments)
        #[arg(long, value_name = "FILE")]
        list: Option<PathBuf>,
        /// Sum up the drills recorded: scenarios found fast, and those that sent people astray
        #[arg(long)]
        report: bool,
        /// With --report: a folder of collected drill journals (default: your own)
        #[arg(long, value_name = "DIR", requires = "report")]
        journals: Option<PathBuf>,
    },
    /// What responders did, over the session journals (yours, or a folder collected from
    /// several machines): searches that found nothing, runbooks most used, where sessions
    /// ended, steps left unchecked, risky steps. Nothing leaves the machine
    Insights {
        /// Only sessions that started within this long before now: 30d, 2w, 12h
        #[arg(long, value_name = "PERIOD")]
        since: Option<String>,
        /// A folder of collected journals (searched in subfolders; default: your own), one
        /// journal file, or the system log's entries: a file of `journalctl -t runbook -o json
        /// --all` output, or - to read them from standard input
        #[arg(long, value_name = "DIR|FILE|-")]
        journals: Option<PathBuf>,
        /// Markdown, for the runbook repository
        #[arg(long, conflicts_with = "json")]
        markdown: bool,
        /// JSON, every list whole
        #[arg(long)]
        json: bool,
        /// Symptoms learned from the searches: a patch (git apply) adding to each runbook the
        /// words responders searched before working it, where it does not rank first for them
        #[arg(long, conflicts_with_all = ["markdown", "json"])]
        suggest: bool,
    },
    /// Open one runbook file in the TUI and reload it each time it is saved (for authors:
    /// the editor in one pane, the preview in the other); a save that breaks it shows why
    Preview {
        /// The runbook file being written
        file: PathBuf,
    },
    /// Draw a runbook's decision tree (sections, answers, links to other runbooks, Verify,
    /// Rollback, escalation, and check's problems marked), or with no id how the runbooks
    /// link from start-here. Mermaid renders on GitHub: paste it into a ```mermaid block
    Graph {
        /// Runbook id (`runbook list` shows them); none: the links between all runbooks
        id: Option<String>,
        /// mermaid (for GitHub markdown) or dot (for Graphviz: `| dot -Tsvg > tree.svg`)
        #[arg(long, value_enum, default_value_t = GraphFormat::Mermaid)]
        format: GraphFormat,
    },
    /// Update the runbook folders that are git checkouts from their upstream (fast-forward
    /// only; a folder with local changes or a diverged branch is left as it is, and said so)
    Sync,
    /// Print the settings in force (runbook folders, name, colours) and where each came from:
    /// flag > environment > ~/.config/runbook/config.toml > /etc/runbook/config.toml
    Config,
    /// Print a shell completion script (e.g. `runbook completions bash > ~/.local/share/bash-completion/completions/runbook`)
    Completions {
        /// Shell to generate completions for
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), e.g. `runbook man | man -l -`
    Man,
}

/// How `runbook graph` writes the graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum GraphFormat {
    Mermaid,
    Dot,
}

/// The kind of runbook `runbook new` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum NewKind {
    Guide,
    Procedure,
    Reference,
}

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// Fail (exit 1) on warnings too, not only on errors
    #[arg(long)]
    pub strict: bool,

    /// Print problems as a JSON array of {path, line, severity, code, message}
    #[arg(long)]
    pub json: bool,

    /// Also check alert coverage against these Prometheus rule files (plain `groups:` files or
    /// PrometheusRule resources): alerts no runbook answers, runbook_urls naming no runbook,
    /// `alerts:` entries naming no alert. Folders after the rule files go after `--`
    #[arg(long, value_name = "RULES", num_args = 1..)]
    pub alerts: Vec<PathBuf>,

    /// Folders to check (instead of --dir / RUNBOOK_PATH / ./runbooks)
    #[arg(value_name = "DIR")]
    pub dirs: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct SearchArgs {
    /// Words to search for: a symptom, an error message, a system name
    #[arg(required = true, value_name = "QUERY")]
    pub query: Vec<String>,

    /// Print hits as a JSON array
    #[arg(long)]
    pub json: bool,

    /// How many hits to print at most
    #[arg(long, short = 'n', default_value_t = 10)]
    pub limit: usize,

    /// Rank by words alone, without meaning search (the sentence-embedding model)
    #[arg(long)]
    pub lexical: bool,
}

#[derive(Debug, Args)]
pub(crate) struct AlertArgs {
    /// The alert: a file, or - (the default) for standard input
    #[arg(value_name = "FILE|-", default_value = "-")]
    pub file: PathBuf,

    /// Print the runbooks found as a JSON array (as `search --json`, plus how each was found)
    #[arg(long)]
    pub json: bool,

    /// How many runbooks to print per alert at most
    #[arg(long, short = 'n', default_value_t = 5)]
    pub limit: usize,
}

#[derive(Debug, Args)]
pub(crate) struct ListArgs {
    /// Print the list as a JSON array
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct ShowArgs {
    /// Runbook id, optionally with a section: `os/disk-full` or `os/disk-full#verify`
    #[arg(value_name = "ID[#SECTION]")]
    pub id: String,

    /// Print the parsed runbook as JSON
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct JournalArgs {
    /// Session id (from --list); default: the latest session
    pub id: Option<String>,

    /// List the recorded sessions
    #[arg(long, conflicts_with = "json")]
    pub list: bool,

    /// Print the session's raw events as JSON
    #[arg(long)]
    pub json: bool,

    /// Write a draft runbook from the session (its searches as symptoms, its notes and
    /// commands as steps), for an author to finish: into the first runbook folder's drafts/,
    /// never over a file
    #[arg(long, conflicts_with_all = ["list", "json"])]
    pub draft: bool,

    /// With --draft: the file to write (- for standard output)
    #[arg(long, short = 'o', value_name = "FILE", requires = "draft")]
    pub output: Option<PathBuf>,
}
