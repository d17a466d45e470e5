//! Carrying out what `update` asked of the world: copies by the session's clipboard route,
//! journal events, the handoff report, resuming, and the ways to a shell and back (Ctrl-Z,
//! `!`, a tmux pane). What happened is said on the status line only once it is known.

use std::sync::mpsc::Sender;
use std::time::Instant;

use super::app::App;
use super::clipboard::{self, Route};
use super::events::{Msg, Reader};
use super::outbox::{Copied, Effect};
use super::session::Session;
use super::{shell, terminal, tmux};
use crate::journal::{Event, Health, ShellHow};

/// The session's edge: how copies go, the terminal reader to pause, the tmux pane opened.
#[derive(Debug)]
pub(crate) struct Edge {
    pub route: Route,
    reader: Reader,
    tx: Sender<Msg>,
    /// The tmux pane with the responder's shell, while it is open.
    pane: Option<String>,
}

/// What carrying out the effects did to the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Kept,
    /// The terminal was given away (a shell, a stop) and taken back: redraw it whole.
    Retaken,
}

impl Edge {
    pub(crate) fn new(route: Route, reader: Reader, tx: Sender<Msg>) -> Edge {
        Edge { route, reader, tx, pane: None }
    }

    /// Carry out every effect `update` queued.
    pub(crate) fn carry(&mut self, app: &mut App, session: &mut Session) -> Screen {
        let mut screen = Screen::Kept;
        for effect in app.take_effects() {
            match effect {
                Effect::Open(o) => app.open(o, Instant::now()),
                Effect::Copy { text, what } => self.copy(app, &text, what),
                Effect::Journal(event) => {
                    let note = matches!(event, Event::Note { .. });
                    let health = session.write(app, event);
                    if note {
                        // Said only now that it is known whether the journal has it.
                        let said = match health {
                            Health::Saved => match session.take_notice() {
                                Some(moved) => format!("Note saved. {moved}"),
                                None => "Note saved in the session journal".to_owned(),
                            },
                            Health::Held { why, .. } => {
                                format!("Note NOT saved yet ({why}): kept in memory and retried; copy it somewhere")
                            }
                        };
                        app.say(said, Instant::now());
                    }
                }
                Effect::ShowReport => {
                    let text = session.report();
                    app.show_report(text);
                }
                Effect::CopyReport => {
                    let report = crate::journal::report::wrapped(&session.report(), crate::journal::report::WIDTH);
                    self.copy(app, &report, Copied::Report);
                }
                Effect::Resume(id) => session.resume(app, &id),
                Effect::DropSession(id) => session.drop_session(app, &id),
                Effect::Suspend => {
                    self.suspend(app, session);
                    screen = Screen::Retaken;
                }
                Effect::Shell(command) => {
                    self.shell(app, session, command);
                    screen = Screen::Retaken;
                }
                Effect::ShellPane => self.open_pane(app, session),
                Effect::RebuildIndex { cache_dir } => {
                    if let Some(dir) = cache_dir {
                        crate::search::SearchIndex::discard_cache(&dir);
                    }
                    let tx = self.tx.clone();
                    let progress = std::sync::Arc::new(crate::search::Progress::default());
                    let catalog = crate::runbook::library::Catalog::clone(app.catalog());
                    let meaning = app.meaning_wanted();
                    super::background::build_index(catalog, false, progress, meaning, move |built| {
                        let _ = tx.send(Msg::Index(built));
                    });
                }
            }
        }
        screen
    }

    fn copy(&mut self, app: &mut App, text: &str, what: Copied) {
        let now = Instant::now();
        let said = clipboard::copy(self.route, text, what.name());
        let typed = match (&self.pane, what) {
            (Some(pane), Copied::Command) => Some(tmux::type_into(pane, text.trim_end_matches('\n'))),
            _ => None,
        };
        let msg = match (said, typed) {
            (Ok(s), Some(Ok(()))) => format!("{s}; typed into the shell pane, not run: Enter there runs it"),
            (Err(e), Some(Ok(()))) => format!("Typed into the shell pane, not run: Enter there runs it ({e})"),
            (Ok(s), Some(Err(e))) => format!("{s}. Not typed into the pane: {e}"),
            (Ok(s), None) => s,
            (Err(e), _) => e,
        };
        app.say(msg, now);
    }

