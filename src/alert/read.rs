//! Reading alerts from what a responder has: an Alertmanager webhook payload, Grafana's
//! webhook payload (unified alerting, and the legacy one with `ruleName`), a single alert
//! object or a list of them (Alertmanager's API), or pasted text: the default notification
//! (`[FIRING:1] AlertName (label values)`, then `Labels:` and `Annotations:` lists), a bare
//! alert name, or a ticket in plain words. Input is capped; every string is cleaned of
//! control characters; a malformed JSON payload is an error that says where.

use std::collections::BTreeMap;

use serde_json::Value;

use super::{Alert, Status};

/// The most input read (a webhook payload of 100 alerts is about 200 KB).
pub const MAX_BYTES: usize = 1024 * 1024;
/// The most alerts kept from one payload; the rest are said to be left out.
const MAX_ALERTS: usize = 100;
/// The most labels or annotations kept per alert, and the longest value kept.
const MAX_PAIRS: usize = 64;
const MAX_VALUE: usize = 4096;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AlertError {
    #[error("the alert is over the {MAX_BYTES}-byte limit; pass one payload, not a log")]
    TooLarge,
    #[error("the alert is not UTF-8 text")]
    NotText,
    #[error("nothing to read: the input is empty")]
    Empty,
    #[error("the alert's JSON is malformed at line {line}, column {column}: {message}")]
    Json { line: usize, column: usize, message: String },
    #[error(
        "the JSON holds no alert: expected an Alertmanager or Grafana webhook payload (`alerts`), an alert (`labels`) or a list of alerts"
    )]
    NotAnAlert,
}

/// What was read: the alerts, in the order given, and how many more there were than are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Read {
    pub alerts: Vec<Alert>,
    pub left_out: usize,
}

/// The alerts in `bytes`.
pub fn read(bytes: &[u8]) -> Result<Read, AlertError> {
    if bytes.len() > MAX_BYTES {
        return Err(AlertError::TooLarge);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| AlertError::NotText)?;
    let text = crate::text::normalize_newlines(text.trim_start_matches('\u{feff}'));
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(AlertError::Empty);
    }
    if is_json(trimmed) {
        let value: Value = serde_json::from_str(trimmed).map_err(|e| AlertError::Json {
            line: e.line(),
            column: e.column(),
            message: crate::text::one_line(&e.to_string()),
        })?;
        let (alerts, left_out) = from_json(&value);
        return if alerts.is_empty() { Err(AlertError::NotAnAlert) } else { Ok(Read { alerts, left_out }) };
    }
    // A JSON string (`"NodeClockSkewDetected"`): its text.
    let unquoted = serde_json::from_str::<String>(trimmed).ok();
    let (alerts, left_out) = from_text(unquoted.as_deref().map_or(trimmed, str::trim));
    Ok(Read { alerts, left_out })
}

/// Whether pasted text is an alert rather than search words: JSON with alerts in it, or an
/// Alertmanager notification (its `[FIRING:n]` title or its `Labels:` list).
pub fn looks_like_alert(text: &str) -> bool {
    let t = text.trim();
    if is_json(t) {
        return read(t.as_bytes()).is_ok();
    }
    t.lines().any(|l| title(l).is_some()) || t.lines().any(|l| l.trim() == "Labels:")
}

/// JSON: an object, or a list whose first item is an object (`[{`); a notification's
/// `[FIRING:1]` title, or a ticket such as `[prod] disk full`, is text.
fn is_json(t: &str) -> bool {
    t.starts_with('{') || t.strip_prefix('[').is_some_and(|rest| rest.trim_start().starts_with(['{', ']']))
}

fn clean(s: &str) -> String {
    let s = crate::text::clean(s.trim());
    match s.char_indices().nth(MAX_VALUE) {
        Some((cut, _)) => s.get(..cut).unwrap_or_default().to_owned(),
        None => s.into_owned(),
    }
}

fn string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(clean(s)),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn pairs(v: Option<&Value>) -> BTreeMap<String, String> {
    let Some(Value::Object(map)) = v else { return BTreeMap::new() };
    map.iter().take(MAX_PAIRS).filter_map(|(k, v)| Some((clean(k), string(v)?))).collect()
}

