//! The responder's TUI. One `App`, keys -> `Action` (pure keymap) -> `App::update`, drawn by
//! `ui::draw(&App)`. The index builds on a background thread so the first frame appears at
//! once; the terminal is restored on quit, panic, SIGTERM and SIGHUP (the SSH link dropped).

pub mod action;
pub mod app;
pub mod guide;
mod help;
pub mod input;
pub mod keymap;
pub mod layout;
pub mod markdown;
pub mod render;
mod table;
pub mod theme;
pub mod ui;

use std::io::Write;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use crossterm::event::{self, Event};

use app::{App, Effect};
use theme::Theme;

use crate::search::{Cache, Progress, SearchIndex};

/// Options for a TUI session.
#[derive(Debug, Clone)]
pub struct Options {
    pub roots: Vec<PathBuf>,
    pub color: bool,
    pub query: String,
}

/// Run the TUI until the responder quits or the terminal goes away.
pub fn run(opts: Options) -> std::io::Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    for sig in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGHUP, signal_hook::consts::SIGINT] {
        signal_hook::flag::register(sig, Arc::clone(&stop))?;
    }
    let progress = Arc::new(Progress::default());
    let (tx, rx) = std::sync::mpsc::channel();
    {
        let roots = opts.roots.clone();
        let progress = Arc::clone(&progress);
        std::thread::spawn(move || {
            let index = SearchIndex::open(&roots, &Cache::Default, &progress);
            let _ = tx.send(Arc::new(index));
        });
    }
    let mut app = App::new(opts.roots, Theme { color: opts.color }, &opts.query, progress);
    // ratatui's init installs a panic hook that restores the terminal before the message.
    let mut terminal = ratatui::try_init()?;
    let result = event_loop(&mut terminal, &mut app, &rx, &stop);
    ratatui::restore();
    result
}

fn event_loop(
    terminal: &mut ratatui::DefaultTerminal,
    app: &mut App,
    rx: &std::sync::mpsc::Receiver<Arc<SearchIndex>>,
    stop: &AtomicBool,
) -> std::io::Result<()> {
    let mut dirty = true;
    let mut last_draw = Instant::now();
    while !app.quit {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        if let Ok(index) = rx.try_recv() {
            app.index_ready(index);
            dirty = true;
        }
        let now = Instant::now();
        // Redraw on change, and every second for progress and escalation timers.
        if dirty || now.duration_since(last_draw) >= Duration::from_secs(1) {
            let size = terminal.size()?;
            app.size = (size.width, size.height);
            terminal.draw(|f| ui::draw(f, app, now))?;
            last_draw = now;
            dirty = false;
        }
        if !event::poll(Duration::from_millis(200))? {
            continue;
        }
        match event::read()? {
            Event::Key(key) => {
                if let Some(action) = keymap::action_for(key, app.key_context()) {
                    app.update(action, Instant::now());
                    render::ensure_visible(app);
                }
                dirty = true;
            }
            Event::Resize(w, h) => {
                app.size = (w, h);
                dirty = true;
            }
            _ => {}
        }
        for effect in std::mem::take(&mut app.effects) {
            match effect {
                Effect::Copy(text) => {
                    let mut out = std::io::stdout();
                    let _ = crossterm::execute!(
                        out,
                        crossterm::clipboard::CopyToClipboard::to_clipboard_from(text.as_bytes())
                    );
                    let _ = out.flush();
                }
            }
        }
    }
    Ok(())
}
