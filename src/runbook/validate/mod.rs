//! `runbook check`'s rules over a loaded library: broken links, unreachable sections, loops
//! with no way out, procedures without Verify/Rollback, risky steps without a rollback,
//! escalation without contact, stale reviews; `team` checks the team file and the names the
//! runbooks give from it. The structural rules apply only to runbooks that
//! use this format, so a plain documentation site is not drowned in warnings.

use std::collections::{HashMap, HashSet, VecDeque};

use super::blocks::Target;
use super::library::Library;
use super::model::{Runbook, SectionRole};
use super::steps::text_links;
use crate::problem::Problem;

mod team;

/// Run every rule; `today` decides staleness.
pub fn check(lib: &Library, today: jiff::civil::Date) -> Vec<Problem> {
    let mut out = Vec::new();
    let incoming = incoming_links(lib);
    for (idx, rb) in lib.runbooks.iter().enumerate() {
        let empty = HashSet::new();
        let from_elsewhere = incoming.get(&idx).unwrap_or(&empty);
        check_runbook(lib, rb, from_elsewhere, today, &mut out);
    }
    team::check(lib, &mut out);
    not_reached(lib, &mut out);
    alerts_listed_twice(lib, &mut out);
    out
}

/// An alert listed by two runbooks (case aside): `runbook alert` opens the first; the later
/// one is said, at its `alerts:` line.
fn alerts_listed_twice(lib: &Library, out: &mut Vec<Problem>) {
    let mut first: HashMap<String, &str> = HashMap::new();
    for rb in &lib.runbooks {
        let mut own: HashSet<String> = HashSet::new();
        for a in &rb.meta.alerts {
            let key = a.to_ascii_lowercase();
            let line = rb.meta.key_lines.get("alerts").copied();
            if !own.insert(key.clone()) {
                out.push(Problem::warning(&rb.file, line, "alert-listed-twice", format!("`alerts:` lists {a} twice")));
            } else if let Some(other) = first.get(&key) {
                let msg = format!("`alerts:` lists {a}, which {other} lists too: `runbook alert` opens {other} first");
                out.push(Problem::warning(&rb.file, line, "alert-listed-twice", msg));
            } else {
                first.insert(key, rb.id.as_str());
            }
        }
    }
}

/// With a start-here runbook, the runbooks no chain of links from it reaches: a responder
/// browsing from the start never finds them (search still does).
fn not_reached(lib: &Library, out: &mut Vec<Problem>) {
    let Some(start) = lib.runbooks.iter().position(|r| r.id == "start-here" || r.id.ends_with("/start-here")) else {
        return;
    };
    let edges: Vec<Vec<usize>> = lib
        .runbooks
        .iter()
        .map(|rb| {
            rb.sections
                .iter()
                .flat_map(|s| s.choices().map(|c| c.target.clone()).chain(text_links(&s.blocks)))
                .filter_map(|t| lib.resolve(rb, &t).map(|(i, _)| i))
                .collect()
        })
        .collect();
    let reached = bfs(&edges, &[start]);
    // Only runbooks of this format: a README or a page of plain docs is not browsed to.
    for (_, rb) in lib.runbooks.iter().enumerate().filter(|(i, r)| r.structured && !reached.contains(i)) {
        out.push(Problem::warning(
            &rb.file,
            rb.meta.key_lines.get("title").copied(),
            "not-reached",
            format!(
                "no chain of links from {} leads here: link it from the runbook a responder would come from",
                lib.runbooks[start].id
            ),
        ));
    }
}

/// Sections of each runbook that answers in other runbooks lead to.
fn incoming_links(lib: &Library) -> HashMap<usize, HashSet<String>> {
    let mut map: HashMap<usize, HashSet<String>> = HashMap::new();
    for rb in &lib.runbooks {
        for choice in rb.sections.iter().flat_map(|s| s.choices()) {
            if let Target::Runbook { .. } = choice.target
                && let Some((idx, section)) = lib.resolve(rb, &choice.target)
            {
                let target = &lib.runbooks[idx];
                let sec = section.unwrap_or_else(|| {
                    target.sections.get(target.start_index()).map(|s| s.id.clone()).unwrap_or_default()
                });
                map.entry(idx).or_default().insert(sec);
            }
        }
    }
    map
}

