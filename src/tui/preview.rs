//! Reading the previewed file (`runbook preview`) each time it is saved: its runbook, or the
//! problems that stop it loading (parse errors, with file and line). Warnings do not stop it;
//! `runbook check` reports those.

use std::path::Path;

use crate::problem::Level;
use crate::runbook::Runbook;
use crate::runbook::library::{Candidate, load_candidate};

/// The file at `rel_path` under the preview's root folder, or why it does not load.
pub fn read(root_dir: &Path, rel_path: &str) -> Result<Runbook, Vec<String>> {
    let c = Candidate {
        root: 0,
        rel_path: rel_path.to_owned(),
        file: root_dir.join(rel_path),
        size: 0,
        mtime_ns: 0,
        ctime_ns: 0,
    };
    match load_candidate(&c) {
        Ok((rb, problems)) => {
            let errors: Vec<String> =
                problems.iter().filter(|p| p.severity == Level::Error).map(ToString::to_string).collect();
            if errors.is_empty() { Ok(rb) } else { Err(errors) }
        }
        Err(p) => Err(vec![p.to_string()]),
    }
}
