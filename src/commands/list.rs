//! `runbook list`: every runbook, as aligned columns or JSON.

use std::io::Write;
use std::sync::Arc;

use serde_json::json;
use unicode_width::UnicodeWidthStr;

use super::{Context, Outcome};
use crate::search::{Cache, Progress, SearchIndex};
use crate::text::one_line;

pub fn run(cx: &Context, json: bool) -> anyhow::Result<Outcome> {
    cx.say_notice();
    let catalog = cx.catalog();
    say_age(cx, &catalog);
    let (index, (), repaired) =
        SearchIndex::open_repairing(&catalog, &Cache::Default, &Arc::new(Progress::default()), |i| {
            i.entries();
        });
    super::report_problems(index.problems(), index.stats.fallback.as_deref());
    super::say_repaired(repaired.as_deref());
    let entries = index.entries();
    let mut out = std::io::stdout().lock();
    if json {
        let items: Vec<_> = entries
            .iter()
            .map(|e| json!({"id": e.id, "title": e.title, "kind": e.kind, "severity": e.severity, "systems": e.systems, "path": e.at.path, "root": e.at.folder.display().to_string()}))
            .collect();
        crate::output::write_json(&mut out, &items)?;
        return Ok(Outcome::Success);
    }
    let id_w = entries.iter().map(|e| e.id.width()).max().unwrap_or(2).min(48);
    for e in entries {
        let id = one_line(&e.id);
        let pad = " ".repeat(id_w.saturating_sub(id.width()));
        let sev = e.severity.map_or("-", |s| s.as_str());
        let systems = if e.systems.is_empty() { String::new() } else { format!("  ({})", e.systems.join(", ")) };
        writeln!(out, "{id}{pad}  {:<9}  {sev:<8}  {}{}", e.kind.as_str(), one_line(&e.title), one_line(&systems))?;
    }
    Ok(Outcome::Success)
}

/// How old each folder's runbooks are, on stderr (stdout stays the list).
fn say_age(cx: &Context, catalog: &crate::runbook::library::Catalog) {
    if cx.notice.is_some() {
        return;
    }
    let now = jiff::Timestamp::now();
    for (i, dir) in catalog.folders().iter().enumerate() {
        let age = crate::repo::Age::of(catalog, i).long(now);
        let _ = writeln!(std::io::stderr(), "runbook: {}: {}", one_line(&dir.display().to_string()), one_line(&age));
    }
}
