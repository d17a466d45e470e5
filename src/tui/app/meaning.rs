//! Meaning search as the session sees it: asked for at start, its vectors made by the index
//! thread after the lexical index is ready, then the list ranked again once, and said.

use std::sync::Arc;
use std::time::Instant;

use super::App;
use crate::search::{MeaningStats, Progress};
use crate::tui::background::MeaningState;

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
    /// again), or could not be (search stays by words): said either way.
    pub(crate) fn meaning_made(&mut self, made: Result<MeaningStats, String>, now: Instant) {
        match made {
            Ok(stats) => {
                self.meaning = MeaningState::Ready;
                let mut said = format!("Meaning search ready: {} runbooks", stats.runbooks);
                if let Some(why) = stats.not_kept {
                    said.push_str(&format!(" (not kept in the cache: {why})"));
                }
                self.say(said, now);
                if !self.search.query.text.trim().is_empty() {
                    self.search.refresh(&self.index);
                }
            }
            Err(why) => {
                self.meaning = MeaningState::Failed;
                self.say(format!("Search by words only: {why}"), now);
            }
        }
    }
}
