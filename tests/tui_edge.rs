//! The TUI's edge with the shell, driven through `update` (the pty and tmux tests in
//! `shell_edge.rs` try the same in real terminals): a paste is text, never keys; the command
//! view shows the command a copy takes; `!`, `|` and Ctrl-Z become effects for the event
//! loop; quitting in the middle of a procedure asks once.

#![cfg(test)]

mod drive;

use std::time::Instant;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use runbook::journal::Event;
use runbook::tui::app::{Overlay, Screen};
use runbook::tui::keymap::action_for;
use runbook::tui::outbox::{Copied, Effect};

use drive::{app_with, press, screen, section_id};

fn journal(app: &runbook::tui::app::App) -> Vec<&Event> {
    app.effects()
        .iter()
        .filter_map(|e| match e {
            Effect::Journal(ev) => Some(ev),
            _ => None,
        })
        .collect()
}

#[test]
fn a_multi_line_paste_becomes_the_query_and_opens_nothing() {
    let mut app = app_with("");
    app.paste("disk is full\r\nNo space left\ton device\n\n1\nq\n", Instant::now());
    assert_eq!(app.search().query.text, "disk is full No space left on device 1 q");
    assert_eq!(app.screen(), Screen::Search, "a newline in a paste is not Enter");
    assert!(!app.quitting());
    assert!(app.search().results.first().is_some_and(|h| h.entry.title == "Disk full"));
    // Controls never reach the query; a long paste is cut, and the cut is said.
    let mut app = app_with("");
    app.paste(&format!("\u{1b}[2Jdisk{}", " full".repeat(200)), Instant::now());
    assert!(app.search().query.text.starts_with("[2Jdisk full"));
    assert_eq!(app.search().query.text.chars().count(), 400);
    assert!(app.status_text(Instant::now()).is_some_and(|s| s.contains("cut to its first 400")));
}

#[test]
fn a_paste_in_a_guide_or_a_dialog_answers_checks_and_confirms_nothing() {
    let mut app = app_with("disk full");
    press(&mut app, KeyCode::Enter);
    let before = section_id(&app);
    app.take_effects();
    app.paste("1\n \ny\nn note\n", Instant::now());
    assert_eq!(section_id(&app), before, "no answer taken");
    assert!(app.overlay().is_none(), "no note opened");
    assert!(journal(&app).is_empty(), "nothing journalled: {:?}", app.effects());
    assert!(app.status_text(Instant::now()).is_some_and(|s| s.contains("Pasted text ignored")));
    // The risky-step dialog: a pasted `y` confirms nothing.
    press(&mut app, KeyCode::Char('1'));
    press(&mut app, KeyCode::Char(' '));
    assert!(matches!(app.overlay(), Some(Overlay::ConfirmRisk { .. })), "{:?}", app.overlay());
    app.paste("y\n", Instant::now());
    assert!(matches!(app.overlay(), Some(Overlay::ConfirmRisk { .. })));
    assert_eq!(app.incident().checked_count("os/disk-full"), 0);
    // A note is a text box: a paste is text there, saved only by Enter.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('n'));
    app.paste("freed\n3 GB", Instant::now());
    assert!(matches!(app.overlay(), Some(Overlay::Note { input }) if input.text == "freed 3 GB"));
    assert!(!journal(&app).iter().any(|e| matches!(e, Event::Note { .. })));
}

#[test]
fn the_command_view_shows_the_command_a_copy_takes_and_scrolls_sideways() {
    let mut app = app_with("disk full");
    app.resize(60, 20);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('1'));
    press(&mut app, KeyCode::Char('w'));
    let Some(Overlay::Command { text, .. }) = app.overlay() else { panic!("{:?}", app.overlay()) };
    assert_eq!(text, "sudo journalctl --vacuum-size=500M\n");
    let shown = screen(&app, 60, 20, Instant::now());
    assert!(shown.lines().any(|l| l.trim_end() == "sudo journalctl --vacuum-size=500M"), "{shown}");
    press(&mut app, KeyCode::Right);
    let shown = screen(&app, 60, 20, Instant::now());
    assert!(shown.lines().any(|l| l.trim_end() == "sudo journalctl --vacuum-size=500M"), "it fits: {shown}");
    // On a phone's narrow screen a long line scrolls sideways, and the view says so.
    let shown = screen(&app, 24, 20, Instant::now());
    assert!(shown.lines().any(|l| l.trim_end() == "alctl --vacuum-size=500M"), "{shown}");
    assert!(shown.contains("◀ 10 column(s) left"), "{shown}");
    press(&mut app, KeyCode::Left);
    let shown = screen(&app, 24, 20, Instant::now());
    assert!(shown.lines().any(|l| l.trim_end() == "sudo journalctl --vacuum"), "{shown}");
    assert!(shown.contains("▶ 10 more column(s)"), "{shown}");
    // `c` there copies the same command, as `c` in the guide does.
    app.take_effects();
    press(&mut app, KeyCode::Char('c'));
    let copy = Effect::Copy { text: "sudo journalctl --vacuum-size=500M\n".into(), what: Copied::Command };
    assert!(app.effects().contains(&copy), "{:?}", app.effects());
    press(&mut app, KeyCode::Esc);
    assert!(app.overlay().is_none());
}

