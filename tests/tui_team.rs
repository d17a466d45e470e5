//! The TUI on what the team file and the runbooks' dates give it: command inputs asked once
//! and copied quoted, the systems view, escalation contacts by id, the review-overdue mark
//! and the runbooks' age in the header.

#![cfg(test)]

use std::sync::Arc;
use std::time::Instant;

use crossterm::event::KeyCode;
use runbook::journal::Event;
use runbook::search::{Cache, Progress, SearchIndex};
use runbook::tui::app::{App, Overlay, Screen};
use runbook::tui::outbox::Effect;
use runbook::tui::overlay::escalation;
use runbook::tui::theme::Theme;

mod drive;
use drive::{app_in, app_with, press, screen, type_text};

const INPUTS_RUNBOOK: &str = "---\ntitle: Restart the zorbtank service\nkind: procedure\n---\n# Restart the zorbtank service\n\n## Steps\n\n- [ ] Restart it\n\n  ```sh\n  APP_SERVICE=myapp   # input\n  PID=   # input: the process id from ps\n  sudo kill -HUP \"$PID\" && sudo systemctl restart \"$APP_SERVICE\" {{.Name}} ${HOME}\n  ```\n\n## Verify\n\n- [ ] It answers\n\n## Rollback\n\n- [ ] Start it again\n";

