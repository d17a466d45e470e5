//! `check`'s rules about the team file and the runbooks' references to it: an escalation
//! naming an unknown contact, a contact nobody uses, a runbook or system naming an unknown
//! system, an owner that is not a contact, and dependency loops.

use std::collections::BTreeSet;

use crate::problem::Problem;
use crate::runbook::library::Library;

pub(super) fn check(lib: &Library, out: &mut Vec<Problem>) {
    let team = &lib.team;
    // A team file that does not parse: what follows from it is not reported one by one.
    let broken = lib
        .problems
        .iter()
        .find(|p| p.code == "yaml" && p.path.file_name().is_some_and(|n| n == crate::runbook::team::TEAM_FILE));
    let mut unresolved = 0;
    let mut used: BTreeSet<&str> = BTreeSet::new();
    for rb in &lib.runbooks {
        let line = rb.meta.key_lines.get("escalation").copied();
        for e in &rb.meta.escalation {
            let Some(who) = e.who.as_deref() else { continue };
            used.insert(who);
            if broken.is_some() && !team.contacts.contains_key(who) {
                unresolved += 1;
            } else if !team.contacts.contains_key(who) {
                let known: Vec<&str> = team.contacts.keys().map(String::as_str).collect();
                let hint = if known.is_empty() {
                    format!(
                        "no contacts are known: is there a {} beside the runbooks, and does `runbook check` report a problem in it?",
                        crate::runbook::team::TEAM_FILE
                    )
                } else {
                    format!("known: {}", known.join(", "))
                };
                out.push(Problem::error(
                    &rb.file,
                    line,
                    "unknown-contact",
                    format!("escalation names contact `{who}`, which the team file does not have ({hint})"),
                ));
            }
        }
        // Free-text systems are fine until the team lists its systems.
        if !team.systems.is_empty() {
            let line = rb.meta.key_lines.get("systems").copied();
            for s in rb.meta.systems.iter().filter(|s| !team.systems.contains_key(s.as_str())) {
                out.push(Problem::warning(
                    &rb.file,
                    line,
                    "unknown-system",
                    format!("system `{s}` is not in the team file; add it there, or move the word to `tags:`"),
                ));
            }
        }
    }
    for s in team.systems.values() {
        if let Some(owner) = s.owner.as_deref() {
            used.insert(owner);
            if !team.contacts.contains_key(owner) {
                out.push(Problem::error(
                    &s.file,
                    Some(s.line),
                    "unknown-contact",
                    format!("system `{}` is owned by `{owner}`, which is not a contact", s.id),
                ));
            }
        }
        for d in s.depends_on.iter().filter(|d| !team.systems.contains_key(d.as_str())) {
            out.push(Problem::error(
                &s.file,
                Some(s.line),
                "unknown-system",
                format!("system `{}` depends on `{d}`, which is not a system", s.id),
            ));
        }
    }
    if let Some(p) = broken.filter(|_| unresolved > 0) {
        out.push(Problem::error(
            &p.path,
            p.line,
            "team-unread",
            format!("{unresolved} escalation(s) name contacts of this team file, which does not load: fix the YAML error above first"),
        ));
    }
    for c in team.contacts.values().filter(|c| !used.contains(c.id.as_str())) {
        out.push(Problem::warning(
            &c.file,
            Some(c.line),
            "unused-contact",
            format!("contact `{}` is named by no escalation and owns no system; use it or remove it", c.id),
        ));
    }
    if let Some(cycle) = team.cycle() {
        let first = cycle.first().and_then(|id| team.systems.get(id));
        out.push(Problem::error(
            first.map(|s| s.file.clone()).unwrap_or_default(),
            first.map(|s| s.line),
            "dependency-cycle",
            format!(
                "systems depend on each other in a loop: {}; one of them must not depend on the next",
                cycle.join(" -> ")
            ),
        ));
    }
}
