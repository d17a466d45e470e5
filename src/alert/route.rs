//! Which runbook answers an alert, in the order an author would expect, each result saying
//! how it was found: the alert's `runbook_url` matched to a runbook's path (GitHub and GitLab
//! blob and raw URLs, published sites: the URL path's tail against runbook paths, case- and
//! extension-insensitive, no network); a runbook whose `alerts:` lists it; a runbook whose
//! file or title is its name (CamelCase or not); then a search of its name and text.

use serde::Serialize;

use super::Alert;
use crate::search::{Entry, SearchIndex};

/// How a runbook was found for an alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FoundBy {
    RunbookUrl,
    AlertsKey,
    Name,
    Search,
}

impl FoundBy {
    /// Said beside a result: how much to trust it.
    pub fn says(self) -> &'static str {
        match self {
            FoundBy::RunbookUrl => "the alert's runbook_url",
            FoundBy::AlertsKey => "the runbook lists this alert",
            FoundBy::Name => "named after the alert",
            FoundBy::Search => "search of the alert's words: check it fits",
        }
    }
}

/// A runbook found for an alert.
#[derive(Debug, Clone)]
pub struct Routed {
    pub entry: Entry,
    pub found_by: FoundBy,
    /// A section to open at (the URL's `#fragment`, or the search's best section).
    pub section: Option<String>,
    pub score: Option<f32>,
    pub snippet: String,
}

/// Whether `s` has the shape of an alert name: `[A-Za-z_:][A-Za-z0-9_:]*`.
pub fn is_alert_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

/// The runbooks for `alert`, best first, at most `limit`; and the `runbook_url` when it
/// named none of them.
pub fn route(index: &SearchIndex, alert: &Alert, limit: usize) -> (Vec<Routed>, Option<String>) {
    let entries = index.entries();
    let mut out: Vec<Routed> = Vec::new();
    let push = |entry: &Entry, found_by: FoundBy, section: Option<String>, out: &mut Vec<Routed>| {
        if !out.iter().any(|r| r.entry.at == entry.at) {
            let snippet = entry.summary.clone();
            out.push(Routed { entry: entry.clone(), found_by, section, score: None, snippet });
        }
    };
    let mut dangling = None;
    if let Some(url) = alert.runbook_url.as_deref().filter(|u| !u.trim().is_empty()) {
        let paths: Vec<&str> = entries.iter().map(|e| e.at.path.as_str()).collect();
        let (matched, fragment) = url_matches(&paths, url);
        if matched.is_empty() {
            dangling = Some(url.to_owned());
        }
        for e in matched.into_iter().filter_map(|i| entries.get(i)) {
            push(e, FoundBy::RunbookUrl, fragment.clone(), &mut out);
        }
    }
    if !alert.name.is_empty() {
        for e in entries.iter().filter(|e| e.alerts.iter().any(|a| a == &alert.name)) {
            push(e, FoundBy::AlertsKey, None, &mut out);
        }
        for e in entries.iter().filter(|e| e.alerts.iter().any(|a| a.eq_ignore_ascii_case(&alert.name))) {
            push(e, FoundBy::AlertsKey, None, &mut out);
        }
        for e in entries.iter().filter(|e| named_after(&alert.name, &e.at.path, &e.title)) {
            push(e, FoundBy::Name, None, &mut out);
        }
    }
    let query = alert.search_text();
    if !query.trim().is_empty() && out.len() < limit {
        for hit in index.search(&query, limit) {
            if !out.iter().any(|r| r.entry.at == hit.entry.at) {
                out.push(Routed {
                    section: hit.section.clone(),
                    score: Some(hit.score),
                    snippet: hit.snippet.text.clone(),
                    entry: hit.entry,
                    found_by: FoundBy::Search,
                });
            }
        }
    }
    out.truncate(limit);
    (out, dangling)
}

