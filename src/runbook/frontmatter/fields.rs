//! The frontmatter's fields: the raw shape serde_yaml reads (every known key as an untyped
//! value, so one wrong type costs only that field) and its validation into the model's
//! `Frontmatter`, with durations and enums read the friendly way.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_yaml::Value;

use crate::problem::Finding;
use crate::runbook::model::{Escalation, Frontmatter, Kind, Severity};

/// The raw shape of the frontmatter as YAML gives it: every known key as an untyped value,
/// so that one wrong type costs only that field.
#[derive(Debug, Default, Deserialize)]
pub(super) struct RawFrontmatter {
    id: Option<Value>,
    title: Option<Value>,
    summary: Option<Value>,
    /// Hugo's summary; used when `summary` is absent.
    description: Option<Value>,
    symptoms: Option<Value>,
    systems: Option<Value>,
    tags: Option<Value>,
    /// Hugo's tags; searched like tags.
    keywords: Option<Value>,
    aliases: Option<Value>,
    alerts: Option<Value>,
    draft: Option<Value>,
    kind: Option<Value>,
    severity: Option<Value>,
    start: Option<Value>,
    escalation: Option<Value>,
    last_reviewed: Option<Value>,
    review_every: Option<Value>,
    #[serde(flatten)]
    extra: serde_yaml::Mapping,
}

/// Turns the raw YAML values into a `Frontmatter`, one finding per field that is wrong.
pub(super) struct Validator {
    pub(super) findings: Vec<Finding>,
    pub(super) key_lines: BTreeMap<String, usize>,
}

impl Validator {
    fn wrong(&mut self, key: &str, expected: &str, got: &Value) {
        let line = self.key_lines.get(key).copied();
        self.findings.push(Finding::error(
            line,
            "type",
            format!("`{key}` should be {expected}, found {}; the field is ignored until fixed", describe(got)),
        ));
    }

    /// Strings are cleaned of control characters: YAML escapes (`"\e"`, `"\x9b"`) decode
    /// after the load-time strip.
    fn string(&mut self, key: &str, v: Option<Value>) -> Option<String> {
        match v? {
            Value::Null => None,
            Value::String(s) => Some(crate::text::clean(&s).into_owned()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            other => {
                self.wrong(key, "a string", &other);
                None
            }
        }
    }

    fn list(&mut self, key: &str, v: Option<Value>) -> Vec<String> {
        match v {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::String(s)) => vec![crate::text::clean(&s).into_owned()],
            Some(Value::Sequence(items)) => {
                let mut out = Vec::new();
                for item in items {
                    match item {
                        Value::String(s) => out.push(crate::text::clean(&s).into_owned()),
                        Value::Number(n) => out.push(n.to_string()),
                        Value::Null => {}
                        other => self.wrong(key, "a list of strings", &other),
                    }
                }
                out
            }
            Some(other) => {
                self.wrong(key, "a list of strings", &other);
                Vec::new()
            }
        }
    }

    pub(super) fn validate(&mut self, raw: RawFrontmatter) -> Frontmatter {
        let kind = self.string("kind", raw.kind).and_then(|k| {
            let kind = Kind::from_name(&k);
            if kind.is_none() {
                self.bad_value("kind", &k, "guide, procedure or reference");
            }
            kind
        });
        let severity = self.string("severity", raw.severity).and_then(|s| {
            let severity = Severity::from_name(&s);
            if severity.is_none() {
                self.bad_value("severity", &s, "low, medium, high or critical");
            }
            severity
        });
        let last_reviewed =
            self.string("last_reviewed", raw.last_reviewed).and_then(|s| match s.trim().parse::<jiff::civil::Date>() {
                Ok(d) => Some(d),
                Err(_) => {
                    self.bad_value("last_reviewed", &s, "a date such as 2026-11-01");
                    None
                }
            });
        let review_every = self.string("review_every", raw.review_every).and_then(|s| match parse_duration(&s) {
            Some(span) => Some(span),
            None => {
                self.bad_value("review_every", &s, "a duration such as 90d or 6 months");
                None
            }
        });
        let summary = self.string("summary", raw.summary);
        let description = self.string("description", raw.description);
        let mut tags = self.list("tags", raw.tags);
        tags.extend(self.list("keywords", raw.keywords));
        // Hugo uses `aliases` for redirect URLs (`/old/path/`); those are not names of a problem.
        let aliases = self.list("aliases", raw.aliases).into_iter().filter(|a| !a.starts_with('/')).collect();
        let alerts = self.alerts(raw.alerts);
        let draft = match raw.draft {
            None | Some(Value::Null) => false,
            Some(Value::Bool(b)) => b,
            Some(other) => {
                self.wrong("draft", "true or false", &other);
                false
            }
        };
        Frontmatter {
            id: self.string("id", raw.id).map(|s| s.trim().trim_matches('/').to_owned()).filter(|s| !s.is_empty()),
            title: self.string("title", raw.title).filter(|s| !s.trim().is_empty()),
            summary: summary.or(description),
            symptoms: self.list("symptoms", raw.symptoms),
            systems: self.list("systems", raw.systems),
            tags,
            aliases,
            alerts,
            draft,
            kind,
            severity,
            start: self.string("start", raw.start).map(|s| s.trim().trim_start_matches('#').to_owned()),
            escalation: self.escalation(raw.escalation),
            last_reviewed,
            review_every_days: review_every.and_then(|s| span_total(s, jiff::Unit::Day)),
            extra: raw.extra.into_iter().map(|(k, v)| (yaml_text(&k), yaml_text(&v))).collect(),
            key_lines: std::mem::take(&mut self.key_lines),
        }
    }

