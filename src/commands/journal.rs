//! `runbook journal`: the latest session (or one by id) as a handoff report in markdown,
//! the list of sessions, or the raw events as JSON.

use std::io::Write;

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

use super::Outcome;
use crate::journal::{self, JournalError};

/// What to print.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Report,
    List,
    Json,
}

pub fn run(id: Option<&str>, mode: Mode) -> anyhow::Result<Outcome> {
    let dir = journal::sessions_dir().context("cannot tell where the session journal lives (no home folder)")?;
    let sessions = journal::sessions(&dir);
    let mut out = std::io::stdout().lock();
    if mode == Mode::List {
        for f in &sessions {
            let started = f.started.map_or_else(|| "-".to_owned(), |t| t.pretty());
            let detail = match (&f.ending, &f.place) {
                (journal::Ending::Unreadable(why), _) => why.clone(),
                (_, Some(p)) => format!("{} > {}", p.title, p.section_title),
                (_, None) => "-".into(),
            };
            writeln!(out, "{}  {started}  {:<15}  {}", f.id, f.ending.label(), crate::text::one_line(&detail))?;
        }
        return Ok(if sessions.is_empty() { Outcome::Findings } else { Outcome::Success });
    }
    let chosen = choose(&sessions, id, &dir)?;
    let log = journal::read(&chosen.path)?;
    if mode == Mode::Json {
        crate::output::write_json(&mut out, &log.records)?;
    } else {
        let report = journal::report::for_session(&chosen.path, &log, false);
        write!(out, "{}", journal::report::wrapped(&report, journal::report::WIDTH))?;
        let later = sessions.iter().rev().take_while(|f| f.id != chosen.id).count();
        if id.is_none() && later > 0 {
            let _ = writeln!(
                std::io::stderr(),
                "runbook: {later} later session(s) recorded nothing to report; `runbook journal --list` shows every one"
            );
        }
    }
    Ok(Outcome::Success)
}

/// The session `id`, else the latest in which something happened (by the start it
/// recorded), else the latest readable one.
fn choose<'a>(
    sessions: &'a [journal::SessionFile],
    id: Option<&str>,
    dir: &std::path::Path,
) -> anyhow::Result<&'a journal::SessionFile> {
    Ok(match id {
        Some(id) => sessions
            .iter()
            .find(|f| f.id == id)
            .with_context(|| format!("no session `{id}`; `runbook journal --list` shows them"))?,
        None => {
            let readable = || sessions.iter().rev().filter(|f| !matches!(f.ending, journal::Ending::Unreadable(_)));
            readable().find(|f| f.active).or_else(|| readable().next()).ok_or(JournalError::Empty(dir.to_owned()))?
        }
    })
}

/// `runbook journal --draft [ID] [-o FILE]`: a draft runbook from the session, written
/// where `runbook new` writes (a new file, never over one): `-o FILE`, else the first runbook
/// folder's `drafts/`.
pub fn draft(cx: &super::Context, id: Option<&str>, output: Option<&Path>) -> anyhow::Result<Outcome> {
    // A journal from a collected folder is named by its file (as `insights` prints it).
    let (session, log) = match id.filter(|i| i.contains('/') || i.ends_with(".jsonl")) {
        Some(file) => (journal::session_id(Path::new(file)), journal::read(Path::new(file))?),
        None => {
            let dir =
                journal::sessions_dir().context("cannot tell where the session journal lives (no home folder)")?;
            let sessions = journal::sessions(&dir);
            let chosen = choose(&sessions, id, &dir)?;
            (chosen.id.clone(), journal::read(&chosen.path)?)
        }
    };
    let contacts = contacts(cx, &log.records);
    let d = journal::draft::draft(&session, &log.records, &contacts);
    // What the draft is said to be is checked first: it parses without an error.
    let origin = crate::runbook::Origin { root: 0, rel_path: d.file_name.clone(), file: PathBuf::from(&d.file_name) };
    let (_, findings) = crate::runbook::parse_text(&d.text, origin);
    let errors: Vec<String> = findings
        .iter()
        .filter(|f| f.severity == crate::problem::Level::Error)
        .map(|f| format!("line {}: {}", f.line.unwrap_or(0), f.message))
        .collect();
    if !errors.is_empty() {
        bail!("the draft of session {session} would not load ({}); nothing written", errors.join("; "));
    }
    if output == Some(Path::new("-")) {
        write!(std::io::stdout().lock(), "{}", d.text)?;
        return Ok(Outcome::Success);
    }
    let path = match output {
        Some(p) => p.to_owned(),
        None => {
            if cx.notice.is_some() {
                bail!("no runbook folder is configured (the built-in kit is in use): pass -o FILE, or --dir");
            }
            let root = cx.roots.first().context("no runbook folder to write the draft into; pass -o FILE")?;
            let drafts = root.join("drafts");
            // Never through a link out of the runbook folder.
            if std::fs::symlink_metadata(&drafts).is_ok_and(|m| m.file_type().is_symlink()) {
                crate::files::inside(root, &drafts).map_err(|why| anyhow::anyhow!("{}: {why}", drafts.display()))?;
            }
            free_name(&drafts, &d.file_name)
        }
    };
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if !crate::runbook::library::is_markdown_name(&name) {
        bail!("{} should end in .md (runbooks are markdown files, not hidden)", path.display());
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).with_context(|| format!("cannot create the folder {}", parent.display()))?;
    }
    let shown = crate::text::one_line(&path.display().to_string());
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .with_context(|| format!("cannot create {shown} (a draft is never written over a file)"))?;
    file.write_all(d.text.as_bytes())
        .and_then(|()| file.sync_all())
        .with_context(|| format!("cannot write {shown}"))?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "Wrote {shown}: a draft from session {session}, \"{}\".", crate::text::one_line(&d.title))?;
    writeln!(out, "It loads without an error; `runbook check --strict` lists the REPLACE markers left to write.")?;
    writeln!(out, "  runbook preview {shown}")?;
    Ok(Outcome::Success)
}

/// `dir/name`, or `dir/stem-2.md`, `-3`... when taken.
fn free_name(dir: &Path, name: &str) -> PathBuf {
    let name = if name == ".md" || name.is_empty() { "draft.md" } else { name };
    let stem = name.strip_suffix(".md").unwrap_or(name);
    std::iter::once(dir.join(name))
        .chain((2..1000).map(|n| dir.join(format!("{stem}-{n}.md"))))
        .find(|p| !p.exists())
        .unwrap_or_else(|| dir.join(format!("{stem}-{}.md", std::process::id())))
}

/// Who the draft escalates to: the contacts (by id) of the runbook whose escalation the
/// responder looked at last, else the team file's first contact.
fn contacts(cx: &super::Context, records: &[journal::Record]) -> journal::draft::Contacts {
    use journal::draft::Contacts;
    // Open one runbook and read the team file: no walk needed.
    let catalog = crate::runbook::library::Catalog::new(&cx.roots);
    let escalated = records.iter().rev().find_map(|r| match &r.event {
        journal::Event::Escalation { place } => Some(place.at.clone()),
        _ => None,
    });
    let from_runbook: Vec<String> = escalated
        .and_then(|at| catalog.open(&at).ok())
        .map(|(rb, _)| rb.meta.escalation.iter().filter_map(|e| e.who.clone()).collect())
        .unwrap_or_default();
    if !from_runbook.is_empty() {
        return Contacts::Ids(from_runbook);
    }
    match catalog.team().contacts.values().min_by_key(|c| c.line) {
        Some(c) => Contacts::Ids(vec![c.id.clone()]),
        None => Contacts::None,
    }
}
