//! `runbook insights`: what responders did, over many session journals, so that the people who
//! write the runbooks learn which to write next. [`analyze`] is pure over journals already
//! read; [`table`] and [`markdown`] print its result. Nothing leaves the machine.
//!
//! The rules, simple enough to check a number by hand:
//!
//! - **Sessions**: one journal file is one session (a resumed session appends to its file).
//!   It starts at its `session_start`, else at its first record; with a [`Period`], only the
//!   sessions that started at or after its start count. Drills (`session_start` with a `drill`)
//!   never count, nor do journals with no readable record; how many were left out is said.
//! - **Every count is of sessions**: a query searched twice in one session counts once.
//! - **Queries** are normalised: trimmed, lowercased, each run of whitespace one space.
//! - **Typing bursts**: the TUI writes the query each time typing pauses, so `disk`, `disk fu`,
//!   `disk full` may all be in a journal. Two searches in a row are one burst when no `open`
//!   came between them and one normalised query starts with the other (typing on, or erasing);
//!   only the burst's last search counts, with its result count.
//! - **Found nothing**: a burst's last search had `results: 0`.
//! - **Never opened**: a burst's last search found something (or is from a journal too old to
//!   say) and no `open` followed it before the next burst or the end of the session.
//! - **Runbooks used**: sessions with any event in the runbook (open, section, step...).
//! - **Steps**: no runbook is loaded (the folders a journal names are on other machines), so a
//!   section's steps are the ones the counted journals show: a step exists when some session
//!   checked, unchecked or confirmed it. Every session that was in its section *saw* it; those
//!   where it was not checked at their end *left it unchecked* (never checked, or checked and
//!   then unchecked). A step no session ever checked is not known, so not listed.
//! - **Escalated**: the session's last escalation (the contacts looked at) had no `open` or
//!   `section` after it, or its last place is an Escalate section (titled Escalate or
//!   Escalation). It is counted at the section escalated from: the escalation's place, or the
//!   last place before the Escalate section.
//! - **Abandoned**: not escalated, and the last place is a section with known steps, some of
//!   them not checked at the end; whether the session was quit or cut off does not matter.
//! - Lists are sorted most sessions first, then by name; JSON has them whole, [`table`] and
//!   [`markdown`] show the first [`TOP`] and say how many more.

mod render;
mod tally;

use serde::Serialize;

use super::{Event, Log, Stamp};
pub use render::{TABLE_WIDTH, markdown, table};

/// How many rows of each list [`table`] and [`markdown`] show.
pub(crate) const TOP: usize = 10;

/// Why `runbook insights` cannot do what it was asked.
#[derive(Debug, thiserror::Error)]
pub enum InsightsError {
    #[error("`{0}` is not a period like 30d, 2w or 12h")]
    Since(String),
}

/// The start of the period `text` (`30d`, `2w`, `12h`, `1h 30m`) before `now`.
pub fn since(text: &str, now: &jiff::Zoned) -> Result<jiff::Timestamp, InsightsError> {
    let bad = || InsightsError::Since(crate::text::one_line(text).chars().take(40).collect());
    // The frontmatter's friendly durations (`30d`, `2w`, `1h 30m`), as `review_every` reads them.
    let span = crate::runbook::frontmatter::parse_duration(text).ok_or_else(bad)?;
    if span.is_zero() || span.is_negative() {
        return Err(bad());
    }
    now.checked_sub(span).map(|z| z.timestamp()).map_err(|_| bad())
}

/// Which sessions count: those that started at or after `since` (all when `None`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Period {
    pub since: Option<jiff::Timestamp>,
    /// How it was asked for (`30d`), for the header.
    pub label: Option<String>,
}

/// A journal that could not be read, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unread {
    pub journal: String,
    pub why: String,
}

