//! The real collections in `../shared/corpora`, beside the checkout. A fresh clone has no
//! `../shared`: there a test that needs one says loudly what it skipped and passes, so the
//! README's `cargo test` holds; in CI (`CI` set) a missing collection is a failure, so CI can
//! never pass without having run them.

use std::io::Write;
use std::path::PathBuf;

/// The collection `name`, or `None` (after saying so) when it is absent outside CI.
pub fn corpus(name: &str) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora").join(name);
    if path.is_dir() {
        return Some(path);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{} is missing; CI runs with ../shared/corpora beside the checkout",
        path.display()
    );
    // Written to the real stderr, past the test harness's capture, so it is seen.
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED: {} is not there (a clone without ../shared/corpora beside it); the test that needs it did not run",
        path.display()
    );
    None
}

/// The real Prometheus rule files in `../shared/alert-rules/NAME`, or `None` (after saying so)
/// when absent outside CI.
#[allow(dead_code)] // only tests/alerts.rs reads rule files
pub fn alert_rules(name: &str) -> Option<Vec<PathBuf>> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/alert-rules").join(name);
    if !path.is_dir() {
        assert!(
            std::env::var_os("CI").is_none(),
            "{} is missing; CI runs with ../shared beside the checkout",
            path.display()
        );
        let _ =
            writeln!(std::io::stderr(), "SKIPPED: {} is not there; the test that needs it did not run", path.display());
        return None;
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(&path)
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    files.sort();
    Some(files)
}
