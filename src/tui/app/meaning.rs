//! Meaning search as the session sees it: asked for at start, its vectors made by the index
//! thread after the lexical index is ready, then the list ranked again once, and said.

use std::sync::Arc;
use std::time::Instant;

use super::App;
use crate::problem::Problem;
use crate::search::{MeaningStats, Progress, SearchIndex};
use crate::tui::background::{IndexState, MeaningState};

impl App {
    /// Meaning search is wanted (`Some`: its progress, counted by the index thread) or not.
    pub(crate) fn set_meaning(&mut self, progress: Option<Arc<Progress>>) {
        self.meaning = progress.map_or(MeaningState::Off, MeaningState::Making);
    }

    /// A progress to count a new index's vectors with, when meaning search is wanted (the
    /// index is being built again).
    pub(crate) fn meaning_wanted(&mut self) -> Option<Arc<Progress>> {
        if matches!(self.meaning, MeaningState::Off) {
            return None;
        }
        let progress = Arc::new(Progress::default());
        self.meaning = MeaningState::Making(Arc::clone(&progress));
        Some(progress)
    }

    pub(crate) fn meaning(&self) -> &MeaningState {
        &self.meaning
    }

    /// The vectors are made (search ranks by meaning too from now on: the list is ranked
    /// again), or could not be (search stays by words). Said on the status line when nothing
    /// the responder did is being said there (a copy's confirmation is never replaced by
    /// it); the header's `meaning n/N` mark goes either way, and a failure is also listed
    /// with the problems (F2).
    /// Vectors made for an index since replaced (it was built again) are not this one's.
    pub(crate) fn meaning_made(&mut self, index: &Arc<SearchIndex>, made: Result<MeaningStats, String>, now: Instant) {
        if !matches!(&self.index, IndexState::Ready(current) if Arc::ptr_eq(current, index)) {
            return;
        }
        let said = match made {
            Ok(stats) => {
                self.meaning = MeaningState::Ready;
                // Ranked again (by words now, meaning blended in before the frame), unless the
                // responder has moved down the list: it is not reordered under them, and the
                // next key blends.
                if !self.search.query.text.trim().is_empty() && self.search.selected == 0 {
                    self.search.refresh(&self.index);
                }
                match stats.not_kept {
                    Some(why) => {
                        format!("Meaning search ready: {} runbooks (not kept in the cache: {why})", stats.runbooks)
                    }
                    None => format!("Meaning search ready: {} runbooks", stats.runbooks),
                }
            }
            Err(why) => {
                self.meaning = MeaningState::Failed;
                self.add_problem(Problem::warning("meaning search", None, "meaning", why.clone()));
                format!("Search by words only: {why}")
            }
        };
        if self.status_text(now).is_none() {
            self.say(said, now);
        }
    }
}
