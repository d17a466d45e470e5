//! Opening a guide: from a search result, from a link in another runbook, or where a journal
//! says the responder was. The runbook is read from disk here, and its first unchecked step
//! selected.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use super::keys::load;
use super::{Guide, GuideScreen, Jump, View};
use crate::journal::Place;
use crate::runbook::team::Team;
use crate::runbook::{Kind, Runbook, SectionRole, Target};
use crate::search::Entry;
use crate::tui::incident::Incident;

/// The session's runbook folders and their team file: where a runbook is opened from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Folders<'a> {
    pub roots: &'a [PathBuf],
    pub team: &'a Team,
}

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

    /// A search result opened. A reference opens at the section the search matched best. A
    /// decision tree opens at a question deep in it only when the search names that question
    /// clearly (`named`), with the path of answers from the start as its history (the
    /// breadcrumb, which says the answers came from the search, and what Backspace walks
    /// up); never at Verify, Rollback, a check list or a procedure's steps. Anything else
    /// opens at its start.
    pub(crate) fn from_entry(
        folders: Folders<'_>,
        entry: &Entry,
        section: Option<&str>,
        named: bool,
        incident: &mut Incident,
        now: Instant,
    ) -> Result<GuideScreen, String> {
        let Some(root) = folders.roots.iter().position(|r| *r == entry.root) else {
            return Err(format!("{} is not in this session's runbook folders any more; search again", entry.path));
        };
        let rb = load(root, &entry.root, &entry.path, folders.team)?;
        if rb.kind == Kind::Reference {
            let guide = GuideScreen::open(rb, entry.root.clone(), section, incident, now);
            return Ok(GuideScreen::at(guide));
        }
        let question = section.filter(|_| named).and_then(|s| rb.section_index(s)).filter(|&i| {
            rb.sections.get(i).is_some_and(|s| {
                s.role == SectionRole::Normal && s.choices().next().is_some() && s.steps().next().is_none()
            })
        });
        let path = question.and_then(|q| path_to(&rb, q)).unwrap_or_default();
        let mut guide = GuideScreen::open(rb, entry.root.clone(), None, incident, now);
        let mut history = Vec::new();
        for &i in path.iter().skip(1) {
            let mut next = guide.clone();
            next.goto(i);
            next.selected = next.first_unchecked(incident).map(|(pos, _)| pos);
            history.push(std::mem::replace(&mut guide, next));
        }
        let inferred = if history.is_empty() { 0 } else { history.len() + 1 };
        Ok(GuideScreen { guide, history, inferred })
    }
}

impl GuideScreen {
    /// The previewed runbook read again after a save: at the same section (by id, else the
    /// same place), with the same selection and visited sections. Checked steps live in the
    /// incident by runbook id, so the checklist stays too. The path behind is dropped: it
    /// showed the old text.
    pub(crate) fn reloaded(&mut self, rb: Runbook, now: Instant) {
        let old = &self.guide;
        let id_of = |i: &usize| old.rb.sections.get(*i).map(|s| s.id.clone());
        let section = id_of(&old.section);
        let visited: Vec<String> = old.visited.iter().filter_map(id_of).collect();
        let mut g = Guide::new(Arc::new(rb), old.root_dir.clone(), section.as_deref(), now);
        if section.as_deref().and_then(|id| g.rb.section_index(id)).is_none() {
            g.goto(old.section.min(g.rb.sections.len().saturating_sub(1)));
        }
        g.visited.extend(visited.iter().filter_map(|id| g.rb.section_index(id)));
        g.opened_at = old.opened_at;
        let items = g.items().len();
        g.selected = old.selected.filter(|&s| s < items);
        self.guide = g;
        self.history.clear();
    }
}

/// The sections from the start to `target` along answers, start first and target last; `None`
/// when no answers lead there. Breadth first, so the path is a shortest one.
fn path_to(rb: &Runbook, target: usize) -> Option<Vec<usize>> {
    let start = rb.start_index();
    let mut came_from: Vec<Option<usize>> = vec![None; rb.sections.len()];
    let mut queue = VecDeque::from([start]);
    let mut seen = vec![false; rb.sections.len()];
    *seen.get_mut(start)? = true;
    while let Some(i) = queue.pop_front() {
        if i == target {
            break;
        }
        for choice in rb.sections.get(i).into_iter().flat_map(|s| s.choices()) {
            let Target::Section { section } = &choice.target else { continue };
            let Some(j) = rb.section_index(section) else { continue };
            if let Some(seen_j) = seen.get_mut(j).filter(|s| !**s) {
                *seen_j = true;
                if let Some(from) = came_from.get_mut(j) {
                    *from = Some(i);
                }
                queue.push_back(j);
            }
        }
    }
    if !seen.get(target).copied().unwrap_or(false) {
        return None;
    }
    let mut path = vec![target];
    while let Some(&Some(prev)) = path.last().and_then(|&i| came_from.get(i)) {
        path.push(prev);
    }
    path.reverse();
    Some(path)
}

/// Reopen a guide where a journal says the responder was, if its folder is open now.
pub fn reopen(folders: Folders<'_>, place: &Place, now: Instant) -> Result<Guide, String> {
    let roots = folders.roots;
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
    let rb = load(root, &root_dir, &place.path, folders.team)?;
    Ok(Guide::new(Arc::new(rb), root_dir, Some(&place.section), now))
}