#[test]
fn a_command_asks_for_its_inputs_once_prefilled_from_facts_and_copies_them_quoted() {
    let dir = tempfile::TempDir::new().unwrap();
    std::fs::write(dir.path().join("restart.md"), INPUTS_RUNBOOK).unwrap();
    std::fs::write(dir.path().join("team.yml"), "facts:\n  APP_SERVICE: shop-web\n").unwrap();
    let mut app = app_in(dir.path(), "zorbtank");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen(), Screen::Guide);
    press(&mut app, KeyCode::Enter);
    let page = screen(&app, 80, 24, Instant::now());
    assert!(page.contains("APP_SERVICE=shop-web   # input"), "the fact is shown in place:\n{page}");
    for _ in 0..10 {
        if app.guide().is_some_and(|g| g.selected_step().is_some()) {
            break;
        }
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Char('c'));
    let Some(Overlay::Inputs { input, .. }) = app.overlay() else { panic!("asks first: {:?}", app.overlay()) };
    assert_eq!(input.text, "shop-web", "prefilled from the team file's fact");
    press(&mut app, KeyCode::Enter);
    let Some(Overlay::Inputs { input, .. }) = app.overlay() else { panic!("then the PID: {:?}", app.overlay()) };
    assert_eq!(input.text, "", "no fact, no default");
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.overlay(), Some(Overlay::Inputs { .. })), "an empty value is refused");
    type_text(&mut app, "42'; rm -rf / #");
    press(&mut app, KeyCode::Enter);
    assert!(app.overlay().is_none());
    let copied: Vec<String> = app
        .effects()
        .iter()
        .filter_map(|e| match e {
            Effect::Copy { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect();
    let Some(text) = copied.last() else { panic!("copied: {:?}", app.effects()) };
    assert!(text.contains("APP_SERVICE=shop-web   # input\n"), "{text}");
    assert!(text.contains(r"PID='42'\''; rm -rf / #'   # input: the process id from ps"), "{text}");
    assert!(
        text.contains(r#"sudo kill -HUP "$PID" && sudo systemctl restart "$APP_SERVICE" {{.Name}} ${HOME}"#),
        "{text}"
    );
    let journaled: Vec<(String, String)> = app
        .effects()
        .iter()
        .filter_map(|e| match e {
            Effect::Journal(Event::Input { name, value }) => Some((name.clone(), value.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        journaled,
        [("APP_SERVICE".to_owned(), "shop-web".to_owned()), ("PID".to_owned(), "42'; rm -rf / #".to_owned())]
    );
    // Once per session: the next copy does not ask again.
    let before = copied.len();
    press(&mut app, KeyCode::Char('c'));
    assert!(app.overlay().is_none(), "{:?}", app.overlay());
    let copies = app.effects().iter().filter(|e| matches!(e, Effect::Copy { .. })).count();
    assert_eq!(copies, before + 1);
}

#[test]
fn the_systems_view_says_who_owns_a_system_what_it_needs_and_what_needs_it() {
    // The fixtures' runbooks, and a second open folder holding the team file.
    let dir = tempfile::TempDir::new().unwrap();
    let team = "contacts:\n  ops: {name: Ops on-call, phone: +1 555 0100}\nsystems:\n  disk: {what: The data disks, owner: ops}\n  db: {what: The database, depends_on: [disk]}\n";
    std::fs::write(dir.path().join("team.yml"), team).unwrap();
    let roots = vec![drive::fixtures(), dir.path().to_path_buf()];
    let catalog = runbook::runbook::library::Catalog::scan(&roots);
    let index = SearchIndex::open(&catalog, &Cache::Off, &Arc::new(Progress::default()));
    let mut app = App::new(Arc::new(catalog), Theme { color: false }, "", Arc::new(Progress::default()));
    app.index_ready(Arc::new(index));
    press(&mut app, KeyCode::F(3));
    assert!(matches!(app.overlay(), Some(Overlay::Systems { open: false, .. })), "{:?}", app.overlay());
    let list = screen(&app, 60, 20, Instant::now());
    assert!(list.contains("db    The database") && list.contains("disk  The data disks"), "{list}");
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    let page = screen(&app, 80, 24, Instant::now());
    for want in [
        "Owner, call:   Ops on-call",
        "+1 555 0100",
        "Needed by:     db (The database)",
        "Runbooks about disk (1):",
        "Disk full",
    ] {
        assert!(page.contains(want), "want {want:?} in\n{page}");
    }
    press(&mut app, KeyCode::Esc);
    assert!(matches!(app.overlay(), Some(Overlay::Systems { open: false, .. })), "Esc goes back to the list");
    press(&mut app, KeyCode::Esc);
    assert!(app.overlay().is_none());
    // From a guide, `t` opens the page of the runbook's system.
    type_text(&mut app, "no space left");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('t'));
    assert!(matches!(app.overlay(), Some(Overlay::Systems { selected: 1, open: true, .. })), "{:?}", app.overlay());
}

#[test]
fn an_escalation_by_contact_id_shows_the_team_files_contact() {
    let dir = tempfile::TempDir::new().unwrap();
    let page =
        "---\ntitle: Zorbtank down\nescalation:\n  - who: ops\n    after: 15m\n---\n# Zorbtank down\n\nCall ops.\n";
    std::fs::write(dir.path().join("z.md"), page).unwrap();
    // The team file in another open folder than the runbook.
    let other = tempfile::TempDir::new().unwrap();
    std::fs::write(other.path().join("team.yml"), "contacts:\n  ops: {name: Ops on-call, phone: +1 555 0199}\n")
        .unwrap();
    let roots = vec![dir.path().to_path_buf(), other.path().to_path_buf()];
    let catalog = runbook::runbook::library::Catalog::scan(&roots);
    let index = SearchIndex::open(&catalog, &Cache::Off, &Arc::new(Progress::default()));
    let mut app = App::new(Arc::new(catalog), Theme { color: false }, "zorbtank", Arc::new(Progress::default()));
    app.index_ready(Arc::new(index));
    press(&mut app, KeyCode::Enter);
    let Some(guide) = app.guide() else { panic!("opened") };
    let text = escalation::text(guide, Instant::now());
    assert!(text.contains("1. Ops on-call") && text.contains("contact: +1 555 0199"), "{text}");
}

#[test]
fn a_runbook_past_its_review_date_is_marked_in_results_and_on_its_page() {
    let dir = tempfile::TempDir::new().unwrap();
    let today = jiff::Zoned::now().date();
    let page = |title: &str, reviewed: jiff::civil::Date| {
        format!(
            "---\ntitle: {title}\nlast_reviewed: {reviewed}\nreview_every: 90d\n---\n# {title}\n\nText about zorbtank.\n"
        )
    };
    std::fs::write(dir.path().join("old.md"), page("Old zorbtank guide", jiff::civil::date(2020, 1, 1))).unwrap();
    std::fs::write(dir.path().join("fresh.md"), page("Fresh zorbtank guide", today)).unwrap();
    let mut app = app_in(dir.path(), "zorbtank");
    let list = screen(&app, 80, 24, Instant::now());
    let marked: Vec<&str> = list.lines().filter(|l| l.contains("review overdue")).collect();
    assert_eq!(marked.len(), 1, "{list}");
    let old = list.lines().position(|l| l.contains("Old zorbtank guide"));
    let mark = list.lines().position(|l| l.contains("review overdue"));
    assert!(old.zip(mark).is_some_and(|(o, m)| m == o || m == o + 1), "the mark is on the old one's lines:\n{list}");
    while app.search().results.get(app.search().selected).is_some_and(|h| h.entry.id != "old") {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Enter);
    assert!(screen(&app, 80, 24, Instant::now()).lines().next().is_some_and(|l| l.contains("review overdue")));
}

#[test]
fn the_search_header_says_how_old_the_runbooks_are_and_drops_the_hint_to_fit() {
    let mut app = app_with("");
    let now = jiff::Timestamp::now();
    let ago = |hours: i64| now.checked_sub(jiff::SignedDuration::from_hours(hours)).ok();
    let catalog = Arc::clone(app.catalog());
    app.set_catalog(catalog, Some(runbook::repo::Age { changed: ago(50), synced: ago(3) }));
    let wide = screen(&app, 120, 40, Instant::now());
    let header = wide.lines().next().unwrap_or_default();
    assert!(header.contains("type what you see") && header.contains("changed 2d ago, synced 3h ago"), "{header}");
    let narrow = screen(&app, 48, 20, Instant::now());
    let header = narrow.lines().next().unwrap_or_default();
    assert!(!header.contains("type what you see") && header.contains("changed 2d ago, synced 3h ago"), "{header}");
}

#[test]
fn the_problems_list_has_ids_used_twice_and_the_team_files_problems_as_check_does() {
    let dir = tempfile::TempDir::new().unwrap();
    for (file, title) in [("a.md", "First"), ("b.md", "Second")] {
        let text = format!("---\nid: same\ntitle: {title}\n---\n# {title}\n\nText.\n");
        std::fs::write(dir.path().join(file), text).unwrap();
    }
    std::fs::write(dir.path().join("team.yml"), "contacts:\n  ops: [not, a, contact]\n").unwrap();
    let app = app_in(dir.path(), "");
    let codes: Vec<&str> = app.problems().iter().map(|p| p.code.as_str()).collect();
    assert!(codes.contains(&"duplicate-id"), "{codes:?}");
    assert!(codes.contains(&"team"), "the team file's problem stays once the index is in: {codes:?}");
    let check = runbook::runbook::library::Catalog::scan(&[dir.path().to_path_buf()]).load();
    let in_check = |code: &str| check.problems.iter().filter(|p| p.code == code).count();
    let in_tui = |code: &str| app.problems().iter().filter(|p| p.code == code).count();
    assert_eq!((in_tui("duplicate-id"), in_tui("team")), (in_check("duplicate-id"), in_check("team")));
}