    /// Give the terminal back for the responder's own things, then take it again; `away`
    /// runs in between, with the input reader paused.
    fn away<T>(&mut self, away: impl FnOnce() -> T) -> T {
        self.reader.pause();
        let _ = terminal::leave();
        let out = away();
        shell::take_foreground();
        let _ = terminal::enter();
        self.reader.resume();
        out
    }

    /// Ctrl-Z: stop until the calling shell's `fg`, the terminal restored meanwhile.
    fn suspend(&mut self, app: &mut App, session: &mut Session) {
        session.write(app, Event::ShellOpened { how: ShellHow::Suspended, command: None });
        let stopped = self.away(|| {
            // SIGSTOP cannot be caught, so this stops here; `fg` continues after it.
            signal_hook::low_level::raise(signal_hook::consts::SIGSTOP)
        });
        session.write(app, Event::ShellClosed { how: ShellHow::Suspended });
        if let Err(e) = stopped {
            app.say(format!("Could not suspend ({e})"), Instant::now());
        }
    }

    /// `!`: the responder's shell on this terminal, `command` ready in its history.
    fn shell(&mut self, app: &mut App, session: &mut Session, command: Option<String>) {
        let program = shell::user_shell();
        let kind = shell::Kind::of(&program);
        let dir = crate::journal::sessions_dir().and_then(|d| d.parent().map(|p| p.join("shell")));
        let command = command.map(|c| crate::text::clean(c.trim_end()).into_owned());
        session.write(app, Event::ShellOpened { how: ShellHow::Child, command: command.clone() });
        let ran = self.away(|| {
            let mut cmd = shell::command(&program, kind, dir.as_deref(), command.as_deref())
                .or_else(|_| shell::command(&program, shell::Kind::Other, None, command.as_deref()))?;
            print!("{}", shell::banner(kind, command.as_deref()));
            cmd.status()
        });
        session.write(app, Event::ShellClosed { how: ShellHow::Child });
        let msg = match ran {
            Ok(_) => "Back from the shell, where you left off".to_owned(),
            Err(e) => format!("Could not start your shell {} ({e})", program.display()),
        };
        app.say(msg, Instant::now());
    }

    /// A shell in a tmux pane beside the TUI (below it under 80 columns); `c` then types a
    /// command into it too. When the pane's shell exits, the journal says so.
    fn open_pane(&mut self, app: &mut App, session: &mut Session) {
        let now = Instant::now();
        if !tmux::inside() {
            app.say("Not inside tmux: ! opens a shell here instead", now);
            return;
        }
        if self.pane.is_some() {
            app.say("The shell pane is open: c types a command into it", now);
            return;
        }
        let cwd = std::env::current_dir().unwrap_or_else(|_| "/".into());
        match tmux::split(&cwd, app.size().0 >= 80) {
            Ok(pane) => {
                session.write(app, Event::ShellOpened { how: ShellHow::Pane, command: None });
                let tx = self.tx.clone();
                let id = pane.clone();
                let _ = std::thread::Builder::new().name("tmux pane".into()).spawn(move || {
                    if tmux::wait_closed(&id).is_ok() {
                        let _ = tx.send(Msg::PaneClosed(id));
                    }
                });
                self.pane = Some(pane);
                app.say(
                    "Shell pane opened (prefix + arrow goes there); c types commands into it, never runs them",
                    now,
                );
            }
            Err(e) => app.say(format!("Could not open a tmux pane: {e}"), now),
        }
    }

    /// The pane's shell exited.
    pub(crate) fn pane_closed(&mut self, id: &str, app: &mut App, session: &mut Session) {
        if self.pane.as_deref() == Some(id) {
            self.pane = None;
            session.write(app, Event::ShellClosed { how: ShellHow::Pane });
            app.say("The shell pane closed", Instant::now());
        }
    }
}
