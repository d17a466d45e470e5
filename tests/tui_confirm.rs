//! The risky-step dialog shows what it confirms: at any size from 60x20 up, its command (with
//! the inputs given, the same text `c` copies) and its keys are on screen, whatever the length
//! of the steps not done and of the warning; the rest scrolls.

#![cfg(test)]

mod drive;

use std::time::Instant;

use crossterm::event::KeyCode;
use proptest::prelude::*;
use runbook::tui::app::{App, Overlay};
use runbook::tui::outbox::Effect;

use drive::{press, screen, type_text};

/// A procedure with `before` checks, a risky step whose warning has `warning` lines and whose
/// command has `extra` lines after an input.
fn procedure(before: usize, warning: usize, extra: usize) -> String {
    let checks: String =
        (1..=before).map(|n| format!("- [ ] Check number {n} that comes before the change\n")).collect();
    let caution: String = (1..=warning).map(|n| format!("> Line {n} of what this changes for good.\n")).collect();
    let more: String = (1..=extra).map(|n| format!("  echo step-{n} \"$LOG\"\n")).collect();
    format!(
        "---\ntitle: Rotate the log\nkind: procedure\nseverity: high\nescalation:\n  - name: Ops\n    contact: \"#ops\"\n---\n\
         # Rotate the log\n\n## Before you start\n\n{checks}\n## Steps\n\n> [!CAUTION]\n{caution}\n\
         - [ ] Truncate the log:\n\n  ```sh\n  LOG=   # input: the log file\n  truncate -s 0 \"$LOG\"\n{more}  ```\n\n\
         ## Verify\n\n- [ ] It is small.\n\n## Rollback\n\nNothing to undo.\n"
    )
}

/// The app on a folder holding `text`, the risky step's dialog open, `LOG` given.
fn dialog(text: &str, w: u16, h: u16) -> (App, tempfile::TempDir) {
    let dir = tempfile::TempDir::new().unwrap();
    std::fs::write(dir.path().join("rotate.md"), text).unwrap();
    let roots = vec![dir.path().to_path_buf()];
    let mut app = drive::app_on(&roots, "rotate the log");
    app.resize(w, h);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Right); // Before you start
    press(&mut app, KeyCode::Right); // Steps
    press(&mut app, KeyCode::Char(' '));
    assert!(matches!(app.overlay(), Some(Overlay::ConfirmRisk { .. })), "{:?}", app.overlay());
    // `c` in the dialog asks the input, copies, and the dialog comes back, filled.
    press(&mut app, KeyCode::Char('c'));
    assert!(matches!(app.overlay(), Some(Overlay::Inputs { .. })), "{:?}", app.overlay());
    type_text(&mut app, "/var/log/myapp/app.log");
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.overlay(), Some(Overlay::ConfirmRisk { .. })), "back to the dialog: {:?}", app.overlay());
    (app, dir)
}

const FILLED: &str = "LOG=/var/log/myapp/app.log   # input: the log file";

#[test]
fn the_dialog_shows_the_command_as_it_was_copied() {
    let (app, _dir) = dialog(&procedure(2, 2, 0), 80, 24);
    let shown = screen(&app, 80, 24, Instant::now());
    assert!(shown.contains(FILLED), "{shown}");
    assert!(!shown.contains("LOG=   # input"), "{shown}");
    let copied = app.effects().iter().find_map(|e| match e {
        Effect::Copy { text, .. } => Some(text.clone()),
        _ => None,
    });
    assert_eq!(copied.as_deref(), Some(format!("{FILLED}\ntruncate -s 0 \"$LOG\"\n").as_str()));
}

#[test]
fn a_long_dialog_at_phone_size_keeps_its_command_and_keys_and_scrolls_the_rest() {
    let (mut app, _dir) = dialog(&procedure(8, 6, 3), 60, 20);
    let now = Instant::now();
    let first = screen(&app, 60, 20, now);
    insta::assert_snapshot!("confirm_long_60x20", first);
    for _ in 0..30 {
        press(&mut app, KeyCode::PageDown);
    }
    let last = screen(&app, 60, 20, now);
    assert!(last.contains("Line 6 of what this changes"), "the end of the warning, scrolled to:\n{last}");
    assert!(last.contains("line(s) above"), "{last}");
    assert!(last.contains(FILLED) && last.contains("y I understand") && last.contains("Esc cancel"), "{last}");
    assert!(last.contains("y confirm"), "the footer has the dialog's keys:\n{last}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn at_any_size_the_command_and_keys_show(
        before in 0usize..14,
        warning in 1usize..12,
        extra in 0usize..4,
        w in 60u16..160,
        h in 20u16..50,
    ) {
        let (app, _dir) = dialog(&procedure(before, warning, extra), w, h);
        let shown = screen(&app, w, h, Instant::now());
        prop_assert!(shown.contains(FILLED), "{}", shown);
        prop_assert!(shown.contains("truncate -s 0 \"$LOG\""), "{}", shown);
        for n in 1..=extra {
            let step = format!("echo step-{n} \"$LOG\"");
            prop_assert!(shown.contains(&step), "{}", shown);
        }
        prop_assert!(shown.contains("y I understand, mark it done") && shown.contains("Esc cancel"), "{}", shown);
    }
}
