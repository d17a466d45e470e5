//! Work off the event loop (the index build), and what a panic there may do. It must not take
//! the responder's terminal down: the build is caught, tried once more in memory (a broken
//! disk cache may be what failed), and otherwise reported as a problem while the TUI goes on
//! without search. The panic hook restores the terminal only for a panic on the main thread;
//! one on another thread is kept for the problem list instead of being printed over the screen.

use std::path::PathBuf;
use std::sync::atomic::Ordering;
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};

use crate::search::{Cache, Progress, SearchIndex};

/// The outcome of the index build: the index, or why there is none.
pub type Built = Result<Arc<SearchIndex>, String>;

/// Where the last panic on a background thread happened, with its message.
static BACKGROUND_PANIC: Mutex<Option<String>> = Mutex::new(None);

/// Build the index for `roots` on its own thread; the receiver gets exactly one outcome.
pub fn build_index(roots: Vec<PathBuf>, progress: Arc<Progress>) -> Receiver<Built> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let attempt = |cache: &Cache| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| SearchIndex::open(&roots, cache, &progress)))
        };
        let built = attempt(&Cache::Default).or_else(|_| {
            progress.total.store(0, Ordering::Relaxed);
            progress.done.store(0, Ordering::Relaxed);
            attempt(&Cache::Off)
        });
        let _ = tx.send(built.map(Arc::new).map_err(|payload| {
            let at = BACKGROUND_PANIC.lock().ok().and_then(|mut p| p.take());
            let what = at.unwrap_or_else(|| crate::problem::panic_message(payload.as_ref()));
            format!("the search index could not be built ({what}); this is a bug in runbook, please report it")
        }));
    });
    rx
}

/// Chain a hook in front of the current one (ratatui's, which restores the terminal): a panic
/// on the main thread goes on to it; one elsewhere is only remembered.
pub fn install_panic_hook() {
    let next = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().name() == Some("main") {
            next(info);
            return;
        }
        let place = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        let text = format!("{}{place}", crate::problem::panic_message(info.payload()));
        if let Ok(mut slot) = BACKGROUND_PANIC.lock() {
            *slot = Some(text);
        }
    }));
}
