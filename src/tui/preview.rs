//! Reading the previewed file (`runbook preview`) each time it is saved: its runbook, or the
//! problems that stop it loading (parse errors, with file and line). Warnings do not stop it;
//! `runbook check` reports those.

use crate::problem::Level;
use crate::runbook::Runbook;
use crate::runbook::library::{Catalog, RunbookRef};

/// The previewed file, opened by the catalog of its folder, or why it does not load.
pub fn read(catalog: &Catalog, at: &RunbookRef) -> Result<Runbook, Vec<String>> {
    match catalog.open(at) {
        Ok((rb, problems)) => {
            let errors: Vec<String> =
                problems.iter().filter(|p| p.severity == Level::Error).map(ToString::to_string).collect();
            if errors.is_empty() { Ok(rb) } else { Err(errors) }
        }
        Err(p) => Err(vec![p.to_string()]),
    }
}
