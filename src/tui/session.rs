//! The session's journal: the file it writes, and resuming the last session where it stopped.

use std::path::PathBuf;
use std::time::Instant;

use super::app::App;
use crate::journal::{Event, Journal};

/// The journal of this TUI session, and the last session if it can be resumed.
pub struct Session {
    journal: Option<Journal>,
    /// The previous session's file, when it ended abruptly (for the resume offer).
    last: Option<PathBuf>,
    warned: bool,
    /// The responder's name, as the settings give it.
    user: String,
}

impl Session {
    pub fn start(app: &mut App, resume: bool, user: String, drill: Option<crate::journal::Drill>) -> Session {
        let now = Instant::now();
        if app.previewing() {
            // An author's preview is not an incident: nothing recorded, nothing offered.
            return Session { journal: None, last: None, warned: true, user };
        }
        if drill.is_some() {
            // A drill: its own folder, nothing to resume, nothing offered.
            let mut s = Session { journal: None, last: None, warned: false, user: user.clone() };
            s.journal = crate::journal::drills_dir().and_then(|d| Journal::create(&d).ok());
            let roots = app.roots().iter().map(|r| r.display().to_string()).collect();
            let (host, version) = (crate::journal::host(), env!("CARGO_PKG_VERSION").into());
            s.write(app, Event::SessionStart { user, host, roots, version, drill });
            return s;
        }
        let dir = crate::journal::sessions_dir();
        let last = dir.as_deref().and_then(|d| crate::journal::list(d).pop());
        let last_records = last.as_deref().and_then(|p| crate::journal::read(p).ok()).unwrap_or_default().records;
        let host = crate::journal::host();
        let mut s = Session { journal: None, last: None, warned: false, user: user.clone() };
        if resume {
            match &last {
                Some(path) if !last_records.is_empty() => {
                    s.journal = Journal::open(path).ok();
                    s.write(app, Event::Resumed { user, host });
                    app.resume(&crate::journal::resume::replay(&last_records), now);
                    return s;
                }
                _ => app.say("No earlier session to resume; starting a new one", now),
            }
        }
        s.journal = dir.as_deref().and_then(|d| Journal::create(d).ok());
        if s.journal.is_none() {
            app.say("The session journal cannot be written (state folder not writable)", now);
            s.warned = true;
        }
        let roots = app.roots().iter().map(|r| r.display().to_string()).collect();
        s.write(app, Event::SessionStart { user, host, roots, version: env!("CARGO_PKG_VERSION").into(), drill: None });
        if !resume && crate::journal::resumable(&last_records) {
            let state = crate::journal::resume::replay(&last_records);
            if let Some(place) = &state.place {
                let started = last_records.first().map_or_else(|| "at an unknown time".to_owned(), |r| r.at.pretty());
                let done: usize = state.checked.values().map(|c| c.len()).sum();
                let headline = match crate::journal::unfinished(&last_records) {
                    Some(left) => format!("You quit your last session with steps not done ({left})."),
                    None => "Your last session ended abruptly.".to_owned(),
                };
                app.offer_resume(format!(
                    "{headline}\nStarted {started}\nStopped at: {} > {}\nSteps done: {done}",
                    place.title, place.section_title
                ));
                s.last = last;
            }
        }
        s
    }

    pub fn write(&mut self, app: &mut App, event: Event) {
        let ok = self.journal.as_mut().is_some_and(|j| j.append(event).is_ok());
        if !ok && !self.warned {
            self.warned = true;
            app.say("Could not write the session journal; carry on, but take notes yourself", Instant::now());
        }
    }

    /// The journal file being written, if any.
    pub fn path(&self) -> Option<PathBuf> {
        self.journal.as_ref().map(|j| j.path.clone())
    }

    /// Switch to the last session's file and reopen it where it stopped.
    pub fn resume_last(&mut self, app: &mut App) {
        let Some(path) = self.last.take() else { return };
        let records = crate::journal::read(&path).unwrap_or_default().records;
        if let Some(fresh) = self.journal.take() {
            // The new session had only started; the incident continues in the old file.
            let _ = std::fs::remove_file(&fresh.path);
        }
        self.journal = Journal::open(&path).ok();
        let (user, host) = (self.user.clone(), crate::journal::host());
        self.write(app, Event::Resumed { user, host });
        app.resume(&crate::journal::resume::replay(&records), Instant::now());
    }

    pub fn report(&self) -> String {
        let Some(j) = &self.journal else { return "No session journal is being written.".into() };
        let log = crate::journal::read(&j.path).unwrap_or_default();
        crate::journal::report::for_session(&j.path, &log, true)
    }
}
