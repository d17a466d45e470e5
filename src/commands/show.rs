//! `runbook show ID[#section]`: the runbook as plain text, or its parsed model as JSON.

use std::io::Write;
use std::sync::Arc;

use anyhow::{Context as _, bail};

use super::{Context, Outcome};
use crate::plain;
use crate::runbook::Runbook;
use crate::runbook::library::{load_file, load_team};
use crate::search::{Cache, Entry, Progress, SearchIndex};
use crate::text::suggest;

pub fn run(cx: &Context, wanted: &str, json: bool) -> anyhow::Result<Outcome> {
    cx.say_notice();
    let (id, section) = match wanted.split_once('#') {
        Some((id, s)) => (id, Some(s)),
        None => (wanted, None),
    };
    let (index, (), repaired) =
        SearchIndex::open_repairing(&cx.roots, &Cache::Default, &Arc::new(Progress::default()), |i| {
            i.entries();
        });
    super::say_repaired(repaired.as_deref());
    let entries = index.entries();
    let Some(entry) = find(entries, id) else {
        let close = suggest(id, entries.iter().map(|e| e.id.as_str()), 5);
        if close.is_empty() {
            bail!("no runbook with id `{id}`; `runbook list` shows every id, `runbook search WORDS` finds by symptom");
        }
        bail!("no runbook with id `{id}`; did you mean: {}?", close.join(", "));
    };
    let rb = load(cx, entry)?;
    let only = match section {
        None => None,
        Some(s) => Some(rb.section_index(s).with_context(|| {
            let ids: Vec<&str> = rb.sections.iter().map(|s| s.id.as_str()).collect();
            format!("runbook `{}` has no section `{s}`; its sections are: {}", rb.id, ids.join(", "))
        })?),
    };
    let mut out = std::io::stdout().lock();
    if json {
        match only {
            Some(i) => crate::output::write_json(&mut out, &rb.sections[i])?,
            None => crate::output::write_json(&mut out, &rb)?,
        }
    } else {
        write!(out, "{}", plain::runbook(&rb, only))?;
    }
    Ok(Outcome::Success)
}

/// By id, or failing that by path (with or without the extension).
fn find<'a>(entries: &'a [Entry], id: &str) -> Option<&'a Entry> {
    entries.iter().find(|e| e.id == id).or_else(|| {
        entries.iter().find(|e| e.path == id || e.path.rsplit_once('.').is_some_and(|(stem, _)| stem == id))
    })
}

/// Parse the runbook's file now (the index holds only what search needs), with its
/// escalation contacts taken from the team file.
pub fn load(cx: &Context, entry: &Entry) -> anyhow::Result<Runbook> {
    let root = cx.roots.iter().position(|r| *r == entry.root).unwrap_or(0);
    let mut rb = load_file(root, &entry.root, &entry.path).map_err(|p| anyhow::anyhow!("{p}"))?;
    let team = load_team(&cx.roots).0;
    team.resolve(&mut rb);
    // Printed commands carry the team's values, ready to copy (the JSON too: it is what
    // `show` prints, parsed).
    crate::runbook::inputs::fill_runbook(&mut rb, |name| team.facts.get(name).cloned());
    Ok(rb)
}