/// Everything `runbook insights` reports. Every string in it is one clean line.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Insights {
    /// Sessions counted.
    pub sessions: usize,
    /// The first counted session's start and the last one's last record.
    pub first: Option<Stamp>,
    pub last: Option<Stamp>,
    pub since: Option<jiff::Timestamp>,
    pub since_label: Option<String>,
    /// Left out: drills, sessions before the period, journals with no readable record.
    pub drills: usize,
    pub before_period: usize,
    pub empty: usize,
    /// Lines skipped in the journals read (a half-written last line, a hand edit).
    pub unreadable_lines: usize,
    /// Journals not read at all (filled in by whoever read them).
    pub unread: Vec<Unread>,
    pub found_nothing: Vec<QueryCount>,
    /// Sessions with a search that found nothing: each may become a draft runbook.
    pub to_draft: Vec<ToDraft>,
    pub never_opened: Vec<QueryCount>,
    pub runbooks: Vec<RunbookCount>,
    pub escalated: Vec<SectionCount>,
    pub abandoned: Vec<SectionCount>,
    pub unchecked: Vec<StepCount>,
    pub risky: Vec<RiskyCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QueryCount {
    pub query: String,
    pub sessions: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunbookCount {
    pub runbook: String,
    pub title: String,
    pub sessions: usize,
}

/// A section of a runbook, by id and title.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Where {
    pub runbook: String,
    pub title: String,
    pub section: String,
    pub section_title: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SectionCount {
    #[serde(flatten)]
    pub at: Where,
    pub sessions: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepCount {
    #[serde(flatten)]
    pub at: Where,
    pub text: String,
    /// Sessions that were in its section, and those of them that left it unchecked.
    pub seen: usize,
    pub unchecked: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RiskyCount {
    #[serde(flatten)]
    pub at: Where,
    pub text: String,
    /// Sessions that confirmed it, and those that did with earlier steps not done.
    pub sessions: usize,
    pub out_of_order: usize,
}

/// A query as it is grouped: trimmed, lowercased, whitespace collapsed, one clean line.
pub(crate) fn normalise(query: &str) -> String {
    crate::text::one_line(query).split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

impl Period {
    /// Whether a session (its records) started within the period.
    pub(crate) fn counts(&self, records: &[super::Record]) -> bool {
        let start = records.iter().find(|r| matches!(r.event, Event::SessionStart { .. })).or(records.first());
        match (self.since, start) {
            (None, Some(_)) => true,
            (Some(from), Some(s)) => s.at.timestamp().is_some_and(|t| t >= from),
            (_, None) => false,
        }
    }
}

/// A session whose searches found nothing, and the command that drafts a runbook from it
/// (filled by the caller, who knows where the journal was read from).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ToDraft {
    pub session: String,
    #[serde(skip)]
    pub journal: std::path::PathBuf,
    /// What was searched in vain.
    pub queries: Vec<String>,
    pub command: String,
}

/// The last search of a typing burst: its query (normalised), how many it found, and
/// whether a runbook was opened after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Burst {
    pub query: String,
    /// The burst's last query as typed (one line, trimmed): what a search runs again.
    pub typed: String,
    pub results: Option<usize>,
    pub opened: bool,
}

/// A session's searches, each typing burst as its last search (see the rules above).
pub(crate) fn bursts(records: &[super::Record]) -> Vec<Burst> {
    let mut out = Vec::new();
    let mut burst: Option<Burst> = None;
    for r in records {
        match &r.event {
            Event::Search { query, results } => {
                let query = normalise(query);
                if query.is_empty() {
                    continue;
                }
                match burst.take() {
                    Some(b) if !b.opened && same_burst(&b.query, &query) => {}
                    Some(b) => out.push(b),
                    None => {}
                }
                let typed = crate::text::one_line(query_typed(&r.event)).trim().to_owned();
                burst = Some(Burst { query, typed, results: *results, opened: false });
            }
            Event::Open { .. } => {
                if let Some(b) = &mut burst {
                    b.opened = true;
                }
            }
            _ => {}
        }
    }
    out.extend(burst);
    out
}

fn query_typed(e: &Event) -> &str {
    match e {
        Event::Search { query, .. } => query,
        _ => "",
    }
}

/// Whether `next` goes on the typing burst whose last query is `prev` (both normalised).
pub(crate) fn same_burst(prev: &str, next: &str) -> bool {
    prev.starts_with(next) || next.starts_with(prev)
}

/// The counts over these journals; [`Insights::unread`] is left for the caller to fill.
pub fn analyze<'a>(journals: impl IntoIterator<Item = &'a Log>, period: &Period) -> Insights {
    let mut out = Insights { since: period.since, since_label: period.label.clone(), ..Insights::default() };
    let mut names = tally::Names::default();
    let mut sessions = Vec::new();
    for log in journals {
        out.unreadable_lines += log.unreadable;
        let records = log.records.as_slice();
        let start = records.iter().find(|r| matches!(r.event, Event::SessionStart { .. })).or(records.first());
        let (Some(start), Some(end)) = (start.map(|r| r.at), records.last().map(|r| r.at)) else {
            out.empty += 1;
            continue;
        };
        if period.since.is_some_and(|from| start.timestamp().is_none_or(|t| t < from)) {
            out.before_period += 1;
        } else if records.iter().any(|r| matches!(&r.event, Event::SessionStart { drill: Some(_), .. })) {
            out.drills += 1;
        } else {
            if out.first.is_none_or(|f| f.timestamp() > start.timestamp()) {
                out.first = Some(start);
            }
            if out.last.is_none_or(|l| l.timestamp() < end.timestamp()) {
                out.last = Some(end);
            }
            let nothing: Vec<String> =
                bursts(records).into_iter().filter(|b| b.results == Some(0)).map(|b| b.query).collect();
            if !nothing.is_empty() {
                let session = log.path.as_deref().map(super::session_id).unwrap_or_default();
                let journal = log.path.clone().unwrap_or_default();
                out.to_draft.push(ToDraft { session, journal, queries: nothing, command: String::new() });
            }
            sessions.push(tally::replay(records, &mut names));
        }
    }
    out.sessions = sessions.len();
    tally::count(&mut out, &sessions, &names);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_grouped_by_their_normal_form() {
        assert_eq!(normalise("  Kafka \t  LAG\n"), "kafka lag");
        assert_eq!(normalise("disk\u{1b}[2J full"), "disk[2j full");
        assert_eq!(normalise(" \t "), "");
    }

    #[test]
    fn a_burst_is_typing_on_or_erasing() {
        assert!(same_burst("dis", "disk full"));
        assert!(same_burst("disk full", "disk"));
        assert!(same_burst("disk", "disk"));
        assert!(!same_burst("disk full", "disk space"));
        assert!(!same_burst("kafka consumer lag", "kafka lag"));
    }
}
