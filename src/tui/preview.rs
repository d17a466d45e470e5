//! Reading the previewed file (`runbook preview`) each time it is saved: its runbook, or the
//! problems that stop it loading (parse errors, with file and line). Warnings do not stop it;
//! `runbook check` reports those.

use std::path::Path;

use crate::problem::Level;
use crate::runbook::Runbook;
use crate::runbook::library::open_file;

/// The file at `rel_path` under the preview's root folder, or why it does not load.
pub fn read(root_dir: &Path, rel_path: &str) -> Result<Runbook, Vec<String>> {
    match open_file(0, root_dir, rel_path) {
        Ok((rb, problems)) => {
            let errors: Vec<String> =
                problems.iter().filter(|p| p.severity == Level::Error).map(ToString::to_string).collect();
            if errors.is_empty() { Ok(rb) } else { Err(errors) }
        }
        Err(p) => Err(vec![p.to_string()]),
    }
}
