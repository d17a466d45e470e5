//! The session's journal: the file it writes (and how that stands: saved, or held in memory
//! while the disk refuses it), and taking an earlier session up again. A session cut off or
//! quit in the middle of a procedure stays on offer until it is resumed or dropped; one
//! running in another terminal (its journal locked) is never offered, nor taken.

use std::path::PathBuf;
use std::time::Instant;

use super::app::App;
use crate::journal::{Ending, Event, Health, Journal, SessionFile};

/// What `runbook` was asked about earlier sessions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Resume {
    /// Nothing: offer the latest session left unfinished, if any.
    Offer,
    /// `--resume`: the latest unfinished session, or a choice when there are several.
    Latest,
    /// `--resume ID`.
    Id(String),
    /// A new incident (`runbook alert`): no earlier session is offered over its runbook.
    Never,
}

/// The journal of this TUI session, and the earlier sessions it may take up.
pub(crate) struct Session {
    journal: Option<Journal>,
    /// Sessions that can be taken up (oldest first), for the offer and the choice.
    resumable: Vec<SessionFile>,
    /// How the journal stood after the last write, to say a change once.
    health: Health,
    /// The responder's name, as the settings give it.
    user: String,
    /// The journal file was written again elsewhere (said with the next note).
    moved: Option<String>,
    /// Where else the journal goes (`journals`, `syslog`), and its copies there.
    sharing: crate::journal::Sharing,
    copies: crate::journal::Copies,
}

impl Session {
    pub(crate) fn start(
        app: &mut App,
        resume: Resume,
        user: String,
        drill: Option<crate::journal::Drill>,
        sharing: crate::journal::Sharing,
    ) -> Session {
        let now = Instant::now();
        let mut s = Session {
            journal: None,
            resumable: Vec::new(),
            health: Health::Saved,
            user: user.clone(),
            moved: None,
            sharing,
            copies: crate::journal::Copies::default(),
        };
        if app.previewing() {
            // An author's preview is not an incident: nothing recorded, nothing offered.
            return s;
        }
        let host = crate::journal::host();
        let roots: Vec<String> = app.roots().iter().map(|r| r.display().to_string()).collect();
        let version = env!("CARGO_PKG_VERSION").to_owned();
        if drill.is_some() {
            // A drill: its own folder, nothing to resume, nothing offered.
            s.journal = crate::journal::drills_dir().and_then(|d| Journal::create(&d).ok());
            s.write(app, Event::SessionStart { user, host, roots, version, drill });
            return s;
        }
        let dir = crate::journal::sessions_dir();
        let all = dir.as_deref().map(crate::journal::sessions).unwrap_or_default();
        s.resumable = all.iter().filter(|f| f.resumable()).cloned().collect();
        s.journal = match dir.as_deref().map(Journal::create) {
            Some(Ok(j)) => {
                s.open_copies(app, &j.path);
                Some(j)
            }
            Some(Err(e)) => {
                app.set_journal_trouble(Some(format!(
                    "The session journal cannot be written ({e}): keep notes yourself"
                )));
                None
            }
            None => {
                app.set_journal_trouble(Some("No home folder: the session journal cannot be written".into()));
                None
            }
        };
        s.write(app, Event::SessionStart { user, host, roots, version, drill: None });
        match resume {
            Resume::Never => {}
            Resume::Offer => {
                if let Some(last) = s.resumable.last() {
                    app.offer_resume(offer_text(last, s.resumable.len()), last.id.clone());
                }
            }
            Resume::Id(id) => match all.iter().find(|f| f.id == id) {
                Some(f) if f.ending == Ending::Running => {
                    app.say(format!("Session {id} is running in another terminal: finish it there"), now);
                }
                Some(f) => s.take_up(app, f.path.clone()),
                None => app.say(format!("No session {id}: `runbook journal --list` shows them"), now),
            },
            Resume::Latest => match s.resumable.len() {
                0 => app.say("No session left unfinished to resume; starting a new one", now),
                1 => {
                    let path = s.resumable.last().map(|f| f.path.clone()).unwrap_or_default();
                    s.take_up(app, path);
                }
                _ => app.choose_session(s.resumable.iter().rev().map(|f| (f.id.clone(), one_line(f))).collect()),
            },
        }
        s
    }

    /// The journal's copies (shared folder, system log) for the session file `path`.
    fn open_copies(&mut self, app: &mut App, path: &std::path::Path) {
        let (copies, said) = crate::journal::Copies::open(&self.sharing, path);
        self.copies = copies;
        if let Some(said) = said {
            app.say(said, Instant::now());
        }
    }

    /// Record an event; a change in how the journal stands is shown until it is resolved.
    pub(crate) fn write(&mut self, app: &mut App, event: Event) -> Health {
        let Some(j) = self.journal.as_mut() else {
            return Health::Held { held: 1, lost: 0, why: "no journal file".into() };
        };
        let kind = serde_json::to_value(&event).ok().and_then(|v| v.get("event")?.as_str().map(str::to_owned));
        let health = j.append(event);
        let line = j.last_line().to_owned();
        if let Some(said) = self.copies.send(&line, kind.as_deref().unwrap_or("event")) {
            app.say(said, Instant::now());
        }
        self.noticed(app, health.clone());
        health
    }