fn check_runbook(
    lib: &Library,
    rb: &Runbook,
    from_elsewhere: &HashSet<String>,
    today: jiff::civil::Date,
    out: &mut Vec<Problem>,
) {
    let key_line = |k: &str| rb.meta.key_lines.get(k).copied();
    if rb.meta.draft {
        out.push(Problem::warning(
            &rb.file,
            key_line("draft"),
            "draft",
            "a draft: no responder sees it (search, lists, alerts) until you remove `draft: true`",
        ));
    }
    check_links(lib, rb, out);
    if let Some(start) = &rb.meta.start
        && rb.section(start).is_none()
    {
        out.push(Problem::error(
            &rb.file,
            key_line("start"),
            "unknown-start",
            format!("`start: {start}` names no section; section ids are: {}", section_list(rb)),
        ));
    }
    // A contact named by id is `team`'s to check.
    for esc in rb.meta.escalation.iter().filter(|e| e.who.is_none()) {
        if esc.contact.is_none() {
            out.push(Problem::error(
                &rb.file,
                key_line("escalation"),
                "escalation-contact",
                format!("escalation entry `{}` has no `contact`; add a phone number or channel", esc.name),
            ));
        }
    }
    if let (Some(reviewed), Some(due)) = (rb.meta.last_reviewed, rb.meta.review_due())
        && due < today
    {
        out.push(Problem::warning(&rb.file, key_line("last_reviewed"), "stale", format!("last reviewed {reviewed}, due for review since {due} (review_every); read it again and update `last_reviewed`")));
    }
    if !rb.structured {
        return;
    }
    check_procedure(rb, out);
    check_tree(rb, from_elsewhere, out);
}

fn section_list(rb: &Runbook) -> String {
    rb.sections.iter().map(|s| format!("`{}`", s.id)).collect::<Vec<_>>().join(", ")
}

/// Answers must lead somewhere; so must in-text links in runbooks of this format.
fn check_links(lib: &Library, rb: &Runbook, out: &mut Vec<Problem>) {
    for section in &rb.sections {
        let mut targets: Vec<(Target, usize)> = section.choices().map(|c| (c.target.clone(), c.line)).collect();
        if rb.structured {
            targets.extend(text_links(&section.blocks).into_iter().map(|t| (t, section.line)));
        }
        for (target, line) in targets {
            if let Some(msg) = broken(lib, rb, &target) {
                out.push(Problem::error(&rb.file, Some(line), "broken-link", msg));
            }
        }
    }
}

fn broken(lib: &Library, rb: &Runbook, target: &Target) -> Option<String> {
    match target {
        Target::Section { section } => rb.section(section).is_none().then(|| {
            format!("link to `#{section}`, but this runbook has no such section; ids are: {}", section_list(rb))
        }),
        Target::Runbook { path, section } => match lib.resolve(rb, target) {
            None => Some(format!("link to `{path}`, but no runbook is at that path (paths are relative to this file)")),
            Some((idx, Some(sec))) if lib.runbooks[idx].section(&sec).is_none() => {
                let _ = section;
                Some(format!(
                    "link to `{path}#{sec}`, but that runbook has no such section; its ids are: {}",
                    section_list(&lib.runbooks[idx])
                ))
            }
            Some(_) => None,
        },
    }
}

fn check_procedure(rb: &Runbook, out: &mut Vec<Problem>) {
    let has_commands = rb.steps().any(|(_, s)| s.command.is_some());
    let is_procedure = rb.meta.kind == Some(super::model::Kind::Procedure) || has_commands;
    let line = rb.meta.key_lines.get("kind").copied().or_else(|| rb.steps().next().map(|(_, s)| s.line));
    if is_procedure && !rb.has_role(SectionRole::Verify) {
        out.push(Problem::error(
            &rb.file,
            line,
            "no-verify",
            "procedure has no `Verify` section; say how the responder knows the change worked",
        ));
    }
    if is_procedure && !rb.has_role(SectionRole::Rollback) {
        out.push(Problem::error(
            &rb.file,
            line,
            "no-rollback",
            "procedure has no `Rollback` section; say how to undo the change",
        ));
    } else if !rb.has_role(SectionRole::Rollback) {
        for (_, step) in rb.steps().filter(|(_, s)| s.risk.is_some()) {
            out.push(Problem::error(
                &rb.file,
                Some(step.line),
                "risky-without-rollback",
                "risky step, but the runbook has no `Rollback` section; add one",
            ));
        }
    }
}

