//! `runbook search`: ranked hits, one line each, or JSON.

use std::io::Write;
use std::sync::Arc;

use serde_json::json;

use super::{Context, Outcome};
use crate::output::{BOLD, CYAN, ColorMode, DIM, YELLOW};
use crate::search::{Cache, Hit, Progress, SearchIndex, Snippet};
use crate::text::one_line;

pub fn run(cx: &Context, query: &str, limit: usize, json: bool, lexical: bool) -> anyhow::Result<Outcome> {
    cx.say_notice();
    let embedder = if lexical || !cx.meaning { None } else { super::meaning::embedder() };
    let (index, hits, repaired) =
        SearchIndex::open_repairing(&cx.catalog(), &Cache::Default, &Arc::new(Progress::default()), |i| {
            if let Some(e) = &embedder {
                super::meaning::attach(i, e);
            }
            i.search(query, limit)
        });
    super::report_problems(index.problems(), index.stats.fallback.as_deref());
    super::say_repaired(repaired.as_deref());
    let mut out = std::io::stdout().lock();
    if json {
        let items: Vec<_> = hits.iter().map(hit_json).collect();
        crate::output::write_json(&mut out, &items)?;
    } else {
        for (n, hit) in hits.iter().enumerate() {
            writeln!(out, "{}", format_hit(n + 1, hit, cx.color))?;
        }
    }
    Ok(if hits.is_empty() { Outcome::Findings } else { Outcome::Success })
}

fn hit_json(h: &Hit) -> serde_json::Value {
    json!({
        "id": h.entry.id,
        "title": h.entry.title,
        "path": h.entry.at.path,
        "root": h.entry.at.folder.display().to_string(),
        "score": h.score,
        "kind": h.entry.kind,
        "severity": h.entry.severity,
        "systems": h.entry.systems,
        "symptoms": h.entry.symptoms,
        "section": h.section,
        "snippet": h.snippet.text,
    })
}

/// One line per hit, so the output can be piped to grep, head or cut:
/// `N. Title  id#section  [severity]  snippet`. `id#section` is what `runbook show` takes.
pub(crate) fn format_hit(n: usize, hit: &Hit, color: ColorMode) -> String {
    let mut target = one_line(&hit.entry.id);
    if let Some(section) = &hit.section {
        target.push('#');
        target.push_str(&one_line(section));
    }
    let mut line =
        format!("{n:>2}. {}  {}", color.paint(BOLD, &one_line(&hit.entry.title)), color.paint(CYAN, &target));
    if let Some(title) = &hit.section_title {
        line.push_str(&color.paint(DIM, &format!(" ({})", one_line(title))));
    }
    if let Some(sev) = hit.entry.severity {
        line.push_str(&format!("  [{}]", sev.as_str()));
    }
    if !hit.snippet.text.is_empty() {
        line.push_str("  ");
        line.push_str(&marked(&hit.snippet, color));
    }
    line
}

/// The snippet with matched words highlighted (on a terminal only).
pub(crate) fn marked(s: &Snippet, color: ColorMode) -> String {
    let mut out = String::new();
    let mut pos = 0;
    for m in &s.marks {
        // Marks are byte ranges; one that is out of order or not on character boundaries
        // (it never should be) is skipped rather than trusted.
        let (Some(before), Some(word)) = (s.text.get(pos..m.start), s.text.get(m.clone())) else { continue };
        out.push_str(before);
        out.push_str(&color.paint(YELLOW, word));
        pos = m.end;
    }
    out.push_str(s.text.get(pos..).unwrap_or_default());
    out
}
