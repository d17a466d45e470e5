//! Work off the event loop (the index build), and what a panic there may do. It must not take
//! the responder's terminal down: the build is caught, tried once more in memory (a broken
//! disk cache may be what failed), and otherwise reported as a problem while the TUI goes on
//! without search. The panic hook restores the terminal only for an unguarded panic on the
//! main thread; any other is kept for the problem's message instead of printed over the screen.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use crate::repo::Age;
use crate::runbook::library::Catalog;
use crate::search::{Cache, Embedder, MeaningStats, Progress, SearchIndex};

/// The search index as the TUI sees it: still building in the background, or ready.
#[derive(Debug)]
pub(crate) enum IndexState {
    Building(Arc<Progress>),
    Ready(Arc<SearchIndex>),
    /// The build failed (why is in the problem list).
    Failed,
}

/// Meaning search as the TUI sees it.
#[derive(Debug, Default)]
pub(crate) enum MeaningState {
    /// Not asked for (turned off), or not started.
    #[default]
    Off,
    /// The runbooks' vectors being made (after the index is ready): how far.
    Making(Arc<Progress>),
    /// Searches blend meaning in.
    Ready,
    /// Search is by words only; why.
    Failed,
}

/// The outcome of the index build.
#[derive(Debug)]
pub(crate) enum Built {
    /// The folders walked (the one walk of the session), and how old the runbooks are by
    /// it (`None`: not said, the built-in kit); the index built from it follows.
    Catalog(Arc<Catalog>, Option<Age>),
    /// The cache's index as it was last written, before it is checked: searchable at once;
    /// one of the outcomes below follows.
    Cached(Arc<SearchIndex>),
    Ready(Arc<SearchIndex>),
    /// Built in memory after the first attempt failed; why it failed.
    Recovered(Arc<SearchIndex>, String),
    /// No index; why.
    Failed(String),
    /// After `Ready` or `Recovered`: the runbooks' vectors made and attached to that index
    /// (what it took), or why search stays by words only.
    Meaning(Arc<SearchIndex>, Result<MeaningStats, String>),
}

thread_local! {
    /// The last panic on this thread, with where it happened (the hook sees the place; the
    /// `catch_unwind` that follows on the same thread sees only the message).
    static LAST_PANIC: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Walk the catalog's folders and build their index on a thread of its own: first the
/// cache's index as it is (a list at once), then the walked catalog, then the index checked
/// against it. `done` gets the catalog and exactly one final outcome (a failure if the
/// thread itself could not start). `age`: say how old the runbooks are. `meaning`: then
/// make the runbooks' vectors for meaning search, counted there, and say how that went
/// (`Built::Meaning`).
pub(crate) fn build_index(
    catalog: Catalog,
    age: bool,
    progress: Arc<Progress>,
    meaning: Option<Arc<Progress>>,
    done: impl Fn(Built) + Send + Sync + 'static,
) {
    let done = Arc::new(done);
    let failed = Arc::clone(&done);
    let spawned = std::thread::Builder::new().name("index".into()).spawn(move || {
        let cached = std::panic::catch_unwind(|| SearchIndex::open_cached(catalog.folders(), &Cache::Default));
        if let Ok(Some(index)) = cached {
            // Read here, not on the event loop: the first list needs every entry.
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| index.entries().len()));
            done(Built::Cached(Arc::new(index)));
        }
        let walked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || {
            let catalog = catalog.walk();
            let age = age.then(|| Age::of_all(&catalog));
            (catalog, age)
        }));
        let catalog = match walked {
            Ok((walked, age)) => {
                let walked = Arc::new(walked);
                done(Built::Catalog(Arc::clone(&walked), age));
                walked
            }
            Err(payload) => return done(Built::Failed(failure(payload.as_ref()))),
        };
        let attempt = |cache: &Cache| {
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| SearchIndex::open(&catalog, cache, &progress)))
        };
        let built = match attempt(&Cache::Default) {
            // Checked whole here, off the event loop: a damaged cache is built again, once.
            Ok(index) => match index.verify() {
                Some(why) => {
                    if let Some(dir) = index.cache_dir() {
                        SearchIndex::discard_cache(dir);
                    }
                    drop(index);
                    match attempt(&Cache::Default) {
                        Ok(again) => Built::Recovered(Arc::new(again), repaired(&why)),
                        Err(payload) => Built::Failed(failure(payload.as_ref())),
                    }
                }
                None => match index.stats.repaired.clone() {
                    Some(note) => Built::Recovered(Arc::new(index), note),
                    None => Built::Ready(Arc::new(index)),
                },
            },
            Err(payload) => {
                let first = failure(payload.as_ref());
                progress.total.store(0, Ordering::Relaxed);
                progress.done.store(0, Ordering::Relaxed);
                match attempt(&Cache::Off) {
                    Ok(index) => Built::Recovered(Arc::new(index), format!("{first}; searching an index in memory")),
                    Err(payload) => Built::Failed(failure(payload.as_ref())),
                }
            }
        };
        let index = match &built {
            Built::Ready(index) | Built::Recovered(index, _) => Some(Arc::clone(index)),
            _ => None,
        };
        done(built);
        // Meaning last: the lexical index is searchable meanwhile.
        if let (Some(counted), Some(index)) = (meaning, index) {
            let made = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                Embedder::load().and_then(|model| index.attach_meaning(&model, &counted))
            }));
            let made = made.map_err(|payload| {
                let what = LAST_PANIC
                    .with(|p| p.borrow_mut().take())
                    .unwrap_or_else(|| crate::problem::panic_message(payload.as_ref()));
                format!("meaning search failed ({what}); this is a bug in runbook, please report it")
            });
            done(Built::Meaning(Arc::clone(&index), made.and_then(|r| r)));
        }
    });
    if let Err(e) = spawned {
        failed(Built::Failed(format!("the search index thread could not start ({e})")));
    }
}

/// What the problem list says of a cache found damaged and built again.
fn repaired(why: &str) -> String {
    format!("the search index in the cache was damaged ({why}); it was rebuilt")
}

/// What a caught panic of the build says: where it happened (from the hook) and its message.
fn failure(payload: &(dyn std::any::Any + Send)) -> String {
    let what = LAST_PANIC.with(|p| p.borrow_mut().take()).unwrap_or_else(|| crate::problem::panic_message(payload));
    format!("the search index could not be built ({what}); this is a bug in runbook, please report it")
}

/// Chain a hook in front of the current one (ratatui's, which restores the terminal): a panic
/// on the main thread goes on to it; one elsewhere, or one that `problem::guarded` catches
/// (a file that failed to load), is only remembered.
pub(crate) fn install_panic_hook() {
    let next = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if std::thread::current().name() == Some("main") && !crate::problem::in_guarded() {
            next(info);
            return;
        }
        let place = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        let text = format!("{}{place}", crate::problem::panic_message(info.payload()));
        LAST_PANIC.with(|p| *p.borrow_mut() = Some(text));
    }));
}
