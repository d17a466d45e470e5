//! The responder's TUI. Keys -> `Action` (pure keymap) -> `App::update`, which routes to the
//! screen or overlay that owns the state; `draw(&App)` paints it; `edge` carries out the
//! effects `update` queues. One channel wakes the loop (`events`): keys and pastes, the index
//! built on a background thread (a failure there is a problem on screen, never the end of the
//! session), the previewed file's saves, signals. The terminal is given back on quit, panic,
//! SIGTERM, SIGINT, SIGQUIT and SIGHUP (the SSH link dropped), for Ctrl-Z and for a shell.

pub mod action;
pub mod app;
mod background;
mod burst;
mod chrome;
mod clipboard;
mod draw;
mod edge;
mod events;
pub mod guide_screen;
mod incident;
pub(crate) mod input;
pub mod keymap;
mod keys;
pub(crate) mod layout;
pub mod outbox;
pub mod overlay;
mod preview;
mod scroll;
pub(crate) mod search_screen;
mod session;
mod shell;
mod terminal;
pub mod theme;
mod tmux;
mod watch;
mod wrap;

pub use draw::draw;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clipboard::Route;
use crossterm::event::Event;
use edge::Edge;
use events::{Events, Msg, Reader};
pub(crate) use session::Resume;
use session::Session;

use app::App;
use theme::Theme;

use crate::runbook::library::{Catalog, RunbookRef};
use crate::search::Progress;

/// Options for a TUI session.
#[derive(Debug, Clone)]
pub(crate) struct Options {
    pub roots: Vec<PathBuf>,
    pub color: bool,
    pub query: String,
    /// Whether to take an earlier session up (or offer one).
    pub resume: Resume,
    /// Said on the status line at start (the built-in kit is in use).
    pub notice: Option<String>,
    /// The responder's name for the journal.
    pub name: String,
    /// Whether to say how old the runbooks are (not for the built-in kit, as old as the
    /// binary).
    pub age: bool,
    /// `runbook preview`: the file (relative to the one root) to open and reload on save.
    pub preview: Option<String>,
    /// `runbook drill`: recorded as a drill, apart from real sessions.
    pub drill: Option<crate::journal::Drill>,
    /// How `c` copies (the `copy` setting).
    pub copy: crate::config::CopyChoice,
    /// `runbook alert`: the alerts and the runbooks found for them.
    pub alerts: Vec<crate::alert::Found>,
    /// Where else the session journal goes.
    pub sharing: crate::journal::Sharing,
    /// Blend meaning into search once the runbooks' vectors are made (the `meaning` setting).
    pub meaning: bool,
}

/// Run the TUI until the responder quits or the terminal goes away; the session journal's
/// file, if one was written.
pub(crate) fn run(opts: Options) -> std::io::Result<Option<PathBuf>> {
    let events = Events::new();
    // First, so that a signal at any later moment ends the session cleanly.
    events::forward_signals(events.sender())?;
    let progress = Arc::new(Progress::default());
    // The folders and their team file; the index thread walks them.
    let catalog = Catalog::new(&opts.roots);
    let mut app = App::new(Arc::new(catalog.clone()), Theme { color: opts.color }, &opts.query, Arc::clone(&progress));
    app.set_previewing(opts.preview.is_some());
    app.set_drill(opts.drill.as_ref().map(|d| d.scenario.clone()));
    let mut session = Session::start(&mut app, opts.resume, opts.name, opts.drill, opts.sharing);
    if let Some(n) = opts.notice {
        app.say(n, Instant::now());
    }
    app.take_alerts(opts.alerts, Instant::now());
    app.carry_openings(Instant::now());
    terminal::enter()?;
    terminal::restore_on_panic(std::panic::take_hook());
    background::install_panic_hook();
    let mut term = match ratatui::Terminal::new(ratatui::backend::CrosstermBackend::new(std::io::stdout())) {
        Ok(t) => t,
        Err(e) => {
            let _ = terminal::leave();
            return Err(e);
        }
    };
    // Started once the hook is in place: a panic there can no longer reach the terminal.
    let tx = events.sender();
    let meaning = opts.meaning.then(|| Arc::new(Progress::default()));
    app.set_meaning(meaning.clone());
    background::build_index(catalog, opts.age, Arc::clone(&progress), meaning, move |built| {
        let _ = tx.send(Msg::Index(built));
    });
    let reader = Reader::start(events.sender());
    let mut edge = Edge::new(Route::choose(opts.copy, clipboard::Terminal::from_process()), reader, events.sender());
    let mut preview = None;
    if let Some(at) = opts.preview.and_then(|rel| app.catalog().reference(0, &rel)) {
        let tx = events.sender();
        let watch = watch::Watch::new(&at.file(), move || {
            let _ = tx.send(Msg::FileChanged);
        });
        if let Err(e) = &watch {
            app.say(format!("Cannot watch the file ({e}): it will not reload"), Instant::now());
        }
        app.preview_reloaded(&at, preview::read(app.catalog(), &at), Instant::now());
        preview = Some(Preview { at, _watch: watch.ok(), quiet: watch::Quiet::default() });
    }
    let mut l = Loop { events: &events, preview: preview.as_mut(), edge: &mut edge, ended: None };
    let result = event_loop(&mut term, &mut app, &mut l, &mut session);
    let reason = l.ended.unwrap_or(crate::journal::END_QUIT);
    let unfinished = if reason == crate::journal::END_QUIT { app.unfinished() } else { None };
    session.write(&mut app, crate::journal::Event::SessionEnd { reason: reason.to_owned(), unfinished });
    drop(term);
    // When the terminal is gone, restoring it fails; there is nobody to tell.
    let _ = terminal::leave();
    result.map(|()| session.path())
}

