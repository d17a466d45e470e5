//! Reading the team file (`team.yml`) of each runbook folder (at its root, or in its
//! `runbooks/` when the folder is a repository `runbook init` wrote) and merging them: the
//! first folder's entry wins, and an id defined twice is a problem in the later file.

use std::collections::btree_map::Entry;
use std::path::PathBuf;

use super::read_capped;
use crate::problem::Problem;
use crate::runbook::frontmatter::team::parse_team;
use crate::runbook::team::{TEAM_FILE, Team};

/// The merged team file of `roots`, and its problems (with file and line).
pub fn load_team(roots: &[PathBuf]) -> (Team, Vec<Problem>) {
    let mut team = Team::default();
    let mut problems = Vec::new();
    for root in roots {
        // At the folder's root, or in its `runbooks/` (a repository `runbook init` wrote).
        let Some(path) = [root.join(TEAM_FILE), root.join("runbooks").join(TEAM_FILE)].into_iter().find(|p| p.exists())
        else {
            continue;
        };
        // A team file linked from outside the folder is not read: its facts reach commands.
        if let Err(msg) = crate::files::inside(root, &path) {
            problems.push(Problem::error(&path, None, "team", msg));
            continue;
        }
        let bytes = match read_capped(&path) {
            Ok(b) => b,
            Err(msg) => {
                problems.push(Problem::error(&path, None, "team", msg));
                continue;
            }
        };
        let Ok(text) = String::from_utf8(bytes) else {
            problems.push(Problem::error(&path, None, "team", "is not UTF-8 text; save it as UTF-8"));
            continue;
        };
        let (one, findings) = parse_team(&text);
        problems.extend(findings.into_iter().map(|f| f.at(&path)));
        problems.extend(crate::runbook::placeholder::findings(&text, usize::MAX).into_iter().map(|f| f.at(&path)));
        let twice = |what: &str, id: &str, line: usize| {
            Problem::warning(
                &path,
                Some(line),
                "team",
                format!("{what} `{id}` is already defined in an earlier folder's team file; this one is ignored"),
            )
        };
        for (id, mut c) in one.contacts {
            c.file.clone_from(&path);
            match team.contacts.entry(id) {
                Entry::Occupied(e) => problems.push(twice("contact", e.key(), c.line)),
                Entry::Vacant(e) => {
                    e.insert(c);
                }
            }
        }
        for (id, mut s) in one.systems {
            s.file.clone_from(&path);
            match team.systems.entry(id) {
                Entry::Occupied(e) => problems.push(twice("system", e.key(), s.line)),
                Entry::Vacant(e) => {
                    e.insert(s);
                }
            }
        }
        for (name, v) in one.facts {
            team.facts.entry(name).or_insert(v);
        }
    }
    (team, problems)
}