#[test]
fn shell_keys_and_ctrl_z_become_effects_with_the_selected_command() {
    let mut app = app_with("disk full");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('1'));
    app.take_effects();
    press(&mut app, KeyCode::Char('!'));
    assert_eq!(app.effects(), [Effect::Shell(Some("sudo journalctl --vacuum-size=500M\n".into()))]);
    app.take_effects();
    press(&mut app, KeyCode::Char('|'));
    assert_eq!(app.effects(), [Effect::ShellPane]);
    app.take_effects();
    // Ctrl-Z suspends from anywhere, a dialog included.
    press(&mut app, KeyCode::Char('?'));
    let ctrl_z = KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL);
    if let Some(a) = action_for(ctrl_z, app.key_context()) {
        app.update(a, Instant::now());
    }
    assert_eq!(app.effects(), [Effect::Suspend]);
}

#[test]
fn quitting_with_a_procedures_steps_not_done_asks_once() {
    // Nothing started: q quits at once.
    let mut app = app_with("disk full");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('q'));
    assert!(app.quitting());
    // A step checked, others not: asked; Esc stays; q again quits.
    let mut app = app_with("disk full");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('1'));
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Char(' '));
    assert_eq!(app.incident().checked_count("os/disk-full"), 1);
    press(&mut app, KeyCode::Char('q'));
    assert!(!app.quitting());
    let Some(Overlay::QuitConfirm { summary }) = app.overlay() else { panic!("{:?}", app.overlay()) };
    assert_eq!(summary, "Disk full: 1 of 3 steps done");
    press(&mut app, KeyCode::Esc);
    assert!(!app.quitting() && app.overlay().is_none());
    press(&mut app, KeyCode::Char('q'));
    press(&mut app, KeyCode::Char('q'));
    assert!(app.quitting());
    assert_eq!(app.unfinished().as_deref(), Some("Disk full: 1 of 3 steps done"));
}

#[test]
fn shift_c_copies_again_with_new_values_for_the_inputs() {
    let roots = vec![std::path::PathBuf::from("tests/fixtures/shell")];
    let mut app = drive::app_on(&roots, "restart web");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter); // the steps
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    let copied = |app: &runbook::tui::app::App| {
        app.effects().iter().rev().find_map(|e| match e {
            Effect::Copy { text, .. } => Some(text.clone()),
            _ => None,
        })
    };
    press(&mut app, KeyCode::Char('c'));
    drive::type_text(&mut app, "web-03");
    press(&mut app, KeyCode::Enter);
    assert!(copied(&app).is_some_and(|t| t.starts_with("HOST=web-03 ")), "{:?}", copied(&app));
    // `c` again reuses the value; `C` asks for it again, prefilled.
    app.take_effects();
    press(&mut app, KeyCode::Char('c'));
    assert!(app.overlay().is_none());
    assert!(copied(&app).is_some_and(|t| t.starts_with("HOST=web-03 ")));
    press(&mut app, KeyCode::Char('C'));
    let Some(Overlay::Inputs { input, .. }) = app.overlay() else { panic!("{:?}", app.overlay()) };
    assert_eq!(input.text, "web-03");
    let ctrl_u = KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL);
    if let Some(a) = action_for(ctrl_u, app.key_context()) {
        app.update(a, Instant::now());
    }
    drive::type_text(&mut app, "web-04");
    press(&mut app, KeyCode::Enter);
    assert!(app.overlay().is_none());
    assert!(copied(&app).is_some_and(|t| t.starts_with("HOST=web-04 ")), "{:?}", copied(&app));
    assert!(journal(&app).iter().any(|e| matches!(e, Event::Input { value, .. } if value == "web-04")));
}
