//! Alerts in the TUI, driven through `App`: a pasted alert opens its runbook as `runbook
//! alert` does, its labels fill the inputs that name them, its summary heads the guide and
//! the journal records what fired; several alerts are offered as a list.

#![cfg(test)]

mod drive;

use std::time::Instant;

use crossterm::event::KeyCode;
use runbook::journal::Event;
use runbook::tui::app::{App, Overlay, Screen};
use runbook::tui::outbox::Effect;

use drive::{app_in, press, screen};

const DISK: &str = "---\ntitle: Disk full\nalerts: [NodeFilesystemSpaceFillingUp]\n---\n# Disk full\n\n## Free space\n\n- [ ] See what is big:\n\n  ```sh\n  MOUNT=/   # input from mountpoint: the full filesystem\n  HOST=   # input from instance\n  du -xh \"$MOUNT\" | sort -h | tail\n  ```\n";
const MEMORY: &str = "---\ntitle: Out of memory\nalerts: [HostOutOfMemory]\n---\n# Out of memory\n\n## Look\n\n- [ ] Who uses it:\n\n  ```sh\n  ps aux --sort=-rss | head\n  ```\n";

const NOTIFICATION: &str = "[FIRING:1] NodeFilesystemSpaceFillingUp (web-03:9100 /var)\nLabels:\n - alertname = NodeFilesystemSpaceFillingUp\n - instance = web-03:9100\n - mountpoint = /var\nAnnotations:\n - summary = Filesystem is predicted to run out of space within the next 24 hours.\nSource: http://prometheus/graph\n";

fn app() -> (tempfile::TempDir, App) {
    let dir = tempfile::TempDir::new().unwrap();
    std::fs::write(dir.path().join("disk.md"), DISK).unwrap();
    std::fs::write(dir.path().join("memory.md"), MEMORY).unwrap();
    let app = app_in(dir.path(), "");
    (dir, app)
}

fn alerts_logged(app: &App) -> Vec<(String, Option<String>)> {
    app.effects()
        .iter()
        .filter_map(|e| match e {
            Effect::Journal(Event::Alert { name, labels, .. }) => {
                Some((name.clone(), labels.get("mountpoint").cloned()))
            }
            _ => None,
        })
        .collect()
}

#[test]
fn a_pasted_alert_opens_its_runbook_with_its_labels_in_the_commands() {
    let (_dir, mut app) = app();
    let now = Instant::now();
    app.paste(NOTIFICATION, now);
    app.carry_openings(now);
    assert_eq!(app.screen(), Screen::Guide, "the alert's runbook opens");
    assert_eq!(app.guide().map(|g| g.rb.title.clone()).as_deref(), Some("Disk full"));
    assert_eq!(alerts_logged(&app), [("NodeFilesystemSpaceFillingUp".to_owned(), Some("/var".to_owned()))]);
    assert!(
        screen(&app, 100, 24, now).contains("NodeFilesystemSpaceFillingUp: Filesystem is predicted"),
        "the summary heads the guide"
    );
    press(&mut app, KeyCode::Enter); // on to the section with the command
    let shown = screen(&app, 100, 24, now);
    assert!(shown.contains("MOUNT=/var"), "the label fills the input: {shown}");
    assert!(shown.contains("HOST=web-03:9100"), "{shown}");
    assert!(shown.contains("⚠ NodeFilesystemSpaceFillingUp"), "it stays in the header: {shown}");
    assert!(
        app.status_text(now).is_some_and(|s| s.contains("the runbook lists this alert")),
        "how it was found is said"
    );
    // Copying asks for the values, prefilled from the labels.
    press(&mut app, KeyCode::Char('c'));
    match app.overlay() {
        Some(Overlay::Inputs { input, .. }) => assert_eq!(input.text, "/var"),
        other => panic!("inputs asked: {other:?}"),
    }
}

