//! A `Graph` as text: Mermaid (a `flowchart`, which GitHub renders in markdown) or DOT (for
//! Graphviz). Labels are runbook text, so they are escaped for each format and cleaned of
//! control characters; node names are generated (`n0`, `n1`, ...), never taken from input.

use std::fmt::Write as _;

use super::{Graph, Node, NodeKind};
use crate::runbook::Kind;

/// The label as drawn: the text, then what is wrong with it.
fn label(n: &Node) -> String {
    let text = crate::text::one_line(&n.label);
    if n.problems.is_empty() { text } else { format!("{text} ⚠ {}", n.problems.join(", ")) }
}

fn class(kind: NodeKind) -> Option<&'static str> {
    match kind {
        NodeKind::Verify => Some("verify"),
        NodeKind::Rollback => Some("rollback"),
        NodeKind::Escalate => Some("escalate"),
        NodeKind::Runbook(Kind::Procedure) => Some("procedure"),
        NodeKind::Runbook(_) => Some("runbook"),
        NodeKind::Question | NodeKind::Section => None,
    }
}

/// Mermaid's text inside `"..."`: quotes and the characters it reads as markup as entities.
fn mermaid_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '|' => out.push_str("#124;"),
            '#' => out.push_str("#35;"),
            c => out.push(c),
        }
    }
    out
}

pub(crate) fn mermaid(g: &Graph) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "%% {}", crate::text::one_line(&g.title));
    if !g.left_out.is_empty() {
        let _ = writeln!(out, "%% not drawn: {} runbook(s) that link to and from nothing", g.left_out.len());
    }
    out.push_str("flowchart TD\n");
    for (i, n) in g.nodes.iter().enumerate() {
        let text = mermaid_text(&label(n));
        let shape = match n.kind {
            NodeKind::Question => format!("{{\"{text}\"}}"),
            NodeKind::Runbook(_) => format!("[[\"{text}\"]]"),
            NodeKind::Verify | NodeKind::Rollback | NodeKind::Escalate => format!("([\"{text}\"])"),
            NodeKind::Section => format!("[\"{text}\"]"),
        };
        let _ = writeln!(out, "  n{i}{shape}");
    }
    for e in &g.edges {
        let arrow = if e.link { "-.->" } else { "-->" };
        if e.label.is_empty() {
            let _ = writeln!(out, "  n{} {arrow} n{}", e.from, e.to);
        } else {
            let _ = writeln!(
                out,
                "  n{} {arrow}|\"{}\"| n{}",
                e.from,
                mermaid_text(&crate::text::one_line(&e.label)),
                e.to
            );
        }
    }
    out.push_str("  classDef verify fill:#e8f5e9,stroke:#2e7d32\n");
    out.push_str("  classDef rollback fill:#fff3e0,stroke:#ef6c00\n");
    out.push_str("  classDef escalate fill:#fde7e9,stroke:#c62828\n");
    out.push_str("  classDef procedure fill:#e3f2fd,stroke:#1565c0\n");
    out.push_str("  classDef runbook fill:#f3e5f5,stroke:#6a1b9a\n");
    out.push_str("  classDef problem stroke:#c62828,stroke-width:3px,stroke-dasharray:5 3\n");
    for (i, n) in g.nodes.iter().enumerate() {
        if let Some(c) = class(n.kind) {
            let _ = writeln!(out, "  class n{i} {c}");
        }
        if !n.problems.is_empty() {
            let _ = writeln!(out, "  class n{i} problem");
        }
    }
    out
}

/// DOT's text inside `"..."`.
fn dot_text(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

pub(crate) fn dot(g: &Graph) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "digraph runbook {{");
    let _ = writeln!(out, "  label=\"{}\";", dot_text(&crate::text::one_line(&g.title)));
    out.push_str("  rankdir=TB;\n  node [shape=box, style=rounded];\n");
    for (i, n) in g.nodes.iter().enumerate() {
        let mut attrs = vec![format!("label=\"{}\"", dot_text(&label(n)))];
        match n.kind {
            NodeKind::Question => attrs.push("shape=diamond".into()),
            NodeKind::Runbook(_) => attrs.push("shape=component".into()),
            _ => {}
        }
        let fill = match n.kind {
            NodeKind::Verify => Some("#e8f5e9"),
            NodeKind::Rollback => Some("#fff3e0"),
            NodeKind::Escalate => Some("#fde7e9"),
            NodeKind::Runbook(Kind::Procedure) => Some("#e3f2fd"),
            _ => None,
        };
        if let Some(f) = fill {
            attrs.push(format!("style=\"rounded,filled\", fillcolor=\"{f}\""));
        }
        if !n.problems.is_empty() {
            attrs.push("color=\"#c62828\", penwidth=3".into());
        }
        let _ = writeln!(out, "  n{i} [{}];", attrs.join(", "));
    }
    for e in &g.edges {
        let mut attrs = Vec::new();
        if !e.label.is_empty() {
            attrs.push(format!("label=\"{}\"", dot_text(&crate::text::one_line(&e.label))));
        }
        if e.link {
            attrs.push("style=dashed".into());
        }
        let attrs = if attrs.is_empty() { String::new() } else { format!(" [{}]", attrs.join(", ")) };
        let _ = writeln!(out, "  n{} -> n{}{attrs};", e.from, e.to);
    }
    out.push_str("}\n");
    out
}
