//! What a heading says besides its text: its id, as GitHub makes it (so links written for
//! GitHub work here), and the role of its section in a procedure (Verify, Rollback...).

use std::collections::HashSet;

use super::model::SectionRole;
use crate::text::github_slug;

pub(super) fn role_of(title: &str) -> SectionRole {
    let t = title.trim().trim_end_matches([':', '.']).to_lowercase();
    match t.as_str() {
        "before you start" | "before you begin" | "pre-checks" | "prechecks" | "pre checks" | "pre-check" => {
            SectionRole::PreChecks
        }
        "verify" | "verification" => SectionRole::Verify,
        "rollback" | "roll back" => SectionRole::Rollback,
        "escalate" | "escalation" => SectionRole::Escalate,
        _ => SectionRole::Normal,
    }
}

/// Heading ids as GitHub makes them: explicit `{#id}` wins, repeats get `-1`, `-2`, ...
#[derive(Default)]
pub(super) struct Slugger {
    seen: HashSet<String>,
}

impl Slugger {
    pub(super) fn id(&mut self, explicit: Option<&str>, title: &str) -> String {
        if let Some(id) = explicit.map(crate::text::clean).filter(|s| !s.is_empty()) {
            self.seen.insert(id.clone().into_owned());
            return id.into_owned();
        }
        let base = github_slug(title);
        let mut id = base.clone();
        let mut n = 0;
        while !self.seen.insert(id.clone()) {
            n += 1;
            id = format!("{base}-{n}");
        }
        id
    }
}
