//! Reading the team file's YAML (`team.yml`) into a `Team`. Here because this module is the
//! only serde_yaml user: the same size and nesting caps apply. One wrong entry costs only
//! that entry; every finding carries the line of the entry it is about.

use std::collections::BTreeMap;

use serde_yaml::{Mapping, Value};

use super::{MAX_YAML_BYTES, nesting_depth};
use crate::problem::Finding;
use crate::runbook::team::{Contact, System, Team};

const CONTACT_KEYS: [&str; 5] = ["name", "phone", "chat", "hours", "role"];
const SYSTEM_KEYS: [&str; 6] = ["what", "hosts", "owner", "depends_on", "dashboards", "logs"];

/// Parse a team file's text. Never fails: problems come back as findings.
pub(crate) fn parse_team(yaml: &str) -> (Team, Vec<Finding>) {
    let mut p = Parser { text: yaml, findings: Vec::new() };
    let mut team = Team::default();
    if yaml.len() > MAX_YAML_BYTES {
        p.error(1, format!("the team file is over {MAX_YAML_BYTES} bytes; it should be a page"));
        return (team, p.findings);
    }
    if nesting_depth(yaml) > 32 {
        p.error(1, "the team file nests too deeply; entries are one level of `key: value`".into());
        return (team, p.findings);
    }
    let top = match serde_yaml::from_str::<Value>(yaml) {
        Ok(Value::Mapping(m)) => m,
        Ok(Value::Null) => return (team, p.findings),
        Ok(_) => {
            p.error(1, "the team file must be a mapping with `contacts:`, `systems:` and `facts:`".into());
            return (team, p.findings);
        }
        Err(e) => {
            let (line, msg) = super::explain(yaml, &e);
            p.findings.push(Finding::error(Some(line.unwrap_or(1)), "yaml", format!("invalid YAML: {msg}")));
            return (team, p.findings);
        }
    };
    for (key, value) in top {
        let key = text(&key);
        match key.as_str() {
            "contacts" => team.contacts = p.entries(&key, value, |p, id, line, m| p.contact(id, line, m)),
            "systems" => team.systems = p.entries(&key, value, |p, id, line, m| p.system(id, line, m)),
            "facts" => team.facts = p.facts(value),
            other => {
                let line = p.key_line(other);
                p.warning(line, format!("unknown key `{other}`; the team file has `contacts`, `systems` and `facts`"));
            }
        }
    }
    (team, p.findings)
}

struct Parser<'a> {
    text: &'a str,
    findings: Vec<Finding>,
}

impl Parser<'_> {
    fn error(&mut self, line: usize, msg: String) {
        self.findings.push(Finding::error(Some(line), "team", msg));
    }

    fn warning(&mut self, line: usize, msg: String) {
        self.findings.push(Finding::warning(Some(line), "team", msg));
    }

    /// The line of a top-level key.
    fn key_line(&self, key: &str) -> usize {
        self.text.lines().position(|l| key_of(l) == Some(key)).map_or(1, |i| i.saturating_add(1))
    }

    /// The line of entry `id` under the top-level `section`.
    fn entry_line(&self, section: &str, id: &str) -> usize {
        let start = self.key_line(section);
        let found =
            self.text.lines().enumerate().skip(start).take_while(|(_, l)| !starts_top_level(l)).find(|(_, l)| {
                let t = l.trim_start();
                key_of(t) == Some(id)
            });
        found.map_or(start, |(i, _)| i.saturating_add(1))
    }

    /// A mapping of id -> entry, each read by `read` (which may drop it).
    fn entries<T>(
        &mut self,
        section: &str,
        value: Value,
        read: impl Fn(&mut Self, String, usize, Mapping) -> Option<T>,
    ) -> BTreeMap<String, T> {
        let mut out = BTreeMap::new();
        let map = match value {
            Value::Mapping(m) => m,
            Value::Null => return out,
            _ => {
                let line = self.key_line(section);
                self.error(line, format!("`{section}` should be a mapping of id: {{...}} entries"));
                return out;
            }
        };
        for (id, entry) in map {
            let id = text(&id);
            let line = self.entry_line(section, &id);
            if !is_id(&id) {
                self.error(line, format!("`{id}` is not a usable id; use lowercase letters, digits, `-` and `_`"));
                continue;
            }
            let Value::Mapping(m) = entry else {
                self.error(line, format!("`{id}` should be a mapping of fields ({section} entry)"));
                continue;
            };
            if let Some(v) = read(self, id.clone(), line, m) {
                out.insert(id, v);
            }
        }
        out
    }

    fn unknown_fields(&mut self, id: &str, line: usize, m: &Mapping, known: &[&str]) {
        for k in m.keys().map(text) {
            if !known.contains(&k.as_str()) {
                self.warning(line, format!("`{id}`: unknown field `{k}` (known: {})", known.join(", ")));
            }
        }
    }

    fn contact(&mut self, id: String, line: usize, m: Mapping) -> Option<Contact> {
        self.unknown_fields(&id, line, &m, &CONTACT_KEYS);
        let field = |k: &str| m.get(k).map(text).filter(|s| !s.trim().is_empty());
        let Some(name) = field("name") else {
            self.error(line, format!("contact `{id}` has no `name`; write who they are (\"Platform on-call\")"));
            return None;
        };
        Some(Contact {
            name,
            phone: field("phone"),
            chat: field("chat"),
            hours: field("hours"),
            role: field("role"),
            line,
            id,
            file: std::path::PathBuf::new(),
        })
    }

    fn system(&mut self, id: String, line: usize, m: Mapping) -> Option<System> {
        self.unknown_fields(&id, line, &m, &SYSTEM_KEYS);
        let Some(what) = m.get("what").map(text).filter(|s| !s.trim().is_empty()) else {
            self.error(line, format!("system `{id}` has no `what`; say in a few words what it is"));
            return None;
        };
        let mut list = |k: &str| match m.get(k) {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Sequence(items)) => items.iter().map(text).filter(|s| !s.trim().is_empty()).collect(),
            Some(Value::String(s)) => vec![crate::text::clean(s).into_owned()],
            Some(_) => {
                self.error(line, format!("system `{id}`: `{k}` should be a list"));
                Vec::new()
            }
        };
        let (hosts, depends_on, dashboards, logs) =
            (list("hosts"), list("depends_on"), list("dashboards"), list("logs"));
        let owner = m.get("owner").map(text).filter(|s| !s.trim().is_empty());
        Some(System { id, what, hosts, owner, depends_on, dashboards, logs, line, file: std::path::PathBuf::new() })
    }

    fn facts(&mut self, value: Value) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        let map = match value {
            Value::Mapping(m) => m,
            Value::Null => return out,
            _ => {
                let line = self.key_line("facts");
                self.error(line, "`facts` should be a mapping of NAME: value".into());
                return out;
            }
        };
        for (name, v) in map {
            let name = text(&name);
            let line = self.entry_line("facts", &name);
            if !is_fact_name(&name) {
                self.error(
                    line,
                    format!("fact `{name}` should be named like a shell variable: APP_SERVICE, HEALTH_URL"),
                );
                continue;
            }
            if matches!(v, Value::Mapping(_) | Value::Sequence(_)) {
                self.error(line, format!("fact `{name}` should be one value"));
                continue;
            }
            out.insert(name, text(&v));
        }
        out
    }
}