/// Reachability and loops in a decision tree.
fn check_tree(rb: &Runbook, from_elsewhere: &HashSet<String>, out: &mut Vec<Problem>) {
    if rb.sections.iter().all(|s| s.choices().next().is_none()) {
        return;
    }
    let index: HashMap<&str, usize> = rb.sections.iter().enumerate().rev().map(|(i, s)| (s.id.as_str(), i)).collect();
    let edges: Vec<Vec<usize>> = rb
        .sections
        .iter()
        .map(|s| {
            s.choices()
                .filter_map(|c| match &c.target {
                    Target::Section { section } => index.get(section.as_str()).copied(),
                    Target::Runbook { .. } => None,
                })
                .collect()
        })
        .collect();
    let start = rb.start_index();
    let mut roots = vec![start];
    roots.extend(from_elsewhere.iter().filter_map(|id| index.get(id.as_str()).copied()));
    let reached = bfs(&edges, &roots);
    for (i, s) in rb.sections.iter().enumerate() {
        if i < start || reached.contains(&i) || s.role != SectionRole::Normal {
            continue;
        }
        out.push(Problem::warning(
            &rb.file,
            Some(s.line),
            "unreachable",
            format!("no answer leads to section `{}`; link to it from a question or remove it", s.id),
        ));
    }
    // A section can get out if it ends a path, leaves the runbook, or leads to one that can.
    let exits: Vec<bool> = rb
        .sections
        .iter()
        .map(|s| s.choices().next().is_none() || s.choices().any(|c| matches!(c.target, Target::Runbook { .. })))
        .collect();
    let mut reverse: Vec<Vec<usize>> = vec![Vec::new(); rb.sections.len()];
    for (from, tos) in edges.iter().enumerate() {
        for &to in tos {
            reverse[to].push(from);
        }
    }
    dead_ends(rb, &edges, out);
    let exit_roots: Vec<usize> = exits.iter().enumerate().filter(|(_, e)| **e).map(|(i, _)| i).collect();
    let can_exit = bfs(&reverse, &exit_roots);
    let stuck: Vec<&str> =
        reached.iter().filter(|i| !can_exit.contains(i)).map(|&i| rb.sections[i].id.as_str()).collect();
    if let Some(&first) = reached.iter().filter(|i| !can_exit.contains(i)).min() {
        out.push(Problem::error(&rb.file, Some(rb.sections[first].line), "loop", format!("answers go round in a circle with no way out through sections {}; give one of them an answer that ends or leaves", stuck.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", "))));
    }
}

/// In a guide, a section an answer leads to that leads nowhere: no answers, no links, no
/// steps, and not an Escalate section. The responder arrives with nothing to do.
fn dead_ends(rb: &Runbook, edges: &[Vec<usize>], out: &mut Vec<Problem>) {
    if rb.kind != super::model::Kind::Guide {
        return;
    }
    let reached: std::collections::BTreeSet<usize> = edges.iter().flatten().copied().collect();
    for (_, s) in rb.sections.iter().enumerate().filter(|(i, _)| reached.contains(i)) {
        let leads = s.choices().next().is_some() || !text_links(&s.blocks).is_empty();
        if !leads && s.steps().next().is_none() && s.role != SectionRole::Escalate {
            out.push(Problem::warning(
                &rb.file,
                Some(s.line),
                "dead-end",
                format!(
                    "an answer leads to section `{}`, which says what to do no further: no answers, links or steps; add them, or link the procedure or Escalate",
                    s.id
                ),
            ));
        }
    }
}

fn bfs(edges: &[Vec<usize>], roots: &[usize]) -> std::collections::BTreeSet<usize> {
    let mut seen = std::collections::BTreeSet::new();
    let mut queue: VecDeque<usize> = roots.iter().copied().collect();
    while let Some(n) = queue.pop_front() {
        if n < edges.len() && seen.insert(n) {
            queue.extend(edges[n].iter().copied());
        }
    }
    seen
}