    /// Alert names: one word each (an alert's name is its `alertname` label, written without
    /// spaces by every monitoring system's convention); a name with a space is reported.
    fn alerts(&mut self, v: Option<Value>) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for name in self.list("alerts", v) {
            let name = name.trim().to_owned();
            if name.is_empty() || name.contains(char::is_whitespace) {
                self.bad_value("alerts", &name, "alert names, one word each, as the alert rule names them");
            } else if !out.contains(&name) {
                out.push(name);
            }
        }
        out
    }

    fn bad_value(&mut self, key: &str, value: &str, expected: &str) {
        let line = self.key_lines.get(key).copied();
        self.findings.push(Finding::error(line, "type", format!("`{key}: {value}` is not valid; expected {expected}")));
    }

    fn escalation(&mut self, v: Option<Value>) -> Vec<Escalation> {
        let items = match v {
            None | Some(Value::Null) => return Vec::new(),
            Some(Value::Sequence(items)) => items,
            Some(other) => {
                self.wrong("escalation", "a list of {who, when, after} or {name, contact, when, after}", &other);
                return Vec::new();
            }
        };
        let line = self.key_lines.get("escalation").copied();
        let mut out = Vec::new();
        for (n, item) in items.into_iter().enumerate() {
            let Value::Mapping(map) = item else {
                self.wrong("escalation", "a list of {who, when, after} or {name, contact, when, after}", &item);
                continue;
            };
            let get = |k: &str| map.get(k).cloned();
            let who = self.string("escalation", get("who")).map(|w| w.trim().to_owned()).filter(|w| !w.is_empty());
            let name = self
                .string("escalation", get("name"))
                .or_else(|| who.clone())
                .unwrap_or_else(|| format!("contact {}", n + 1));
            let after_minutes = match self.string("escalation", get("after")) {
                None => None,
                Some(s) => match parse_duration(&s).and_then(|d| span_total(d, jiff::Unit::Minute)) {
                    Some(m) => Some(m),
                    None => {
                        self.findings.push(Finding::error(
                            line,
                            "type",
                            format!("escalation `{name}`: `after: {s}` is not a duration; write e.g. 15m or 1h"),
                        ));
                        None
                    }
                },
            };
            out.push(Escalation {
                contact: self.string("escalation", get("contact")).filter(|c| !c.trim().is_empty()),
                when: self.string("escalation", get("when")),
                after_minutes,
                name,
                who,
                role: None,
            });
        }
        out
    }
}

/// Parse a friendly duration: `15m`, `1h 30m`, `90d`, `6 months`, `2w`.
pub(crate) fn parse_duration(s: &str) -> Option<jiff::Span> {
    let s = s.trim();
    if s.is_empty() || s.starts_with('-') {
        return None;
    }
    s.parse::<jiff::Span>().ok()
}

fn span_total(span: jiff::Span, unit: jiff::Unit) -> Option<i64> {
    let relative = jiff::civil::date(2000, 1, 1);
    #[allow(clippy::cast_possible_truncation)]
    span.total((unit, relative)).ok().map(|t| t.round() as i64)
}

fn describe(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

fn yaml_text(v: &Value) -> String {
    let text = match v {
        Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other).map(|s| s.trim_end().to_owned()).unwrap_or_default(),
    };
    crate::text::clean(&text).into_owned()
}
