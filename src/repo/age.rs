//! How old the runbooks on this machine are: for a git checkout, its last commit touching
//! the folder and its last fetch (`runbook sync`, or any `git fetch`/`pull`); for a plain
//! folder, its newest runbook file (from the catalog's walk: no walk of its own). Read
//! locally: nothing here touches the network.

use std::path::{Path, PathBuf};

use jiff::Timestamp;

use super::git;
use crate::runbook::library::Catalog;

/// When the runbooks last changed and when this machine last fetched them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Age {
    /// The last commit touching the folder, else its newest file's modification time.
    pub changed: Option<Timestamp>,
    /// The last fetch from the upstream (git checkouts only).
    pub synced: Option<Timestamp>,
}

impl Age {
    /// The age of the catalog's folder `folder` (by position).
    pub(crate) fn of(catalog: &Catalog, folder: usize) -> Age {
        let Some(dir) = catalog.folders().get(folder) else { return Age::default() };
        if git::toplevel(dir).is_none() {
            // Not a checkout, or one git will not read for this user (another user's): its
            // newest file, and a fetch git recorded beside it.
            return Age { changed: newest_file(catalog, folder), synced: fetched_beside(dir) };
        }
        let changed = git::run(dir, &["log", "-1", "--format=%ct", "--", "."])
            .ok()
            .and_then(|s| s.parse::<i64>().ok())
            .and_then(|secs| Timestamp::from_second(secs).ok());
        let synced = git::run(dir, &["rev-parse", "--path-format=absolute", "--git-path", "FETCH_HEAD"])
            .ok()
            .and_then(|p| std::fs::metadata(PathBuf::from(p)).ok())
            .and_then(|m| m.modified().ok())
            .and_then(|t| Timestamp::try_from(t).ok());
        Age { changed, synced }
    }

    /// Several folders as one: the newest change, and the oldest sync (the folder most in
    /// need of one decides).
    pub(crate) fn of_all(catalog: &Catalog) -> Age {
        let ages: Vec<Age> = (0..catalog.folders().len()).map(|i| Age::of(catalog, i)).collect();
        Age { changed: ages.iter().filter_map(|a| a.changed).max(), synced: ages.iter().filter_map(|a| a.synced).min() }
    }

    /// `changed 2d ago, synced 3h ago` for a header line; `None` when nothing is known.
    pub(crate) fn short(&self, now: Timestamp) -> Option<String> {
        let parts: Vec<String> = [("changed", self.changed), ("synced", self.synced)]
            .into_iter()
            .filter_map(|(what, t)| t.map(|t| format!("{what} {}", ago(t, now, true))))
            .collect();
        (!parts.is_empty()).then(|| parts.join(", "))
    }

    /// `last change 2026-11-29 (2 days ago), last sync ...` for a line of `runbook list`.
    pub(crate) fn long(&self, now: Timestamp) -> String {
        let when = |t: Timestamp| {
            let local = t.to_zoned(jiff::tz::TimeZone::system()).strftime("%Y-%m-%d %H:%M").to_string();
            format!("{local} ({})", ago(t, now, false))
        };
        let changed =
            self.changed.map_or_else(|| "last change unknown".to_owned(), |t| format!("last change {}", when(t)));
        match self.synced {
            Some(t) => format!("{changed}, last sync {}", when(t)),
            None => changed,
        }
    }
}

/// The last fetch of a checkout found by its path (`.git/FETCH_HEAD` in `dir` or above).
fn fetched_beside(dir: &Path) -> Option<Timestamp> {
    let absolute = std::path::absolute(dir).ok()?;
    let fetch_head = absolute.ancestors().map(|a| a.join(".git/FETCH_HEAD")).find(|p| p.is_file())?;
    let modified = std::fs::metadata(fetch_head).ok()?.modified().ok()?;
    Timestamp::try_from(modified).ok()
}

/// The newest modification time of the folder's runbook files, as the catalog's walk found
/// them (`None` before the walk).
fn newest_file(catalog: &Catalog, folder: usize) -> Option<Timestamp> {
    let ns = catalog.files().iter().filter(|c| c.root == folder).map(|c| c.mtime_ns).max()?;
    Timestamp::from_nanosecond(ns).ok()
}

/// How long ago `then` was: `3h ago` (short) or `3 hours ago`.
pub(crate) fn ago(then: Timestamp, now: Timestamp, short: bool) -> String {
    let secs = now.as_second().saturating_sub(then.as_second());
    if secs < 60 {
        return if secs < -60 { "in the future (check the clock)".into() } else { "just now".into() };
    }
    let units: [(i64, &str, &str); 5] = [
        (365 * 86_400, "y", "year"),
        (7 * 86_400, "w", "week"),
        (86_400, "d", "day"),
        (3_600, "h", "hour"),
        (60, "m", "minute"),
    ];
    let (size, s, long) = units.iter().copied().find(|(size, _, _)| secs >= *size).unwrap_or((60, "m", "minute"));
    let n = secs / size;
    if short {
        format!("{n}{s} ago")
    } else if n == 1 {
        format!("1 {long} ago")
    } else {
        format!("{n} {long}s ago")
    }
}

#[cfg(test)]
mod tests {
    use jiff::ToSpan as _;

    use super::*;

    #[test]
    fn ago_picks_the_largest_whole_unit() {
        let now = Timestamp::from_second(1_000_000_000).unwrap_or(Timestamp::UNIX_EPOCH);
        let back = |secs: i64| now.checked_sub(secs.seconds()).unwrap_or(now);
        assert_eq!(ago(back(5), now, true), "just now");
        assert_eq!(ago(back(61), now, false), "1 minute ago");
        assert_eq!(ago(back(3 * 3600 + 5), now, true), "3h ago");
        assert_eq!(ago(back(2 * 86_400), now, false), "2 days ago");
        assert_eq!(ago(back(15 * 86_400), now, true), "2w ago");
        assert_eq!(ago(back(800 * 86_400), now, false), "2 years ago");
        assert_eq!(ago(now.checked_add(3600.seconds()).unwrap_or(now), now, true), "in the future (check the clock)");
    }

    #[test]
    fn short_says_only_what_is_known() {
        let now = Timestamp::from_second(1_000_000_000).unwrap_or(Timestamp::UNIX_EPOCH);
        let day = now.checked_sub(86_400.seconds()).ok();
        assert_eq!(Age::default().short(now), None);
        assert_eq!(Age { changed: day, synced: None }.short(now).as_deref(), Some("changed 1d ago"));
        assert_eq!(
            Age { changed: day, synced: Some(now) }.short(now).as_deref(),
            Some("changed 1d ago, synced just now")
        );
    }
}
