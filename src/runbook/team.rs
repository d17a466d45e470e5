//! The team file (`team.yml` at the root of a runbook folder): contacts, systems and facts,
//! written once and named by id from the runbooks. Pure data and the questions asked of it
//! (who is this contact, what depends on this system, is there a dependency loop); parsing
//! is `frontmatter::team`'s, reading the file `library`'s.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use serde::Serialize;

use super::model::Runbook;

/// The file name of the team file in a runbook folder.
pub(crate) const TEAM_FILE: &str = "team.yml";

/// Someone to call.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Contact {
    pub id: String,
    pub name: String,
    pub phone: Option<String>,
    pub chat: Option<String>,
    pub hours: Option<String>,
    pub role: Option<String>,
    /// Line of its entry in the team file.
    pub line: usize,
    /// The team file it is in (set when the folders' files are merged).
    #[serde(skip)]
    pub file: PathBuf,
}

impl Contact {
    /// How to reach them, in one line: `+1 555 0100 · #platform · 24/7`.
    pub(crate) fn reach(&self) -> Option<String> {
        let parts: Vec<&str> =
            [&self.phone, &self.chat, &self.hours].into_iter().flatten().map(String::as_str).collect();
        (!parts.is_empty()).then(|| parts.join(" · "))
    }
}

/// A component of the site: what it is, where it runs, who owns it, what it needs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct System {
    pub id: String,
    pub what: String,
    pub hosts: Vec<String>,
    /// A contact id.
    pub owner: Option<String>,
    /// System ids.
    pub depends_on: Vec<String>,
    pub dashboards: Vec<String>,
    pub logs: Vec<String>,
    pub line: usize,
    #[serde(skip)]
    pub file: PathBuf,
}

/// Everything the team files of the open folders say (the first folder's entry wins).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Team {
    pub contacts: BTreeMap<String, Contact>,
    pub systems: BTreeMap<String, System>,
    /// Values commands need, by the shell variable name that takes them.
    pub facts: BTreeMap<String, String>,
}

impl Team {
    /// Fill in each escalation that names a contact by id (`who:`) from the contact.
    pub(crate) fn resolve(&self, rb: &mut Runbook) {
        for e in &mut rb.meta.escalation {
            let Some(c) = e.who.as_ref().and_then(|id| self.contacts.get(id)) else { continue };
            if e.name.is_empty() || e.name == *e.who.as_ref().unwrap_or(&String::new()) {
                e.name.clone_from(&c.name);
            }
            if e.contact.is_none() {
                e.contact = c.reach();
            }
            if e.role.is_none() {
                e.role.clone_from(&c.role);
            }
        }
    }

    /// The systems that depend on `id`, directly.
    pub(crate) fn dependents(&self, id: &str) -> Vec<&System> {
        self.systems.values().filter(|s| s.depends_on.iter().any(|d| d == id)).collect()
    }

    /// A dependency loop (`a -> b -> a`), if there is one: the ids along it. Iterative, so
    /// no team file can make it recurse.
    pub(crate) fn cycle(&self) -> Option<Vec<String>> {
        let mut done: BTreeSet<&str> = BTreeSet::new();
        for start in self.systems.keys() {
            if done.contains(start.as_str()) {
                continue;
            }
            // A depth-first walk with an explicit stack of (system, next dependency index).
            let mut stack: Vec<(&str, usize)> = vec![(start.as_str(), 0)];
            let mut on_path: BTreeSet<&str> = BTreeSet::from([start.as_str()]);
            while let Some(&(id, next)) = stack.last() {
                let deps = self.systems.get(id).map_or(&[][..], |s| s.depends_on.as_slice());
                let Some(dep) = deps.get(next) else {
                    stack.pop();
                    on_path.remove(id);
                    done.insert(id);
                    continue;
                };
                if let Some(top) = stack.last_mut() {
                    top.1 = next.saturating_add(1);
                }
                let dep = dep.as_str();
                if on_path.contains(dep) {
                    let from = stack.iter().position(|(s, _)| *s == dep).unwrap_or(0);
                    let mut path: Vec<String> = stack.iter().skip(from).map(|(s, _)| (*s).to_owned()).collect();
                    path.push(dep.to_owned());
                    return Some(path);
                }
                if !done.contains(dep) && self.systems.contains_key(dep) {
                    stack.push((dep, 0));
                    on_path.insert(dep);
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn team(deps: &[(&str, &[&str])]) -> Team {
        let mut t = Team::default();
        for (id, on) in deps {
            let s = System {
                id: (*id).into(),
                depends_on: on.iter().map(|d| (*d).to_owned()).collect(),
                ..System::default()
            };
            t.systems.insert((*id).into(), s);
        }
        t
    }

    #[test]
    fn a_dependency_loop_is_found_with_its_path() {
        assert_eq!(team(&[("nginx", &["app"]), ("app", &["db"]), ("db", &[])]).cycle(), None);
        let t = team(&[("nginx", &["app"]), ("app", &["db", "cache"]), ("cache", &[]), ("db", &["nginx"])]);
        let c = t.cycle().unwrap_or_default();
        assert_eq!(c.first(), c.last(), "{c:?}");
        assert_eq!(c.len(), 4, "{c:?}");
        assert_eq!(team(&[("a", &["a"])]).cycle(), Some(vec!["a".into(), "a".into()]));
    }

    #[test]
    fn a_long_chain_does_not_recurse() {
        let ids: Vec<String> = (0..100_000).map(|i| format!("s{i}")).collect();
        let mut t = Team::default();
        for (i, id) in ids.iter().enumerate() {
            let next = ids.get(i + 1).cloned().into_iter().collect();
            t.systems.insert(id.clone(), System { id: id.clone(), depends_on: next, ..System::default() });
        }
        assert_eq!(t.cycle(), None);
    }

    #[test]
    fn dependents_and_reach() {
        let t = team(&[("nginx", &["app"]), ("worker", &["app"]), ("app", &[])]);
        let names: Vec<&str> = t.dependents("app").iter().map(|s| s.id.as_str()).collect();
        assert_eq!(names, ["nginx", "worker"]);
        let c = Contact { phone: Some("+1 555".into()), hours: Some("24/7".into()), ..Contact::default() };
        assert_eq!(c.reach().as_deref(), Some("+1 555 · 24/7"));
        assert_eq!(Contact::default().reach(), None);
    }
}
