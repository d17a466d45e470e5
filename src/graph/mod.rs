//! A runbook's decision tree, or the links between runbooks, as a graph for authors:
//! sections as nodes, answers as labelled edges, links to other runbooks as nodes of theirs,
//! with Verify, Rollback, escalation and `check`'s problems (unreachable sections, loops,
//! dead ends) marked. `render` writes it as Mermaid (GitHub renders it) or DOT (Graphviz).

pub(crate) mod render;

use std::collections::{BTreeSet, HashMap};

use crate::problem::Problem;
use crate::runbook::{Kind, Library, Runbook, SectionRole, Target, text_links};

/// What a node stands for, and so how it is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NodeKind {
    /// A section that asks a question (has answers).
    Question,
    /// A section with steps (a procedure's part) or plain text.
    Section,
    Verify,
    Rollback,
    Escalate,
    /// Another runbook (a procedure, a guide, a page).
    Runbook(Kind),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Node {
    pub label: String,
    pub kind: NodeKind,
    /// What `check` (or the graph) found wrong here: `unreachable`, `loop`, `dead end`, ...
    pub problems: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Edge {
    pub from: usize,
    pub to: usize,
    /// The answer's text; empty for a link in the text.
    pub label: String,
    /// A link in the text rather than an answer (drawn dashed).
    pub link: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Graph {
    pub title: String,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// Runbooks left out of the whole-library graph: they link to and from nothing.
    pub left_out: Vec<String>,
    /// The edges already drawn, so each is drawn once in constant time.
    drawn: std::collections::HashSet<Edge>,
}

impl Graph {
    fn node(&mut self, label: String, kind: NodeKind) -> usize {
        self.nodes.push(Node { label, kind, problems: Vec::new() });
        self.nodes.len().saturating_sub(1)
    }

    fn edge(&mut self, from: usize, to: usize, label: String, link: bool) {
        let e = Edge { from, to, label, link };
        if self.drawn.insert(e.clone()) {
            self.edges.push(e);
        }
    }
}

/// The links of one section: answers (with their text), then links in the text.
fn targets(rb: &Runbook, section: usize) -> Vec<(Target, String, bool)> {
    let Some(s) = rb.sections.get(section) else { return Vec::new() };
    let mut out: Vec<(Target, String, bool)> =
        s.choices().map(|c| (c.target.clone(), c.label.clone(), false)).collect();
    let answers: std::collections::HashSet<Target> = out.iter().map(|(t, _, _)| t.clone()).collect();
    for t in text_links(&s.blocks).into_iter().filter(|t| !answers.contains(t)) {
        out.push((t, String::new(), true));
    }
    out
}

/// One runbook's decision tree, with `problems` (check's, for this library) marked.
pub(crate) fn runbook(lib: &Library, idx: usize, problems: &[Problem]) -> Option<Graph> {
    let rb = lib.runbooks.get(idx)?;
    let mut g = Graph { title: rb.title.clone(), ..Graph::default() };
    for s in &rb.sections {
        let kind = match s.role {
            SectionRole::Verify => NodeKind::Verify,
            SectionRole::Rollback => NodeKind::Rollback,
            SectionRole::Escalate => NodeKind::Escalate,
            _ if s.choices().next().is_some() => NodeKind::Question,
            _ => NodeKind::Section,
        };
        let label = if s.title.is_empty() { rb.title.clone() } else { s.title.clone() };
        g.node(label, kind);
    }
    let mut others: HashMap<(usize, Option<String>), usize> = HashMap::new();
    for from in 0..rb.sections.len() {
        for (target, label, link) in targets(rb, from) {
            let to = match &target {
                Target::Section { section } => rb.section_index(section),
                Target::Runbook { .. } => lib.resolve(rb, &target).and_then(|(other, section)| {
                    let o = lib.runbooks.get(other)?;
                    let key = (other, section.clone());
                    Some(*others.entry(key).or_insert_with(|| {
                        let title = match section.as_deref().and_then(|s| o.section(s)) {
                            Some(sec) if !sec.title.is_empty() => format!("{} › {}", o.title, sec.title),
                            _ => o.title.clone(),
                        };
                        let n = g.node(title, NodeKind::Runbook(o.kind));
                        // A section id that changed: check's broken-link, marked here too.
                        if let (Some(s), Some(node)) = (section.as_deref(), g.nodes.get_mut(n))
                            && o.section(s).is_none()
                        {
                            node.problems.push(format!("broken link: no section #{s}"));
                        }
                        n
                    }))
                }),
            };
            match to {
                Some(to) => g.edge(from, to, label, link),
                None => {
                    let n = g.node(format!("missing: {}", target_label(&target)), NodeKind::Section);
                    if let Some(node) = g.nodes.get_mut(n) {
                        node.problems.push("broken link".into());
                    }
                    g.edge(from, n, label, link);
                }
            }
        }
    }
    mark_problems(&mut g, rb, problems);
    Some(g)
}

fn target_label(t: &Target) -> String {
    match t {
        Target::Section { section } => format!("#{section}"),
        Target::Runbook { path, section: Some(s) } => format!("{path}#{s}"),
        Target::Runbook { path, section: None } => path.clone(),
    }
}

/// Check's problems about this runbook, on the section whose heading is on their line.
fn mark_problems(g: &mut Graph, rb: &Runbook, problems: &[Problem]) {
    for p in
        problems.iter().filter(|p| p.path == rb.file && matches!(p.code.as_str(), "unreachable" | "loop" | "dead-end"))
    {
        let at = p.line.and_then(|l| rb.sections.iter().position(|s| s.line == l));
        if let Some(node) = at.and_then(|i| g.nodes.get_mut(i)) {
            node.problems.push(p.code.replace('-', " "));
        }
    }
}

/// How the runbooks link to each other, from start-here (or, without one, every runbook):
/// one node per runbook, one edge per pair that links; runbooks `check` found not reached
/// from start-here are marked.
pub(crate) fn library(lib: &Library, problems: &[Problem]) -> Graph {
    let mut g = Graph { title: "How the runbooks link".into(), ..Graph::default() };
    for rb in &lib.runbooks {
        g.node(rb.title.clone(), NodeKind::Runbook(rb.kind));
    }
    for (from, rb) in lib.runbooks.iter().enumerate() {
        for s in 0..rb.sections.len() {
            for (target, _, link) in targets(rb, s) {
                if let Target::Runbook { .. } = target
                    && let Some((to, _)) = lib.resolve(rb, &target)
                    && to != from
                {
                    g.edge(from, to, String::new(), link);
                }
            }
        }
    }
    let start = lib.runbooks.iter().position(|r| r.id == "start-here" || r.id.ends_with("/start-here"));
    for (rb, node) in lib.runbooks.iter().zip(g.nodes.iter_mut()) {
        if problems.iter().any(|p| p.code == "not-reached" && p.path == rb.file) {
            node.problems.push("not reached from start-here".into());
        }
    }
    without_isolated(g, start)
}

/// The graph without the nodes no edge touches (but `keep`): they would only clutter it.
fn without_isolated(mut g: Graph, keep: Option<usize>) -> Graph {
    let linked: BTreeSet<usize> = g.edges.iter().flat_map(|e| [e.from, e.to]).chain(keep).collect();
    let mut new_index = vec![None; g.nodes.len()];
    let mut nodes = Vec::new();
    for (i, n) in std::mem::take(&mut g.nodes).into_iter().enumerate() {
        if linked.contains(&i) {
            if let Some(slot) = new_index.get_mut(i) {
                *slot = Some(nodes.len());
            }
            nodes.push(n);
        } else {
            g.left_out.push(n.label);
        }
    }
    let at = |i: usize| new_index.get(i).copied().flatten();
    g.edges = g.edges.iter().filter_map(|e| Some(Edge { from: at(e.from)?, to: at(e.to)?, ..e.clone() })).collect();
    g.nodes = nodes;
    g
}
