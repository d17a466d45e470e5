//! Drawing: the current screen, then the overlay over it. Reads the state; the only thing a
//! draw settles is a scroll asked for since the last frame (see `scroll`).

use std::time::Instant;

use ratatui::Frame;

use super::app::App;
use super::layout::Screen;
use super::{chrome, guide_screen, overlay, search_screen};

pub fn draw(frame: &mut Frame<'_>, app: &App, now: Instant) {
    let (theme, status) = (app.theme(), app.status_text(now));
    // Review dates are days: the wall clock's date, read once a frame.
    let today = jiff::Zoned::now().date();
    let age = app.age().short(jiff::Timestamp::now());
    match app.screen() {
        Screen::Search => {
            let look = search_screen::DrawContext {
                theme,
                index: app.index(),
                meaning: app.meaning(),
                problems: app.problems().len(),
                status,
                today,
                age: age.as_deref(),
                drill: app.drill(),
            };
            search_screen::draw(frame, app.search(), look);
        }
        Screen::Guide => {
            if let Some(screen) = app.guide_screen() {
                guide_screen::draw(
                    frame,
                    screen,
                    guide_screen::DrawContext {
                        theme,
                        incident: app.incident(),
                        facts: &app.team().facts,
                        status,
                        today,
                    },
                );
            }
        }
    }
    if let Some(o) = app.overlay() {
        let entries = match app.index() {
            super::background::IndexState::Ready(index) => index.entries(),
            _ => &[],
        };
        let look = overlay::DrawContext {
            theme,
            screen: app.screen(),
            guide: app.guide(),
            problems: app.problems(),
            now,
            team: app.team(),
            entries,
            incident: app.incident(),
        };
        overlay::draw(frame, o, look);
        if !matches!(o, overlay::Overlay::Command { .. }) {
            // The footer shows the keys of the dialog the keys go to.
            let area = frame.area();
            let rows = chrome::footer_rows(status, area.width);
            let footer = ratatui::layout::Rect {
                y: area.y + area.height.saturating_sub(rows),
                height: rows.min(area.height),
                ..area
            };
            frame.render_widget(ratatui::widgets::Clear, footer);
            chrome::footer(frame, footer, theme, status, &o.keys());
        }
    }
}
