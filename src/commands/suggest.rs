//! `runbook insights --suggest`: symptoms learned from the journals, as a unified diff of the
//! runbooks' frontmatter that `git apply` takes, with each suggestion's evidence above it.
//! The words a responder searched before working a runbook are proposed as its symptoms
//! unless the runbook already ranks first for them (the search is run to know). Nothing is
//! changed: the author reads the patch and applies it.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::{Context, Outcome};
use crate::journal::suggest::{Candidate, candidates};
use crate::journal::{Log, insights::Period};
use crate::search::{Cache, Progress, SearchIndex};

/// How deep in the results a runbook is looked for when ranking the words.
const LOOK: usize = 20;

/// A runbook's proposed symptoms, with why.
struct Proposal<'a> {
    file: PathBuf,
    items: Vec<(&'a Candidate, Option<usize>)>,
}

pub(crate) fn run(cx: &Context, logs: &[Log], period: &Period, source: &Path) -> anyhow::Result<Outcome> {
    let found = candidates(logs, period);
    let (index, ..) =
        SearchIndex::open_repairing(&cx.catalog(), &Cache::Default, &Arc::new(Progress::default()), |_| ());
    let mut by_runbook: BTreeMap<String, Proposal<'_>> = BTreeMap::new();
    let (mut covered, mut elsewhere) = (0, 0);
    for c in &found {
        let Some(entry) = index.entries().iter().find(|e| e.id == c.runbook) else {
            elsewhere += 1;
            continue;
        };
        let rank = index.search(&c.typed, LOOK).iter().position(|h| h.entry.id == c.runbook);
        let already = entry.symptoms.iter().any(|s| s.eq_ignore_ascii_case(&c.typed));
        if rank == Some(0) || already {
            covered += 1;
            continue;
        }
        by_runbook
            .entry(c.runbook.clone())
            .or_insert_with(|| Proposal { file: entry.at.file(), items: Vec::new() })
            .items
            .push((c, rank));
    }
    let mut head = String::new();
    let _ = writeln!(
        head,
        "# Symptoms learned from the searches in {} session journal(s) ({}).",
        logs.len(),
        source.display()
    );
    let _ = writeln!(
        head,
        "# {} suggestion(s); {covered} left out (the runbook already ranks first for those words), {elsewhere} for runbooks not in these folders.",
        by_runbook.values().map(|p| p.items.len()).sum::<usize>()
    );
    // Each checkout's diffs apart: a patch applies from one folder.
    let mut patches: BTreeMap<PathBuf, String> = BTreeMap::new();
    for (id, p) in &by_runbook {
        let Ok(bytes) =
            crate::files::read(&p.file, crate::runbook::library::MAX_FILE_BYTES, crate::files::Links::Follow)
        else {
            let _ = writeln!(head, "# {id}: its file {} cannot be read; skipped", p.file.display());
            continue;
        };
        let old = String::from_utf8_lossy(&bytes).into_owned();
        let words: Vec<String> = p.items.iter().map(|(c, _)| c.typed.clone()).collect();
        let Some(new) = crate::runbook::frontmatter::edit::add_symptoms(&old, &words) else {
            let _ = writeln!(head, "# {id}: its symptoms are written in a form this does not edit; add them by hand:");
            for w in &words {
                let _ = writeln!(head, "#   {}", crate::text::one_line(w));
            }
            continue;
        };
        let (root, rel) = repository_path(&p.file);
        let patch = patches.entry(root).or_default();
        let _ = writeln!(
            head,
            "#\n# {id} ({}):",
            crate::text::one_line(&p.items.first().map(|i| i.0.title.clone()).unwrap_or_default())
        );
        for (c, rank) in &p.items {
            let rank =
                rank.map_or_else(|| format!("not in the first {LOOK} results"), |r| format!("ranked {} today", r + 1));
            let reached: Vec<&str> = c.reached.iter().copied().collect();
            let _ = writeln!(
                head,
                "#   \"{}\": searched in {} session(s) before working it (reached by {}); {rank}",
                crate::text::one_line(&c.typed),
                c.sessions,
                reached.join(", ")
            );
        }
        let rel = rel.display().to_string();
        let diff = similar::TextDiff::from_lines(&old, &new);
        let _ = writeln!(patch, "diff --git a/{rel} b/{rel}");
        let _ =
            write!(patch, "{}", diff.unified_diff().context_radius(3).header(&format!("a/{rel}"), &format!("b/{rel}")));
    }
    let mut out = std::io::stdout().lock();
    match patches.len() {
        0 => write!(out, "{head}")?,
        1 => {
            for (root, patch) in &patches {
                write!(out, "{head}#\n# Review, then apply from {}: git apply FILE\n{patch}", root.display())?;
            }
        }
        n => {
            // Several checkouts: a section for each, to save apart and apply from its folder.
            write!(
                out,
                "{head}#\n# The runbooks are in {n} checkouts: save each section below apart and apply it from its folder.\n"
            )?;
            for (root, patch) in &patches {
                write!(out, "# ---- apply from {}: git apply FILE ----\n{patch}", root.display())?;
            }
        }
    }
    Ok(if by_runbook.is_empty() { Outcome::Findings } else { Outcome::Success })
}

/// The git checkout holding `file` and the file's path inside it (the diff's paths); a file
/// outside any checkout: its folder and its name.
fn repository_path(file: &Path) -> (PathBuf, PathBuf) {
    let absolute = std::path::absolute(file).unwrap_or_else(|_| file.to_owned());
    for dir in absolute.ancestors().skip(1) {
        if dir.join(".git").exists()
            && let Ok(rel) = absolute.strip_prefix(dir)
        {
            return (dir.to_owned(), rel.to_owned());
        }
    }
    let dir = absolute.parent().map(Path::to_path_buf).unwrap_or_default();
    let name = absolute.file_name().map(PathBuf::from).unwrap_or_default();
    (dir, name)
}
