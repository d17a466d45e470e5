//! The responder's TUI. Keys -> `Action` (pure keymap) -> `App::update`, which routes to the
//! screen or overlay that owns the state; `draw(&App)` paints it. The index builds on a background thread so the first frame appears at
//! once, and a failure there is a problem on screen, never the end of the session
//! (`background`); the terminal is restored on quit, panic, SIGTERM, SIGINT, SIGQUIT and
//! SIGHUP (the SSH link dropped).

pub mod action;
pub mod app;
mod background;
mod chrome;
mod draw;
pub mod guide_screen;
mod incident;
pub mod input;
pub mod keymap;
pub mod layout;
pub mod outbox;
pub mod overlay;
mod preview;
mod scroll;
pub mod search_screen;
mod session;
pub mod theme;
mod watch;
mod wrap;

pub use draw::draw;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{self, Event};
use session::{Session, Signals, handle_effects};

use app::App;
use theme::Theme;

use crate::search::Progress;

/// Options for a TUI session.
#[derive(Debug, Clone)]
pub struct Options {
    pub roots: Vec<PathBuf>,
    pub color: bool,
    pub query: String,
    /// Reopen the last session where it stopped.
    pub resume: bool,
    /// Said on the status line at start (the built-in kit is in use).
    pub notice: Option<String>,
    /// The responder's name for the journal.
    pub name: String,
    /// How old the runbooks are.
    pub age: crate::repo::Age,
    /// `runbook preview`: the file (relative to the one root) to open and reload on save.
    pub preview: Option<String>,
    /// `runbook drill`: recorded as a drill, apart from real sessions.
    pub drill: Option<crate::journal::Drill>,
}

/// Run the TUI until the responder quits or the terminal goes away; the session journal's
/// file, if one was written.
pub fn run(opts: Options) -> std::io::Result<Option<PathBuf>> {
    let signals = Signals::register()?;
    let progress = Arc::new(Progress::default());
    let mut app = App::new(opts.roots, Theme { color: opts.color }, &opts.query, Arc::clone(&progress));
    app.set_age(opts.age);
    let (team, team_problems) = crate::runbook::library::load_team(app.roots());
    app.set_team(team);
    for p in team_problems {
        app.add_problem(p);
    }
    app.set_previewing(opts.preview.is_some());
    app.set_drill(opts.drill.as_ref().map(|d| d.scenario.clone()));
    let mut session = Session::start(&mut app, opts.resume, opts.name, opts.drill);
    if let Some(n) = opts.notice {
        app.say(n, Instant::now());
    }
    // ratatui's init installs a panic hook that restores the terminal before the message.
    let mut terminal = ratatui::try_init()?;
    background::install_panic_hook();
    // Started once the hook is in place: a panic there can no longer reach ratatui's hook.
    let rx = background::build_index(app.roots().to_vec(), Arc::clone(&progress));
    let mut preview = None;
    if let (Some(rel), Some(root)) = (opts.preview, app.roots().first().cloned()) {
        let watch = watch::Watch::new(&root.join(&rel));
        if let Err(e) = &watch {
            app.say(format!("Cannot watch the file ({e}): it will not reload"), Instant::now());
        }
        app.preview_reloaded(preview::read(&root, &rel), Instant::now());
        preview = Some(Preview { root, rel, watch: watch.ok() });
    }
    let result = event_loop(
        &mut terminal,
        &mut app,
        Loop { rx: &rx, signals: &signals, preview: preview.as_mut() },
        &mut session,
    );
    let reason = signals.reason().unwrap_or(crate::journal::END_QUIT);
    session.write(&mut app, crate::journal::Event::SessionEnd { reason: reason.to_owned() });
    // When the terminal is gone, restoring it fails; there is nobody to tell.
    let _ = ratatui::try_restore();
    result.map(|()| session.path())
}

/// The file being previewed, and its watch.
struct Preview {
    root: PathBuf,
    rel: String,
    watch: Option<watch::Watch>,
}

/// What the event loop listens to besides the keyboard.
struct Loop<'a> {
    rx: &'a std::sync::mpsc::Receiver<background::Built>,
    signals: &'a Signals,
    preview: Option<&'a mut Preview>,
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    mut l: Loop<'_>,
    session: &mut Session,
) -> std::io::Result<()> {
    let (rx, signals) = (l.rx, l.signals);
    let mut dirty = true;
    let mut last_draw = Instant::now();
    while !app.quitting() {
        if signals.reason().is_some() || terminal_gone() {
            break;
        }
        app.tick(Instant::now());
        let building = matches!(app.index(), background::IndexState::Building(_));
        match rx.try_recv() {
            Ok(background::Built::Ready(index)) => app.index_ready(index),
            Ok(background::Built::Recovered(index, why)) => {
                app.index_ready(index);
                app.add_problem(crate::Problem::error("search index", None, "internal", why));
            }
            Ok(background::Built::Failed(why)) => app.index_failed(why),
            Err(std::sync::mpsc::TryRecvError::Disconnected) if building => {
                app.index_failed("the search index thread stopped without a result".into());
            }
            Err(_) => {}
        }
        dirty |= building && !matches!(app.index(), background::IndexState::Building(_));
        if let Some(p) = l.preview.as_deref_mut()
            && p.watch.as_mut().is_some_and(|w| w.changed(Instant::now()))
        {
            app.preview_reloaded(preview::read(&p.root, &p.rel), Instant::now());
            dirty = true;
        }
        let now = Instant::now();
        // Redraw on change, and every second for progress and escalation timers.
        if dirty || now.duration_since(last_draw) >= Duration::from_secs(1) {
            let size = terminal.size()?;
            app.resize(size.width, size.height);
            terminal.draw(|f| draw(f, app, now))?;
            last_draw = now;
            dirty = false;
        }
        handle_effects(app, session);
        if !event::poll(Duration::from_millis(200))? {
            continue;
        }
        match event::read()? {
            Event::Key(key) => {
                if let Some(action) = keymap::action_for(key, app.key_context()) {
                    app.update(action, Instant::now());
                }
                dirty = true;
            }
            Event::Resize(w, h) => {
                app.resize(w, h);
                dirty = true;
            }
            _ => {}
        }
        handle_effects(app, session);
    }
    Ok(())
}

/// Whether the terminal hung up (its SSH link or terminal window closed without a SIGHUP
/// reaching us). crossterm's reader spins on end-of-file, so this is checked first.
fn terminal_gone() -> bool {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    let stdin = std::io::stdin();
    let mut fds = [PollFd::new(&stdin, PollFlags::IN)];
    let now = Timespec { tv_sec: 0, tv_nsec: 0 };
    poll(&mut fds, Some(&now)).is_ok() && fds[0].revents().intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL)
}
