//! Opening a guide: from a search result, from a link in another runbook, or where a journal
//! says the responder was. The runbook is read from disk here, and its first unchecked step
//! selected.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use super::keys::load;
use super::{Guide, GuideScreen, Jump, View};
use crate::journal::Place;
use crate::runbook::{Kind, Runbook};
use crate::search::Entry;
use crate::tui::incident::Incident;

impl GuideScreen {
    /// A runbook opened at `section` (or its start), its first unchecked step selected.
    pub fn open(rb: Runbook, root_dir: PathBuf, section: Option<&str>, incident: &mut Incident, now: Instant) -> Guide {
        let opened = incident.first_opened(&rb.id, now);
        let mut g = Guide::new(Arc::new(rb), root_dir, section, now);
        g.opened_at = opened;
        if g.view == View::Pager
            && let Some(i) = section.and_then(|s| g.rb.section_index(s))
        {
            g.jump.set(Some(Jump::Section(i)));
        }
        g.selected = g.first_unchecked(incident).map(|(pos, _)| pos);
        g
    }

    /// A search result opened: decision trees and procedures at their start, references at
    /// the section the search matched best.
    pub(crate) fn from_entry(
        roots: &[PathBuf],
        entry: &Entry,
        section: Option<&str>,
        incident: &mut Incident,
        now: Instant,
    ) -> Result<GuideScreen, String> {
        let Some(root) = roots.iter().position(|r| *r == entry.root) else {
            return Err(format!("{} is not in this session's runbook folders any more; search again", entry.path));
        };
        let rb = load(root, &entry.root, &entry.path)?;
        let section = if rb.kind == Kind::Reference { section } else { None };
        let guide = GuideScreen::open(rb, entry.root.clone(), section, incident, now);
        Ok(GuideScreen { guide, history: Vec::new() })
    }
}

/// Reopen a guide where a journal says the responder was, if its folder is open now.
pub fn reopen(roots: &[PathBuf], place: &Place, now: Instant) -> Result<Guide, String> {
    let root_dir = PathBuf::from(&place.root);
    // The same folder, however it was named (relative, absolute, through a symlink).
    let canon = root_dir.canonicalize().ok();
    let same = |r: &PathBuf| {
        *r == root_dir
            || std::path::absolute(r).is_ok_and(|a| a == root_dir)
            || (canon.is_some() && r.canonicalize().ok() == canon)
    };
    let Some(root) = roots.iter().position(same) else {
        let why = if root_dir.is_dir() {
            format!("its folder {} is not open now (run `runbook --dir {} --resume`)", place.root, place.root)
        } else {
            format!("its folder {} is not there any more", place.root)
        };
        return Err(format!("Cannot resume at {}: {why}", place.title));
    };
    let root_dir = roots.get(root).cloned().unwrap_or(root_dir);
    let rb = load(root, &root_dir, &place.path)?;
    Ok(Guide::new(Arc::new(rb), root_dir, Some(&place.section), now))
}