/// The terminal's width, when standard output is one (for text printed after the TUI).
pub(crate) fn terminal_width() -> Option<u16> {
    std::io::IsTerminal::is_terminal(&std::io::stdout())
        .then(|| crossterm::terminal::size().ok())
        .flatten()
        .map(|(w, _)| w)
}

/// The file being previewed, its watch, and the change waiting to be read.
struct Preview {
    at: RunbookRef,
    _watch: Option<watch::Watch>,
    quiet: watch::Quiet,
}

/// What the event loop holds besides the app and the session.
struct Loop<'a> {
    events: &'a Events,
    preview: Option<&'a mut Preview>,
    edge: &'a mut Edge,
    /// Why the session ended, when not by quitting.
    ended: Option<&'static str>,
}

/// Clocks on screen (escalation timers, index progress) are redrawn this often.
const CLOCK: Duration = Duration::from_secs(1);

/// How often events the disk refused are written again.
const RETRY: Duration = Duration::from_secs(5);

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    l: &mut Loop<'_>,
    session: &mut Session,
) -> std::io::Result<()> {
    let mut last_draw = Instant::now();
    let mut last_retry = Instant::now();
    let mut dirty = true;
    let mut retaken = false;
    while !app.quitting() && l.ended.is_none() {
        let now = Instant::now();
        app.tick(now);
        if session.holding() && now.duration_since(last_retry) >= RETRY {
            // Events the disk refused: try again.
            session.retry(app);
            last_retry = now;
            dirty = true;
        }
        if let Some(p) = l.preview.as_deref_mut()
            && p.quiet.due(now)
        {
            app.preview_reloaded(&p.at, preview::read(app.catalog(), &p.at), now);
            dirty = true;
        }
        retaken |= l.edge.carry(app, session) == edge::Screen::Retaken;
        if std::mem::take(&mut retaken) {
            // The terminal was the shell's: nothing on it is what was drawn. (`resize` clears
            // it and forgets the last frame without asking the terminal where its cursor is,
            // as `clear` does: that answer would reach the input reader instead.)
            let size = terminal.size()?;
            terminal.resize(ratatui::layout::Rect::new(0, 0, size.width, size.height))?;
            dirty = true;
        }
        if dirty || now.duration_since(last_draw) >= CLOCK {
            let size = terminal.size()?;
            app.resize(size.width, size.height);
            terminal.draw(|f| draw(f, app, now))?;
            last_draw = now;
            dirty = false;
        }
        let mut wake = last_draw + CLOCK;
        if session.holding() {
            wake = wake.min(last_retry + RETRY);
        }
        for t in [app.next_timer(now), l.preview.as_deref().and_then(|p| p.quiet.deadline())].into_iter().flatten() {
            wake = wake.min(t);
        }
        let Some(first) = l.events.next(wake) else { continue };
        // Everything already waiting is taken before the next frame (a burst of keys).
        let mut msg = Some(first);
        while let Some(m) = msg {
            dirty |= handle(m, app, l, session);
            if app.quitting() || l.ended.is_some() {
                break;
            }
            retaken |= l.edge.carry(app, session) == edge::Screen::Retaken;
            msg = l.events.pending();
        }
    }
    Ok(())
}

/// Apply one message; whether the screen changed.
fn handle(msg: Msg, app: &mut App, l: &mut Loop<'_>, session: &mut Session) -> bool {
    let now = Instant::now();
    match msg {
        Msg::Terminal(Event::Key(key)) => {
            if let Some(action) = keymap::action_for(key, app.key_context()) {
                app.update(action, now);
                app.check_index(now);
            }
        }
        Msg::Terminal(Event::Paste(text)) => {
            app.paste(&text, now);
            app.check_index(now);
        }
        Msg::Terminal(Event::Resize(w, h)) => app.resize(w, h),
        Msg::Terminal(_) => return false,
        Msg::TerminalGone => l.ended = Some("the terminal went away (its SSH link or window closed)"),
        Msg::TerminalError(e) => {
            l.ended = Some("the terminal could not be read");
            app.say(e, now);
        }
        Msg::Index(background::Built::Cached(index)) => app.index_ready(index),
        Msg::Index(background::Built::Catalog(catalog, age)) => {
            let said = age.is_some();
            app.set_catalog(catalog, age);
            return said;
        }
        // The first list came from the cache as it was: the checked index replaces it, and
        // the results are searched again only when something changed.
        Msg::Index(background::Built::Ready(index)) if index.unchanged() && app.index_is_ready() => {
            app.index_checked(index);
            return false;
        }
        Msg::Index(background::Built::Ready(index)) => app.index_ready(index),
        Msg::Index(background::Built::Recovered(index, why)) => {
            app.index_ready(index);
            app.add_problem(crate::Problem::error("search index", None, "internal", why));
        }
        Msg::Index(background::Built::Failed(why)) => app.index_failed(why),
        Msg::Index(background::Built::Meaning(index, made)) => app.meaning_made(&index, made, now),
        Msg::FileChanged => {
            if let Some(p) = l.preview.as_deref_mut() {
                p.quiet.touch(now);
            }
            return false;
        }
        Msg::Signal(events::Signal::Stop) => app.update(action::Action::Suspend, now),
        Msg::Signal(events::Signal::Continue) => {}
        Msg::Signal(sig) => l.ended = sig.ends_session(),
        Msg::PaneClosed(id) => l.edge.pane_closed(&id, app, session),
    }
    true
}
