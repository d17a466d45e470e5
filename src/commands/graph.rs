//! `runbook graph [ID] [--format mermaid|dot]`: a runbook's decision tree, or (no id) how the
//! runbooks link from start-here, for authors to read or paste into a README.

use std::io::Write;

use anyhow::bail;

use super::{Context, Outcome};
use crate::graph;
use crate::text::suggest;

/// The most edges GitHub's Mermaid renders (its `maxEdges` default).
const MERMAID_MAX_EDGES: usize = 500;

/// The text formats a graph is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Mermaid,
    Dot,
}

pub fn run(cx: &Context, id: Option<&str>, format: Format) -> anyhow::Result<Outcome> {
    cx.say_notice();
    let lib = cx.load();
    // One analysis: the marks on the graph are check's findings.
    let problems = crate::runbook::validate::check(&lib, jiff::Zoned::now().date());
    let g = match id {
        None => graph::library(&lib, &problems),
        Some(id) => {
            let Some(idx) = lib
                .by_id(id)
                .or_else(|| lib.runbooks.iter().position(|r| r.path == id || r.path.strip_suffix(".md") == Some(id)))
            else {
                let close = suggest(id, lib.runbooks.iter().map(|r| r.id.as_str()), 5);
                bail!(
                    "no runbook with id `{id}`{}; `runbook list` shows every id",
                    if close.is_empty() { String::new() } else { format!(" (did you mean: {}?)", close.join(", ")) }
                );
            };
            graph::runbook(&lib, idx, &problems).unwrap_or_default()
        }
    };
    if !g.left_out.is_empty() {
        let names: Vec<String> = g.left_out.iter().take(5).map(|t| crate::text::one_line(t)).collect();
        let more = g.left_out.len().saturating_sub(names.len());
        let more = if more > 0 { format!(" and {more} more") } else { String::new() };
        let _ =
            writeln!(std::io::stderr(), "runbook: not drawn, linking to and from nothing: {}{more}", names.join("; "));
    }
    // GitHub's Mermaid draws at most 500 edges.
    if format == Format::Mermaid && g.edges.len() > MERMAID_MAX_EDGES {
        let _ = writeln!(
            std::io::stderr(),
            "runbook: {} links: GitHub's Mermaid draws at most {MERMAID_MAX_EDGES}; graph one runbook (an id), or use --format dot",
            g.edges.len()
        );
    }
    let text = match format {
        Format::Mermaid => graph::render::mermaid(&g),
        Format::Dot => graph::render::dot(&g),
    };
    std::io::stdout().lock().write_all(text.as_bytes())?;
    Ok(Outcome::Success)
}