/// The alerts of a JSON payload, and how many were left out (over `MAX_ALERTS`, or
/// Alertmanager's `truncatedAlerts`, those it did not send).
fn from_json(v: &Value) -> (Vec<Alert>, usize) {
    let list = |items: &[Value], status: Option<&str>| {
        let alerts: Vec<Alert> = items.iter().take(MAX_ALERTS).filter_map(|a| alert_object(a, status)).collect();
        (alerts, items.len().saturating_sub(MAX_ALERTS))
    };
    match v {
        Value::Array(items) => list(items, None),
        Value::Object(map) => {
            if let Some(Value::Array(items)) = map.get("alerts") {
                let status = map.get("status").and_then(string);
                let (alerts, over) = list(items, status.as_deref());
                let truncated = map.get("truncatedAlerts").and_then(Value::as_u64).unwrap_or(0);
                (alerts, over.saturating_add(usize::try_from(truncated).unwrap_or(usize::MAX)))
            } else if map.contains_key("ruleName") || map.contains_key("evalMatches") {
                (legacy_grafana(map).into_iter().collect(), 0)
            } else {
                (alert_object(v, None).into_iter().collect(), 0)
            }
        }
        _ => (Vec::new(), 0),
    }
}

/// One alert object: `labels` (with `alertname`), `annotations`, `status`, `startsAt`.
fn alert_object(v: &Value, payload_status: Option<&str>) -> Option<Alert> {
    let Value::Object(map) = v else { return None };
    let labels = pairs(map.get("labels"));
    let annotations = pairs(map.get("annotations"));
    let name = labels.get("alertname").cloned().or_else(|| map.get("name").and_then(string))?;
    // Alertmanager's webhook says "firing"/"resolved"; its API an object with a state.
    let status = match map.get("status") {
        Some(Value::String(s)) => status_of(s),
        Some(Value::Object(o)) => o.get("state").and_then(Value::as_str).map_or(Status::Unknown, status_of),
        _ => payload_status.map_or(Status::Unknown, status_of),
    };
    Some(Alert {
        name,
        summary: annotations.get("summary").or_else(|| annotations.get("message")).cloned(),
        description: annotations.get("description").cloned(),
        runbook_url: annotations.get("runbook_url").or_else(|| annotations.get("runbook")).cloned(),
        labels,
        status,
        starts_at: map.get("startsAt").and_then(string),
        text: None,
    })
}

fn status_of(s: &str) -> Status {
    match s.to_ascii_lowercase().as_str() {
        "firing" | "active" | "alerting" => Status::Firing,
        "resolved" | "ok" | "inactive" | "normal" => Status::Resolved,
        _ => Status::Unknown,
    }
}

/// Grafana's legacy webhook: `ruleName`, `title`, `message`, `state`, `tags`.
fn legacy_grafana(map: &serde_json::Map<String, Value>) -> Option<Alert> {
    let name = map.get("ruleName").and_then(string).or_else(|| map.get("title").and_then(string))?;
    let mut labels = pairs(map.get("tags"));
    labels.insert("alertname".into(), name.clone());
    Some(Alert {
        name,
        labels,
        summary: map.get("title").and_then(string),
        description: map.get("message").and_then(string),
        runbook_url: None,
        status: map.get("state").and_then(Value::as_str).map_or(Status::Unknown, status_of),
        starts_at: None,
        text: None,
    })
}

/// `[FIRING:2] NodeFilesystemSpaceFillingUp (web-03 /var warning)`: status, name, values.
/// Alertmanager writes `[RESOLVED]` without a count, Grafana `[FIRING:2, RESOLVED:1]`: firing
/// while any fires.
fn title(line: &str) -> Option<(Status, &str, &str)> {
    let rest = line.trim().strip_prefix('[')?;
    let (head, rest) = rest.split_once(']')?;
    let mut status = None;
    for part in head.split(',') {
        let (state, count) = part.split_once(':').unwrap_or((part, "0"));
        count.trim().parse::<usize>().ok()?;
        status = match (state.trim(), status) {
            ("FIRING", _) => Some(Status::Firing),
            ("RESOLVED", None) => Some(Status::Resolved),
            ("RESOLVED", kept) => kept,
            _ => return None,
        };
    }
    let status = status?;
    let rest = rest.trim();
    let (name, values) = match rest.split_once(' ') {
        Some((name, values)) => (name, values.trim().trim_start_matches('(').trim_end_matches(')')),
        None => (rest, ""),
    };
    (!name.is_empty()).then_some((status, name, values))
}

