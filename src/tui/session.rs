//! The parts of a TUI session that touch the world outside the state machine: the signals
//! that end it, the journal file it writes, resuming the last session, and the clipboard.

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use super::app::App;
use super::outbox::Effect;
use crate::journal::{Event, Journal};

/// Signals that end the session, each remembered so the journal can say why.
pub struct Signals {
    hup: Arc<AtomicBool>,
    term: Arc<AtomicBool>,
    int: Arc<AtomicBool>,
    quit: Arc<AtomicBool>,
}

impl Signals {
    pub fn register() -> std::io::Result<Signals> {
        let s = Signals { hup: Arc::default(), term: Arc::default(), int: Arc::default(), quit: Arc::default() };
        signal_hook::flag::register(signal_hook::consts::SIGHUP, Arc::clone(&s.hup))?;
        signal_hook::flag::register(signal_hook::consts::SIGTERM, Arc::clone(&s.term))?;
        signal_hook::flag::register(signal_hook::consts::SIGINT, Arc::clone(&s.int))?;
        signal_hook::flag::register(signal_hook::consts::SIGQUIT, Arc::clone(&s.quit))?;
        Ok(s)
    }

    pub fn reason(&self) -> Option<&'static str> {
        if self.hup.load(Ordering::Relaxed) {
            Some("hangup (SIGHUP): the terminal or SSH link went away")
        } else if self.term.load(Ordering::Relaxed) {
            Some("terminated (SIGTERM)")
        } else if self.int.load(Ordering::Relaxed) {
            Some("interrupted (SIGINT)")
        } else if self.quit.load(Ordering::Relaxed) {
            Some("quit signal (SIGQUIT)")
        } else {
            None
        }
    }
}

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
        if !resume && crate::journal::ended_abruptly(&last_records) {
            let state = crate::journal::resume::replay(&last_records);
            if let Some(place) = &state.place {
                let started = last_records.first().map_or_else(|| "at an unknown time".to_owned(), |r| r.at.pretty());
                let done: usize = state.checked.values().map(|c| c.len()).sum();
                app.offer_resume(format!(
                    "Started {started}\nStopped at: {} > {}\nSteps done: {done}",
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
    fn resume_last(&mut self, app: &mut App) {
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

    fn report(&self) -> String {
        let Some(j) = &self.journal else { return "No session journal is being written.".into() };
        let log = crate::journal::read(&j.path).unwrap_or_default();
        crate::journal::report::for_session(&j.path, &log, true)
    }
}

/// Carry out what `update` asked for: clipboard, journal, report, resume.
pub fn handle_effects(app: &mut App, session: &mut Session) {
    for effect in app.take_effects() {
        match effect {
            Effect::Copy(text) => copy(&text),
            Effect::Journal(event) => session.write(app, event),
            Effect::ShowReport => {
                let text = session.report();
                app.show_report(text);
            }
            Effect::CopyReport => {
                copy(&crate::journal::report::wrapped(&session.report(), crate::journal::report::WIDTH));
                app.say("Handoff report copied to your clipboard (OSC 52)", Instant::now());
            }
            Effect::Resume => session.resume_last(app),
        }
    }
}

/// OSC 52: the terminal (even across SSH) puts the text on the clipboard.
fn copy(text: &str) {
    let mut out = std::io::stdout();
    let _ = crossterm::execute!(out, crossterm::clipboard::CopyToClipboard::to_clipboard_from(text.as_bytes()));
    let _ = out.flush();
}