/// A scalar as text, cleaned of control characters.
fn text(v: &Value) -> String {
    let s = match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => String::new(),
    };
    crate::text::clean(&s).into_owned()
}

/// The key of a `key: value` line, unquoted.
fn key_of(line: &str) -> Option<&str> {
    let (k, _) = line.split_once(':')?;
    Some(k.trim().trim_matches(['"', '\'']))
}

fn starts_top_level(line: &str) -> bool {
    !line.is_empty() && !line.starts_with([' ', '\t', '#', '-'])
}

/// Contact and system ids: lowercase letters, digits, `-` and `_`.
pub(crate) fn is_id(id: &str) -> bool {
    !id.is_empty() && id.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// Fact and input names: shell variables in capitals (`APP_SERVICE`).
pub(crate) fn is_fact_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEAM: &str = "# ours\ncontacts:\n  platform: {name: Platform on-call, phone: \"+1 555 0100\", chat: \"#platform\", hours: 24/7}\n  dba:\n    name: Database owner\n    role: PostgreSQL\nsystems:\n  nginx: {what: Web server, hosts: [web-1, web-2], owner: platform, depends_on: [app]}\n  app: {what: Our application, owner: dba, logs: /var/log/app.log}\nfacts:\n  APP_SERVICE: myapp\n  PORT: 8080\n";

    #[test]
    fn a_team_file_reads_into_contacts_systems_and_facts_with_lines() {
        let (t, f) = parse_team(TEAM);
        assert!(f.is_empty(), "{f:?}");
        let p = &t.contacts["platform"];
        assert_eq!((p.name.as_str(), p.line), ("Platform on-call", 3));
        assert_eq!(p.reach().as_deref(), Some("+1 555 0100 · #platform · 24/7"));
        assert_eq!((t.contacts["dba"].line, t.contacts["dba"].role.as_deref()), (4, Some("PostgreSQL")));
        let n = &t.systems["nginx"];
        assert_eq!((n.hosts.len(), n.owner.as_deref(), n.line), (2, Some("platform"), 8));
        assert_eq!(t.systems["app"].logs, ["/var/log/app.log"]);
        assert_eq!(t.facts["PORT"], "8080");
    }

    #[test]
    fn a_bad_entry_costs_only_itself_and_names_its_line() {
        let y = "contacts:\n  ok: {name: Ok}\n  noname: {phone: 1}\n  Bad Id: {name: x}\nsystems:\n  web: {hosts: [a]}\n  db: {what: DB, colour: red}\nfacts:\n  lower: x\n  GOOD: y\nextra: 1\n";
        let (t, f) = parse_team(y);
        assert_eq!(t.contacts.keys().collect::<Vec<_>>(), ["ok"]);
        assert_eq!(t.systems.keys().collect::<Vec<_>>(), ["db"]);
        assert_eq!(t.facts.keys().collect::<Vec<_>>(), ["GOOD"]);
        let at = |needle: &str| f.iter().find(|x| x.message.contains(needle)).and_then(|x| x.line);
        assert_eq!(at("no `name`"), Some(3));
        assert_eq!(at("not a usable id"), Some(4));
        assert_eq!(at("no `what`"), Some(6));
        assert_eq!(at("unknown field `colour`"), Some(7));
        assert_eq!(at("fact `lower`"), Some(9));
        assert_eq!(at("unknown key `extra`"), Some(11));
    }

    #[test]
    fn broken_yaml_is_one_finding_with_a_line() {
        let (t, f) = parse_team("contacts:\n  a: {name: [x\n");
        assert!(t.contacts.is_empty() && t.systems.is_empty() && t.facts.is_empty());
        assert_eq!(f.len(), 1);
        assert!(f[0].line.is_some_and(|l| l >= 2), "{f:?}");
        let (_, f) = parse_team(&format!("a: {}{}\n", "[".repeat(5000), "]".repeat(5000)));
        assert_eq!(f.len(), 1);
    }
}
