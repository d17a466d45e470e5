#![allow(dead_code)] // Each test binary uses a different part of this helper.
//! Driving the TUI's `App` without a terminal: real keys through the keymap, then a frame
//! drawn to ratatui's TestBackend, as the event loop does.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use runbook::runbook::library::Catalog;
use runbook::search::{Cache, Progress, SearchIndex};
use runbook::tui::app::App;
use runbook::tui::draw;
use runbook::tui::keymap::action_for;
use runbook::tui::theme::Theme;

pub fn fixtures() -> PathBuf {
    // Relative, so that paths in snapshots do not depend on where the checkout is.
    PathBuf::from("tests/fixtures/tui")
}

pub fn app_with(query: &str) -> App {
    app_in(&fixtures(), query)
}

/// The TUI's `App` on one folder, its index built in memory, `query` typed.
pub fn app_in(folder: &std::path::Path, query: &str) -> App {
    app_on(&[folder.to_path_buf()], query)
}

/// The TUI's `App` on these folders, its index built in memory, `query` typed.
pub fn app_on(roots: &[PathBuf], query: &str) -> App {
    let catalog = Catalog::scan(roots);
    let index = SearchIndex::open(&catalog, &Cache::Off, &Arc::new(Progress::default()));
    app_of(catalog, index, query)
}

/// The TUI's `App` with this catalog and its index (made by the test), `query` typed.
pub fn app_of(catalog: Catalog, index: SearchIndex, query: &str) -> App {
    let mut app = App::new(Arc::new(catalog), Theme { color: false }, query, Arc::new(Progress::default()));
    app.index_ready(Arc::new(index));
    app
}

pub fn press(app: &mut App, code: KeyCode) {
    press_at(app, code, Instant::now());
}

/// A key, then a frame at the app's size, as the event loop does (drawing settles scrolling).
pub fn press_at(app: &mut App, code: KeyCode, now: Instant) {
    let key = KeyEvent::new(code, KeyModifiers::NONE);
    if let Some(action) = action_for(key, app.key_context()) {
        app.update(action, now);
        // As the event loop does: the runbook an action asked for is opened.
        app.carry_openings(now);
    }
    let (w, h) = app.size();
    screen(app, w, h, now);
}

pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

pub fn section_id(app: &App) -> String {
    app.guide().map(|g| g.rb.sections[g.section].id.clone()).unwrap_or_default()
}

pub fn screen(app: &App, w: u16, h: u16, now: Instant) -> String {
    let mut term = Terminal::new(TestBackend::new(w, h)).unwrap();
    term.draw(|f| draw(f, app, now)).unwrap();
    let buf = term.backend().buffer().clone();
    let mut out = String::new();
    for y in 0..h {
        for x in 0..w {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}
