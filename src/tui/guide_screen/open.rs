//! Opening a guide on a runbook the catalog opened: from a search result (at a question the
//! search names, with the path to it), from a link in another runbook, or where a journal
//! says the responder was; its first unchecked step selected. Reading files is not done
//! here: an `Opening` effect asks the catalog (`App::open`), outside `update`.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Instant;

use super::{Guide, GuideScreen, Jump, View};
use crate::journal::Place;
use crate::runbook::library::{Catalog, RunbookRef};
use crate::runbook::{Kind, Runbook, SectionRole, Target};
use crate::tui::incident::Incident;

impl GuideScreen {
    /// A runbook opened at `section` (or its start), its first unchecked step selected.
    pub(crate) fn open(
        rb: Runbook,
        at: RunbookRef,
        section: Option<&str>,
        incident: &mut Incident,
        now: Instant,
    ) -> Guide {
        let opened = incident.first_opened(&rb.id, now);
        let mut g = Guide::new(Arc::new(rb), at, section, now);
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
    pub(crate) fn from_search(
        rb: Runbook,
        at: RunbookRef,
        section: Option<&str>,
        named: bool,
        incident: &mut Incident,
        now: Instant,
    ) -> GuideScreen {
        if rb.kind == Kind::Reference {
            let guide = GuideScreen::open(rb, at, section, incident, now);
            return GuideScreen::at(guide);
        }
        let question = section.filter(|_| named).and_then(|s| rb.section_index(s)).filter(|&i| {
            rb.sections.get(i).is_some_and(|s| {
                s.role == SectionRole::Normal && s.choices().next().is_some() && s.steps().next().is_none()
            })
        });
        let path = question.and_then(|q| path_to(&rb, q)).unwrap_or_default();
        let mut guide = GuideScreen::open(rb, at, None, incident, now);
        let mut history = Vec::new();
        for &i in path.iter().skip(1) {
            let mut next = guide.clone();
            next.goto(i);
            next.selected = next.first_unchecked(incident).map(|(pos, _)| pos);
            history.push(std::mem::replace(&mut guide, next));
        }
        let inferred = if history.is_empty() { 0 } else { history.len() + 1 };
        GuideScreen { guide, history, inferred }
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
        let mut g = Guide::new(Arc::new(rb), old.at.clone(), section.as_deref(), now);
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
pub(crate) fn resume_at(catalog: &Catalog, place: &Place, now: Instant) -> Result<Guide, String> {
    let recorded = &place.at.folder;
    let Some(at) = catalog.folder_index(recorded).and_then(|i| catalog.reference(i, &place.at.path)) else {
        let folder = recorded.display();
        let why = if recorded.is_dir() {
            format!("its folder {folder} is not open now (run `runbook --dir {folder} --resume`)")
        } else {
            format!("its folder {folder} is not there any more")
        };
        return Err(format!("Cannot resume at {}: {why}", place.title));
    };
    let (rb, _) = catalog.open(&at).map_err(|p| format!("Cannot open {}: {}", at.path, p.message))?;
    Ok(Guide::new(Arc::new(rb), at, Some(&place.section), now))
}
