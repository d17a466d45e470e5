//! The `runbook` binary: parse arguments, call the library, map errors to exit codes.

mod cli;

use std::io::Write;
use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use std::path::PathBuf;

use runbook::commands::{self, Context, Outcome};
use runbook::config::{Environment, Flags, Settings};

use cli::{Cli, Command};

fn main() -> ExitCode {
    // A file that fails to load is a problem in the output, not a panic message on stderr.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !runbook::problem::in_guarded() {
            default_hook(info);
        }
    }));
    let cli = Cli::parse();
    match run(cli) {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::Findings) => ExitCode::from(1),
        // A closed pipe (`runbook list | head`) is not an error.
        Err(err)
            if err.chain().any(|e| {
                e.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) =>
        {
            ExitCode::SUCCESS
        }
        Err(err) => {
            // Not eprintln!: with the terminal gone (SSH dropped), a failed write must not panic.
            // The message may name a file, and a file name is data (it may hold escapes).
            let _ = writeln!(std::io::stderr(), "runbook: error: {}", runbook::text::one_line(&format!("{err:#}")));
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<Outcome> {
    let no_color = cli.global.no_color;
    let settings = |dirs: &[PathBuf]| -> anyhow::Result<Settings> {
        let env = Environment::from_process()?;
        Ok(runbook::config::resolve(Flags { dirs, no_color }, &env)?)
    };
    let cx = || Context::new(&settings(&cli.global.dirs)?);
    match cli.command {
        Some(Command::Check(args)) => {
            let dirs = if args.dirs.is_empty() { &cli.global.dirs } else { &args.dirs };
            commands::check::run(&Context::new(&settings(dirs)?)?, args.strict, args.json, &args.alerts)
        }
        Some(Command::New { path, kind }) => {
            let kind = match kind {
                cli::NewKind::Guide => runbook::runbook::Kind::Guide,
                cli::NewKind::Procedure => runbook::runbook::Kind::Procedure,
                cli::NewKind::Reference => runbook::runbook::Kind::Reference,
            };
            commands::new::run(&path, kind)
        }
        Some(Command::Drill { runbooks, list, report, journals }) => {
            let args = commands::drill::Args {
                runbooks: &runbooks,
                list: list.as_deref(),
                report,
                journals: journals.as_deref(),
            };
            commands::drill::run(&cx()?, args)
        }
        Some(Command::Insights { since, journals, suggest: true, .. }) => {
            commands::insights::suggest(&cx()?, journals.as_deref(), since.as_deref())
        }
        Some(Command::Insights { since, journals, markdown, json, .. }) => {
            let format = if json {
                commands::insights::Format::Json
            } else if markdown {
                commands::insights::Format::Markdown
            } else {
                commands::insights::Format::Table
            };
            commands::insights::run(journals.as_deref(), since.as_deref(), format)
        }
        Some(Command::Preview { file }) => commands::preview::run(&cx()?, &file),
        Some(Command::Graph { id, format }) => {
            let format = match format {
                cli::GraphFormat::Mermaid => commands::graph::Format::Mermaid,
                cli::GraphFormat::Dot => commands::graph::Format::Dot,
            };
            commands::graph::run(&cx()?, id.as_deref(), format)
        }
        Some(Command::Sync) => commands::sync::run(&cx()?),
        Some(Command::Config) => commands::config::run(&settings(&cli.global.dirs)?),
        Some(Command::Search(args)) => {
            commands::search::run(&cx()?, &args.query.join(" "), args.limit, args.json, args.lexical)
        }
        Some(Command::Alert(args)) => commands::alert::run(&cx()?, &args.file, args.json, args.limit),
        Some(Command::List(args)) => commands::list::run(&cx()?, args.json),
        Some(Command::Show(args)) => commands::show::run(&cx()?, &args.id, args.json),
        Some(Command::Completions { shell }) => {
            clap_complete::generate(shell, &mut Cli::command(), "runbook", &mut std::io::stdout());
            Ok(Outcome::Success)
        }
        Some(Command::Init { dir }) => commands::init::run(&dir),
        Some(Command::Man) => {
            clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout())?;
            Ok(Outcome::Success)
        }
        Some(Command::Journal(args)) if args.draft => {
            commands::journal::draft(&cx()?, args.id.as_deref(), args.output.as_deref())
        }
        Some(Command::Journal(args)) => {
            let mode = if args.list {
                commands::journal::Mode::List
            } else if args.json {
                commands::journal::Mode::Json
            } else {
                commands::journal::Mode::Report
            };
            commands::journal::run(args.id.as_deref(), mode)
        }
        None => commands::tui::run(&cx()?, &cli.query.join(" "), cli.resume.as_deref()),
    }
}
