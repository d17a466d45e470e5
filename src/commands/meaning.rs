//! Meaning search for the commands that search (`search`, `alert`): the model loaded, every
//! runbook's vector made or read from the cache, and what could not be done said on stderr.

use std::io::Write as _;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use crate::search::{Embedder, Progress, SearchIndex};

/// Embedding that takes longer than this is announced on stderr while it runs.
const SAY_AFTER: Duration = Duration::from_secs(1);

/// The model, or `None` after saying why search is by words only.
pub(crate) fn embedder() -> Option<Embedder> {
    match Embedder::load() {
        Ok(e) => Some(e),
        Err(why) => {
            let _ = writeln!(std::io::stderr(), "runbook: note: search by words only: {}", crate::text::one_line(&why));
            None
        }
    }
}

/// Blend meaning into `index`'s searches: the vectors of runbooks not embedded yet are made
/// now (said on stderr when that takes a while) and kept in the cache for the next run.
pub(crate) fn attach(index: &SearchIndex, embedder: &Embedder) {
    // Vectors that cannot be kept would be made again by every search (minutes at 10,000).
    if index.cache_dir().is_none() {
        let _ = writeln!(
            std::io::stderr(),
            "runbook: note: search by words only: the index is not in the cache folder this run, so the runbooks' meaning vectors could not be kept"
        );
        return;
    }
    let progress = Arc::new(Progress::default());
    let (stop, stopped) = std::sync::mpsc::channel::<()>();
    let watched = Arc::clone(&progress);
    let watcher = std::thread::spawn(move || {
        if stopped.recv_timeout(SAY_AFTER).is_err() {
            let total = watched.total.load(Ordering::Relaxed);
            if total > 0 {
                let _ = writeln!(
                    std::io::stderr(),
                    "runbook: meaning search: embedding {total} runbooks once (kept in the cache for the next search; --lexical skips it)"
                );
            }
        }
    });
    let result = index.attach_meaning(embedder, &progress);
    let _ = stop.send(());
    let _ = watcher.join();
    match result {
        Ok(stats) => {
            if let Some(why) = stats.not_kept {
                let _ = writeln!(
                    std::io::stderr(),
                    "runbook: note: the runbooks' meaning vectors could not be kept in the cache ({}); they will be made again next time",
                    crate::text::one_line(&why)
                );
            }
        }
        Err(why) => {
            let _ = writeln!(std::io::stderr(), "runbook: note: search by words only: {}", crate::text::one_line(&why));
        }
    }
}