    /// Try again to write what the journal holds (the event loop calls this on a timer).
    pub(crate) fn retry(&mut self, app: &mut App) {
        if let Some(health) = self.journal.as_mut().filter(|j| j.holding()).map(Journal::flush) {
            self.noticed(app, health);
        }
    }

    /// What happened to the journal file that the next status message must also say.
    pub(crate) fn take_notice(&mut self) -> Option<String> {
        self.moved.take()
    }

    /// Whether events wait in memory for the disk.
    pub(crate) fn holding(&self) -> bool {
        self.journal.as_ref().is_some_and(Journal::holding)
    }

    fn noticed(&mut self, app: &mut App, health: Health) {
        let now = Instant::now();
        if let Some(moved) = self.journal.as_mut().and_then(|j| j.recreated.take()) {
            let msg = format!("The journal file vanished or was replaced: written again to {}", moved.display());
            app.say(msg.clone(), now);
            self.moved = Some(msg);
        }
        if health == self.health {
            return;
        }
        match &health {
            Health::Saved => {
                app.set_journal_trouble(None);
                app.say("The journal is written again: nothing was lost", now);
            }
            Health::Held { held, lost, why } => {
                let lost = if *lost > 0 { format!("; {lost} older event(s) LOST") } else { String::new() };
                app.set_journal_trouble(Some(format!(
                    "Journal NOT saved ({why}): {held} event(s) kept in memory, retried{lost}. Keep notes yourself"
                )));
            }
        }
        self.health = health;
    }

    /// The journal file being written, if any.
    pub(crate) fn path(&self) -> Option<PathBuf> {
        self.journal.as_ref().map(|j| j.path.clone())
    }

    /// Resume the session `id` (from the offer or the choice).
    pub(crate) fn resume(&mut self, app: &mut App, id: &str) {
        match self.resumable.iter().find(|f| f.id == id).map(|f| f.path.clone()) {
            Some(path) => self.take_up(app, path),
            None => app.say(format!("Session {id} cannot be resumed any more"), Instant::now()),
        }
    }

    /// Switch to an earlier session's file and reopen it where it stopped.
    fn take_up(&mut self, app: &mut App, path: PathBuf) {
        let now = Instant::now();
        let old = match Journal::open(&path) {
            Ok(j) => j,
            Err(e) => return app.say(format!("Cannot resume: {e}"), now),
        };
        let records = crate::journal::read(&path).unwrap_or_default().records;
        if let Some(fresh) = self.journal.replace(old) {
            // The new session had only started; the incident goes on in the old file.
            let _ = std::fs::remove_file(&fresh.path);
            if let Some(copy) = self.copies.shared_path() {
                let _ = std::fs::remove_file(copy);
            }
        }
        self.open_copies(app, &path);
        let (user, host) = (self.user.clone(), crate::journal::host());
        self.write(app, Event::Resumed { user, host });
        self.resumable.retain(|f| f.path != path);
        app.resume(&crate::journal::resume::replay(&records), now);
    }

    /// Never offer the session `id` again (it stays in the journal, readable).
    pub(crate) fn drop_session(&mut self, app: &mut App, id: &str) {
        let Some(f) = self.resumable.iter().position(|f| f.id == id).map(|i| self.resumable.remove(i)) else { return };
        let said = match Journal::open(&f.path) {
            Ok(mut j) => match j.append(Event::Dropped { user: self.user.clone() }) {
                Health::Saved => format!("Session {id} will not be offered again (runbook journal {id} reads it)"),
                Health::Held { why, .. } => format!("Could not mark session {id} as dropped ({why})"),
            },
            Err(e) => format!("Could not mark session {id} as dropped ({e})"),
        };
        app.say(said, Instant::now());
    }

    pub(crate) fn report(&self) -> String {
        let Some(j) = &self.journal else { return "No session journal is being written.".into() };
        let log = crate::journal::read(&j.path).unwrap_or_default();
        crate::journal::report::for_session(&j.path, &log, true)
    }
}

/// What the offer says of the session it offers.
fn offer_text(f: &SessionFile, count: usize) -> String {
    let headline = match &f.ending {
        Ending::Unfinished(left) => format!("You quit your last session with steps not done ({left})."),
        _ => "Your last session ended abruptly.".to_owned(),
    };
    let started = f.started.map_or_else(|| "at an unknown time".to_owned(), |t| t.pretty());
    let at = f.place.as_ref().map(|p| format!("{} > {}", p.title, p.section_title)).unwrap_or_default();
    let more = match count {
        0 | 1 => String::new(),
        n => format!("\n({} more left unfinished: runbook --resume lists them)", n - 1),
    };
    format!("{headline}\nStarted {started}\nStopped at: {at}\nSteps done: {}{more}", f.done)
}

/// One session in a list to choose from.
fn one_line(f: &SessionFile) -> String {
    let started = f.started.map_or_else(|| "?".to_owned(), |t| t.pretty());
    let at = f.place.as_ref().map(|p| format!("{} > {}", p.title, p.section_title)).unwrap_or_default();
    crate::text::one_line(&format!("{started}  {}  {at}", f.ending.label()))
}
