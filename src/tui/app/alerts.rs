//! Alerts in the TUI: those `runbook alert` brought (routed before the TUI started) and
//! those pasted into the search box (routed here, on the index the search uses). One alert
//! opens its runbook at once; several are listed to choose from. Answering an alert records
//! it in the journal, puts its summary in the guide's header and its labels in the inputs
//! that name them.

use std::time::Instant;

use super::App;
use crate::alert::Found;
use crate::journal::Event;
use crate::tui::background::IndexState;
use crate::tui::outbox::{OpenedFrom, Opening};
use crate::tui::overlay::Overlay;

/// How many runbooks are kept per pasted alert.
const ROUTED: usize = 5;

impl App {
    /// Alerts to answer: one is answered at once, several are offered as a list.
    pub(crate) fn take_alerts(&mut self, found: Vec<Found>, now: Instant) {
        self.alerts = found;
        self.current_alert = None;
        match self.alerts.len() {
            0 => {}
            1 => self.answer_alert(0, now),
            n => {
                self.list_alerts(now);
                self.out.say(format!("{n} alerts: choose the one to work on (F4 lists them again)"), now);
            }
        }
    }

    /// The alerts of this session, to work on another (F4).
    pub(crate) fn list_alerts(&mut self, now: Instant) {
        if self.alerts.is_empty() {
            self.out.say("No alert in this session: paste one into the search, or start with `runbook alert`", now);
            return;
        }
        let lines = self.alerts.iter().map(alert_line).collect();
        self.overlay = Some(Overlay::Alerts { lines, selected: self.current_alert.unwrap_or(0) });
    }

    /// Work on the `i`-th alert: record it, then open its best runbook (or search its words
    /// when none was found).
    pub(crate) fn answer_alert(&mut self, i: usize, now: Instant) {
        let Some(f) = self.alerts.get(i).cloned() else { return };
        self.current_alert = Some(i);
        let a = &f.alert;
        self.incident.set_alert(a);
        self.out.log(Event::Alert {
            name: a.name.clone(),
            labels: a.labels.clone(),
            status: a.status.as_str().to_owned(),
            starts_at: a.starts_at.clone(),
            summary: a.summary.clone(),
            text: a.text.clone(),
        });
        let dangling = if f.dangling.is_some() { "; its runbook_url names no runbook here" } else { "" };
        match f.routed.first() {
            Some(r) => {
                let at = r.entry.at.clone();
                let named = r.section.is_some();
                let from = OpenedFrom::Search { named, escalate: false };
                self.out.push(crate::tui::outbox::Effect::Open(Opening { at, section: r.section.clone(), from }));
                let more = match (self.alerts.len(), f.routed.len()) {
                    (1, 1) => "",
                    (1, _) => "; Esc for the other runbooks",
                    _ => "; F4 for the other alerts",
                };
                let said = format!("Opened for {}: {}{dangling}{more}", a.headline(), r.found_by.says());
                self.out.say(crate::text::one_line(&said), now);
                self.search.show_routed(&f, now);
            }
            None => {
                self.search.show_routed(&f, now);
                let said = format!("No runbook found for {}{dangling}: search its words", a.headline());
                self.out.say(crate::text::one_line(&said), now);
            }
        }
    }

    /// A paste that is an alert (its JSON, or an Alertmanager notification): routed as
    /// `runbook alert` would. `false` when it is not one, or the index is not ready.
    pub(super) fn paste_alert(&mut self, text: &str, now: Instant) -> bool {
        if !crate::alert::looks_like_alert(text) {
            return false;
        }
        let IndexState::Ready(index) = &self.index else {
            self.pending_alert = Some(text.to_owned());
            self.out.say("Alert pasted: its runbook opens as soon as the index is ready", now);
            return true;
        };
        match crate::alert::read(text.as_bytes()) {
            Ok(read) => {
                let found = crate::alert::route_all(index, &read.alerts, ROUTED);
                self.take_alerts(found, now);
                if read.left_out > 0 {
                    self.out.say(
                        format!(
                            "{} more alert(s) left out: only the first {} are read",
                            read.left_out,
                            read.alerts.len()
                        ),
                        now,
                    );
                }
            }
            Err(e) => self.out.say(format!("The pasted alert could not be read: {e}"), now),
        }
        true
    }
}

/// One alert in the list, on one row: what fired and the runbook found for it first, then
/// its labels (cut at the edge of a narrow screen).
fn alert_line(f: &Found) -> String {
    let to = f.routed.first().map_or_else(|| "no runbook found".to_owned(), |r| r.entry.title.clone());
    let a = &f.alert;
    let name = if a.name.is_empty() { "ticket" } else { a.name.as_str() };
    let labels: Vec<String> =
        a.labels.iter().filter(|(k, _)| k.as_str() != "alertname").map(|(k, v)| format!("{k}={v}")).collect();
    crate::text::one_line(&format!("{name} [{}] -> {to}  {}", a.status.as_str(), labels.join(", ")))
}
