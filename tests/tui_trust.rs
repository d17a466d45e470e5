//! What the screen says is what happens (issue 22's responder side, driven through `update`
//! on the shipped kit): a search opens deep only where its words name the question, never at
//! Verify or a procedure's steps; Enter on results that match nothing opens nothing; Enter
//! does what the footer says.

#![cfg(test)]

mod drive;

use std::path::PathBuf;
use std::time::Instant;

use crossterm::event::KeyCode;
use runbook::tui::app::{App, Screen};

use drive::{press, screen, section_id, type_text};

fn kit(query: &str) -> App {
    let roots = vec![PathBuf::from("runbooks")];
    let mut app = drive::app_on(&roots, query);
    app.resize(60, 20);
    app
}

fn opened(query: &str) -> (String, String, String) {
    let mut app = kit(query);
    press(&mut app, KeyCode::Enter);
    let g = app.guide().expect("a runbook opened");
    let section = g.rb.sections[g.section].title.clone();
    (g.rb.id.clone(), section_id(&app), section + " | " + &screen(&app, 60, 20, Instant::now()))
}

#[test]
fn a_search_opens_at_the_start_unless_its_words_name_a_question() {
    for query in ["app log no space left on device", "app can't connect to the database"] {
        let (id, section, shown) = opened(query);
        assert!(!shown.contains("from your search"), "{query}: opened {id} at {section}:\n{shown}");
        assert!(!shown.contains("[VERIFY]") && !shown.contains("[ROLLBACK]"), "{query}:\n{shown}");
        println!("{query}: {id}#{section}");
    }
}

/// What the footer says Enter does (drawn once the status message, which takes the footer's
/// place for a while, is gone).
fn enter_hint(app: &App) -> String {
    let shown = screen(app, 80, 24, Instant::now() + std::time::Duration::from_secs(60));
    let footer = shown.lines().last().unwrap_or_default().to_owned();
    footer.split("  ").find_map(|p| p.trim().strip_prefix("Enter ").map(str::to_owned)).unwrap_or_default()
}

#[test]
fn enter_does_what_the_footer_says_through_a_whole_procedure() {
    let mut app = kit("restart our application");
    app.resize(80, 24);
    press(&mut app, KeyCode::Enter);
    let mut seen = Vec::new();
    for _ in 0..40 {
        let Some(g) = app.guide() else { break };
        let (before, checked) = (section_id(&app), app.incident().checked_count(&g.rb.id));
        let hint = enter_hint(&app);
        if hint.is_empty() {
            break;
        }
        press(&mut app, KeyCode::Enter);
        if app.overlay().is_some() {
            // The risky step's dialog: confirmed, as a responder would.
            press(&mut app, KeyCode::Char('y'));
        }
        let g = app.guide().expect("still in the guide");
        let (after, now_checked) = (section_id(&app), app.incident().checked_count(&g.rb.id));
        match hint.as_str() {
            "check" => assert_eq!((after.as_str(), now_checked), (before.as_str(), checked + 1), "Enter check"),
            "continue" => {
                assert_ne!(after, before, "Enter continue moved on");
                assert_eq!(now_checked, checked, "and unchecked nothing");
            }
            other => panic!("unexpected Enter hint {other:?}"),
        }
        seen.push(format!("{hint}@{before}"));
        if before == "steps" && hint == "continue" {
            break;
        }
    }
    assert!(seen.iter().filter(|s| s.starts_with("check@steps")).count() >= 5, "{seen:?}");
    assert!(seen.iter().any(|s| s == "continue@steps"), "after the steps, Enter continues: {seen:?}");
    assert_eq!(section_id(&app), "verify", "{seen:?}");
}

#[test]
fn enter_on_results_that_match_nothing_opens_nothing() {
    let mut app = kit("");
    type_text(&mut app, "qwxzv");
    assert!(app.search().stale, "the last results stay, marked");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen(), Screen::Search, "nothing opened");
    let said = app.status_text(Instant::now()).unwrap_or_default().to_owned();
    assert!(said.contains("Nothing matches \"qwxzv\""), "{said}");
}
