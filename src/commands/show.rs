//! `runbook show ID[#section]`: the runbook as plain text, or its parsed model as JSON.

use std::io::Write;

use anyhow::{Context as _, bail};

use super::{Context, Outcome};
use crate::plain;
use crate::runbook::Runbook;
use crate::runbook::library::Catalog;
use crate::search::{Cache, SearchIndex};
use crate::text::suggest;

pub fn run(cx: &Context, wanted: &str, json: bool) -> anyhow::Result<Outcome> {
    cx.say_notice();
    let (id, section) = match wanted.split_once('#') {
        Some((id, s)) => (id, Some(s)),
        None => (wanted, None),
    };
    let catalog = Catalog::new(&cx.roots);
    let mut rb = find(&catalog, id)?;
    // Printed commands carry the team's values, ready to copy (the JSON too: it is what
    // `show` prints, parsed).
    let facts = &catalog.team().facts;
    crate::runbook::inputs::fill_runbook(&mut rb, |name, _| facts.get(name).cloned());
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

/// The runbook with id `id`, else the one at that path (with or without its extension),
/// without building or writing an index: the file the id names (a runbook without an `id:`
/// is named by its path), else the id as the cache's index last knew it (read as it is,
/// never written; the file is checked to still hold that id), else every file parsed.
fn find(catalog: &Catalog, id: &str) -> anyhow::Result<Runbook> {
    let has_id = |rb: &Runbook| rb.id == id;
    let named = (0..catalog.folders().len())
        .flat_map(|i| [format!("{id}.md"), format!("{id}.markdown")].map(|p| catalog.reference(i, &p)))
        .flatten()
        .filter(|r| r.file().is_file());
    let cached = || {
        let index = SearchIndex::open_cached(catalog.folders(), &Cache::Default)?;
        index.entries().iter().find(|e| e.id == id).map(|e| e.at.clone())
    };
    for at in named.chain(std::iter::from_fn(cached).take(1)) {
        if let Ok((rb, _)) = catalog.open(&at)
            && has_id(&rb)
        {
            return Ok(rb);
        }
    }
    let library = catalog.clone().walk().load();
    let by_path = |rb: &&Runbook| rb.path == id || rb.path.rsplit_once('.').is_some_and(|(stem, _)| stem == id);
    if let Some(rb) = library.runbooks.iter().find(|rb| has_id(rb)).or_else(|| library.runbooks.iter().find(by_path)) {
        return Ok(rb.clone());
    }
    let close = suggest(id, library.runbooks.iter().map(|rb| rb.id.as_str()), 5);
    if close.is_empty() {
        bail!("no runbook with id `{id}`; `runbook list` shows every id, `runbook search WORDS` finds by symptom");
    }
    bail!("no runbook with id `{id}`; did you mean: {}?", close.join(", "));
}