/// Pasted text: a notification, a bare alert name, or a ticket; and how many alerts were
/// left out.
fn from_text(text: &str) -> (Vec<Alert>, usize) {
    let mut status = Status::Unknown;
    let mut title_name = None;
    let mut title_values = String::new();
    let mut alerts: Vec<Alert> = Vec::new();
    // Which list the ` - name = value` lines belong to.
    let mut in_labels = None::<bool>;
    let mut left_out = 0;
    for line in text.lines() {
        let t = line.trim();
        if let Some((s, name, values)) = title(t) {
            status = s;
            title_name = Some(clean(name));
            title_values = clean(values);
            continue;
        }
        match t.trim_matches('*') {
            // The default message lists firing alerts, then resolved ones, each under a heading.
            "Alerts Firing:" | "Firing" | "Firing:" => {
                status = Status::Firing;
                continue;
            }
            "Alerts Resolved:" | "Resolved" | "Resolved:" => {
                status = Status::Resolved;
                continue;
            }
            "Labels:" => {
                if alerts.len() == MAX_ALERTS {
                    left_out += 1;
                    in_labels = None;
                    continue;
                }
                alerts.push(Alert { status, ..Alert::default() });
                in_labels = Some(true);
                continue;
            }
            "Annotations:" => {
                in_labels = Some(false);
                continue;
            }
            _ => {}
        }
        let pair = t.strip_prefix("- ").and_then(|p| p.split_once(" = "));
        match (pair, in_labels, alerts.last_mut()) {
            (Some((k, v)), Some(labels), Some(alert)) => {
                // Annotations wait among the labels, marked, until `settle` moves them.
                let k = if labels { clean(k) } else { format!("annotation:{}", clean(k)) };
                if alert.labels.len() < 2 * MAX_PAIRS {
                    alert.labels.insert(k, clean(v));
                }
            }
            _ => {
                if t.starts_with("Source:") || t.is_empty() {
                    in_labels = None;
                }
            }
        }
    }
    for alert in &mut alerts {
        alert.settle();
    }
    alerts.retain(|a| !a.name.is_empty());
    if !alerts.is_empty() {
        return (alerts, left_out);
    }
    // A title alone: its first word is the alert's name when it is shaped like one (a
    // grouping without `alertname` puts label values there instead).
    if let Some(name) = title_name.filter(|n| super::route::is_alert_name(n)) {
        let mut labels = BTreeMap::new();
        labels.insert("alertname".to_owned(), name.clone());
        let text = (!title_values.is_empty()).then_some(title_values);
        return (vec![Alert { name, labels, status, text, ..Alert::default() }], left_out);
    }
    let words = clean(text);
    if !words.contains(char::is_whitespace) && super::route::is_alert_name(&words) {
        let mut labels = BTreeMap::new();
        labels.insert("alertname".to_owned(), words.clone());
        return (vec![Alert { name: words, labels, ..Alert::default() }], left_out);
    }
    let words: String = words.split_whitespace().collect::<Vec<_>>().join(" ");
    (vec![Alert { text: Some(crate::text::one_line(&words)), status, ..Alert::default() }], left_out)
}

impl Alert {
    /// A notification's annotations, kept among its labels as `annotation:KEY` while it was
    /// read, go to their fields.
    fn settle(&mut self) {
        let mut take = |key: &str| self.labels.remove(&format!("annotation:{key}"));
        let summary = take("summary").or_else(|| take("message"));
        let description = take("description");
        let runbook_url = take("runbook_url").or_else(|| take("runbook"));
        self.labels.retain(|k, _| !k.starts_with("annotation:"));
        self.summary = summary;
        self.description = description;
        self.runbook_url = runbook_url;
        self.name = self.labels.get("alertname").cloned().unwrap_or_default();
    }
}
