//! Alerts in, runbooks out. An alert (from Alertmanager or Grafana, as JSON, or pasted as the
//! text a notification shows, or a ticket in plain words) is read into `Alert` values by
//! `read`; `route` finds each one's runbook in the open folders, saying how it was found
//! (its `runbook_url`, a runbook's `alerts:` list, a runbook named after it, a search of its
//! text); `rules` reads Prometheus rule files for `check --alerts`. Nothing here touches the
//! network: a `runbook_url` is matched against the runbooks' paths, never fetched.

mod read;
pub(crate) mod route;
pub(crate) mod rules;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use read::{AlertError, MAX_BYTES, Read, looks_like_alert, read};
pub use route::{FoundBy, Routed, route};

/// The most words of an alert that are searched.
const SEARCH_WORDS: usize = 64;

/// An alert and what was found for it: the runbooks, best first, and its `runbook_url` when
/// that named none of them.
#[derive(Debug, Clone)]
pub struct Found {
    pub alert: Alert,
    pub routed: Vec<Routed>,
    pub dangling: Option<String>,
}

/// Route every alert (see `route`).
pub fn route_all(index: &crate::search::SearchIndex, alerts: &[Alert], limit: usize) -> Vec<Found> {
    alerts
        .iter()
        .map(|a| {
            let (routed, dangling) = route(index, a, limit);
            Found { alert: a.clone(), routed, dangling }
        })
        .collect()
}

/// One alert as a responder receives it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alert {
    /// Its `alertname` label (empty for a ticket in plain words).
    pub name: String,
    /// Every label, `alertname` included.
    pub labels: BTreeMap<String, String>,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub runbook_url: Option<String>,
    pub status: Status,
    /// When it started firing, as the sender wrote it (RFC 3339 from Alertmanager).
    pub starts_at: Option<String>,
    /// Words to search when the alert is a ticket or a notification without labels.
    pub text: Option<String>,
}

/// Firing or resolved, as the sender says; `Unknown` for pasted words.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Firing,
    Resolved,
    #[default]
    Unknown,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Firing => "firing",
            Status::Resolved => "resolved",
            Status::Unknown => "unknown",
        }
    }
}

impl Alert {
    /// One line naming it: `NodeFilesystemSpaceFillingUp (instance=web-03:9100, mountpoint=/var)`.
    pub fn headline(&self) -> String {
        let labels: Vec<String> =
            self.labels.iter().filter(|(k, _)| k.as_str() != "alertname").map(|(k, v)| format!("{k}={v}")).collect();
        if self.name.is_empty() {
            return crate::text::one_line(&format!("ticket: {}", self.search_text()));
        }
        let line = if labels.is_empty() { self.name.clone() } else { format!("{} ({})", self.name, labels.join(", ")) };
        crate::text::one_line(&line)
    }

    /// The words a search for it uses: its name, summary and description (or the ticket), at
    /// most `SEARCH_WORDS` of them (a description can be a page long).
    pub fn search_text(&self) -> String {
        let parts = [Some(&self.name), self.summary.as_ref(), self.description.as_ref(), self.text.as_ref()];
        let words = parts.into_iter().flatten().flat_map(|p| p.split_whitespace());
        words.take(SEARCH_WORDS).collect::<Vec<_>>().join(" ")
    }
}