/// Lowercase letters and digits only: `NodeFilesystemSpaceFillingUp`, `node-filesystem-space
/// -filling-up` and "Node Filesystem Space Filling Up" are one name.
fn squash(s: &str) -> String {
    s.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()).collect()
}

/// Whether a runbook's file (its last part without the extension; an index page stands for
/// its folder) or its title is the alert's name, CamelCase or not.
pub(crate) fn named_after(alert: &str, path: &str, title: &str) -> bool {
    let name = squash(alert);
    !name.is_empty() && (segments(path).last().is_some_and(|s| squash(s) == name) || squash(title) == name)
}

/// A runbook path's parts, lowercase-comparable: extension dropped from the last, an index
/// page dropped for its folder.
fn segments(path: &str) -> Vec<&str> {
    let mut segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    if let Some(last) = segs.last_mut() {
        for ext in [".md", ".markdown", ".html", ".htm"] {
            if last.len() > ext.len() && last.to_ascii_lowercase().ends_with(ext) {
                *last = last.get(..last.len() - ext.len()).unwrap_or(last);
                break;
            }
        }
    }
    if segs.last().is_some_and(|l| ["_index", "index", "readme"].contains(&l.to_ascii_lowercase().as_str())) {
        segs.pop();
    }
    segs
}

/// The runbooks a URL names, by position in `paths`: those whose path shares the longest
/// tail with the URL's path (its last part and, when both have one, its folder), and the
/// URL's `#fragment`.
pub(crate) fn url_matches(paths: &[&str], url: &str) -> (Vec<usize>, Option<String>) {
    let (url, fragment) = match url.split_once('#') {
        Some((u, f)) => (u, Some(f.to_owned()).filter(|f| !f.is_empty())),
        None => (url, None),
    };
    let url = url.split(['?']).next().unwrap_or(url);
    // Past the scheme and host: the path.
    let path = match url.split_once("://") {
        Some((_, rest)) => rest.split_once('/').map_or("", |(_, p)| p),
        None => url,
    };
    let decoded = decode(path);
    let want = segments(&decoded);
    let Some(last) = want.last() else { return (Vec::new(), fragment) };
    let mut best = 0;
    let mut found: Vec<usize> = Vec::new();
    for (i, path) in paths.iter().enumerate() {
        let have = segments(path);
        if !have.last().is_some_and(|h| h.eq_ignore_ascii_case(last)) {
            continue;
        }
        let shared = want.iter().rev().zip(have.iter().rev()).take_while(|(a, b)| a.eq_ignore_ascii_case(b)).count();
        // The file's name alone is not enough when both paths have a folder: `storage/disk`
        // is not `os/disk`.
        if shared < want.len().min(have.len()).min(2) {
            continue;
        }
        if shared > best {
            best = shared;
            found.clear();
        }
        if shared == best {
            found.push(i);
        }
    }
    (found, fragment)
}

/// `%XX` escapes in a URL path decoded (a malformed one stays as written).
fn decode(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (b, hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(v)) => {
                out.push(v);
                i += 3;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_paths_reduce_to_runbook_paths() {
        assert_eq!(
            segments("content/runbooks/node/NodeFilesystemSpaceFillingUp.md"),
            ["content", "runbooks", "node", "NodeFilesystemSpaceFillingUp"]
        );
        assert_eq!(segments("docs/dns/_index.md"), ["docs", "dns"]);
        assert_eq!(
            segments("runbooks/node/nodefilesystemspacefillingup/"),
            ["runbooks", "node", "nodefilesystemspacefillingup"]
        );
        assert_eq!(decode("a%20b/%zz"), "a b/%zz");
        assert_eq!(squash("Node Filesystem-Space_FillingUp"), "nodefilesystemspacefillingup");
        assert!(is_alert_name("NodeFilesystemSpaceFillingUp") && is_alert_name("job:up"));
        assert!(!is_alert_name("disk full") && !is_alert_name("9x") && !is_alert_name(""));
    }
}