#[test]
fn several_alerts_are_offered_as_a_list() {
    let (_dir, mut app) = app();
    let now = Instant::now();
    let payload = r#"{"status":"firing","alerts":[
        {"status":"firing","labels":{"alertname":"NodeFilesystemSpaceFillingUp","mountpoint":"/var"},"annotations":{"summary":"disk"}},
        {"status":"firing","labels":{"alertname":"HostOutOfMemory","instance":"db-1"},"annotations":{"summary":"memory"}}]}"#;
    app.paste(payload, now);
    app.carry_openings(now);
    assert_eq!(app.screen(), Screen::Search, "nothing opens before one is chosen");
    assert!(matches!(app.overlay(), Some(Overlay::Alerts { lines, .. }) if lines.len() == 2));
    let shown = screen(&app, 80, 24, now);
    assert!(shown.contains("HostOutOfMemory [firing] -> Out of memory  instance=db-1"), "{shown}");
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.guide().map(|g| g.rb.title.clone()).as_deref(), Some("Out of memory"));
    assert_eq!(alerts_logged(&app), [("HostOutOfMemory".to_owned(), None)]);
    // F4: the list again, at the alert being worked on.
    press(&mut app, KeyCode::F(4));
    assert!(matches!(app.overlay(), Some(Overlay::Alerts { selected: 1, .. })), "{:?}", app.overlay());
}

#[test]
fn the_alerts_runbooks_stay_listed_when_the_index_is_swapped() {
    let (dir, mut app) = app();
    let now = Instant::now();
    app.paste(NOTIFICATION, now);
    app.carry_openings(now);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.screen(), Screen::Search);
    let said = |app: &App| app.search().results.first().map(|h| h.snippet.text.clone()).unwrap_or_default();
    assert!(said(&app).starts_with("(the runbook lists this alert)"), "{}", said(&app));
    // The background thread's checked index arrives: the list stays as routed.
    let catalog = runbook::runbook::library::Catalog::scan(&[dir.path().to_path_buf()]);
    let index = runbook::search::SearchIndex::open(
        &catalog,
        &runbook::search::Cache::Off,
        &std::sync::Arc::new(runbook::search::Progress::default()),
    );
    app.index_ready(std::sync::Arc::new(index));
    assert!(said(&app).starts_with("(the runbook lists this alert)"), "{}", said(&app));
    // Typing makes it a search again.
    press(&mut app, KeyCode::Char('x'));
    assert!(!said(&app).starts_with("(the runbook"), "{}", said(&app));
}

#[test]
fn a_paste_that_is_not_an_alert_stays_a_query() {
    let (_dir, mut app) = app();
    let now = Instant::now();
    app.paste("the disk is full on web-03", now);
    app.carry_openings(now);
    assert_eq!(app.screen(), Screen::Search);
    assert_eq!(app.search().query.text, "the disk is full on web-03");
    assert!(alerts_logged(&app).is_empty());
}

#[test]
fn a_second_alert_brings_its_own_labels_not_the_values_given_for_the_first() {
    let (_dir, mut app) = app();
    let now = Instant::now();
    app.paste(NOTIFICATION, now);
    app.carry_openings(now);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('c'));
    press(&mut app, KeyCode::Enter); // MOUNT=/var, as the label says
    press(&mut app, KeyCode::Enter); // HOST=web-03:9100
    assert!(app.overlay().is_none(), "copied: {:?}", app.overlay());
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.screen(), Screen::Search);
    app.paste(&NOTIFICATION.replace("/var", "/srv").replace("web-03", "web-07"), now);
    app.carry_openings(now);
    press(&mut app, KeyCode::Enter);
    let shown = screen(&app, 100, 24, now);
    assert!(shown.contains("MOUNT=/srv") && shown.contains("HOST=web-07:9100"), "{shown}");
    assert_eq!(alerts_logged(&app).len(), 2);
}

#[test]
fn the_alerts_list_shows_the_one_selected_at_80x24() {
    let (_dir, mut app) = app();
    let now = Instant::now();
    let long = "a summary long enough to fill more than one row of the list at eighty columns wide, and then some more";
    let payload = format!(
        r#"{{"alerts":[{{"status":"firing","labels":{{"alertname":"NodeFilesystemSpaceFillingUp","mountpoint":"/var","instance":"web-03:9100","job":"node-exporter","severity":"warning"}},"annotations":{{"summary":"{long}"}}}},{{"status":"firing","labels":{{"alertname":"HostOutOfMemory","instance":"db-1:9100","job":"node-exporter","severity":"critical"}},"annotations":{{"summary":"{long}"}}}}]}}"#
    );
    app.paste(&payload, now);
    press(&mut app, KeyCode::Down);
    let shown = screen(&app, 80, 24, now);
    assert!(shown.contains("HostOutOfMemory [firing] -> Out of memory"), "the selected alert is in view: {shown}");
    assert!(shown.contains("NodeFilesystemSpaceFillingUp [firing] -> Disk full"), "{shown}");
}
