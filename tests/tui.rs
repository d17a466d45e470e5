//! The TUI's state machine, driven by real keys through the keymap, and its screens rendered
//! to ratatui's TestBackend (insta snapshots at 80x24 and 60x20).

#![cfg(test)]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use runbook::journal::Event;
use runbook::search::{Cache, Progress, SearchIndex};
use runbook::tui::app::{App, Overlay, Screen};
use runbook::tui::draw;
use runbook::tui::keymap::action_for;
use runbook::tui::outbox::{Copied, Effect};
use runbook::tui::overlay::escalation;
use runbook::tui::theme::Theme;

mod drive;
use drive::{app_with, fixtures, press, press_at, screen, section_id, type_text};

#[test]
fn typing_ranks_live_and_enter_opens_at_the_start_section() {
    let mut app = app_with("");
    assert_eq!(
        app.search().results.first().map(|h| h.entry.id.as_str()),
        Some("start-here"),
        "empty query lists start-here first"
    );
    type_text(&mut app, "no space left");
    assert_eq!(app.search().results.first().map(|h| h.entry.id.as_str()), Some("os/disk-full"));
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen(), Screen::Guide);
    assert_eq!(section_id(&app), "which");
}

#[test]
fn a_word_being_typed_never_blanks_the_list() {
    let mut app = app_with("");
    let all = app.search().results.len();
    type_text(&mut app, "dis");
    assert!(!app.search().results.is_empty() && !app.search().stale);
    type_text(&mut app, "kqqzx");
    assert!(app.search().stale, "a word that matches nothing yet keeps the last results");
    assert!(!app.search().results.is_empty());
    assert!(screen(&app, 60, 20, Instant::now()).contains("no match yet: keep typing"));
    press(&mut app, KeyCode::Char(' '));
    assert!(app.search().results.is_empty(), "a finished word that matches nothing says so");
    assert!(screen(&app, 60, 20, Instant::now()).contains("No runbook matches"));
    press(&mut app, KeyCode::Esc);
    assert_eq!((app.search().results.len(), app.search().stale), (all, false));
}

#[test]
fn a_list_longer_than_the_screen_says_so() {
    let roots = vec![PathBuf::from("runbooks")];
    let mut app = drive::app_on(&roots, "");
    app.resize(60, 20);
    let total = app.search().results.len();
    assert!(total > 10, "the shipped kit lists {total}");
    let top = screen(&app, 60, 20, Instant::now());
    assert!(top.lines().next().is_some_and(|l| l.contains(&format!("1/{total} ▼"))), "{top}");
    press(&mut app, KeyCode::End);
    for _ in 0..total {
        press(&mut app, KeyCode::Down);
    }
    let end = screen(&app, 60, 20, Instant::now());
    assert!(end.lines().next().is_some_and(|l| l.contains(&format!("{total}/{total}")) && !l.contains('▼')), "{end}");
}

#[test]
fn the_help_at_phone_size_stacks_keys_and_scrolls_to_its_end() {
    let mut app = app_with("disk full");
    app.resize(60, 20);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('?'));
    let first = screen(&app, 60, 20, Instant::now());
    assert!(first.contains("│1-9 ") && first.contains("│    take that answer"), "keys above their meaning:\n{first}");
    assert!(first.contains("▼") && first.contains("more"), "{first}");
    for _ in 0..5 {
        press(&mut app, KeyCode::PageDown);
    }
    let last = screen(&app, 60, 20, Instant::now());
    assert!(last.contains("Esc closes this help.") && last.contains("▲"), "{last}");
    assert!(!last.contains("▼"), "{last}");
}

#[test]
fn a_long_report_reflows_and_scrolls_to_its_last_line() {
    let mut app = app_with("disk full");
    app.resize(60, 20);
    press(&mut app, KeyCode::Enter);
    let items: String =
        (1..=30).map(|n| format!("- {n:02}:00 checked the disk usage of every mounted filesystem again\n")).collect();
    app.show_report(format!("# On-call handoff\n\nNotes:\n{items}"));
    let first = screen(&app, 60, 20, Instant::now());
    assert!(
        first.contains("│- 01:00 checked the disk usage of every mounted") && first.contains("│  filesystem again"),
        "items continue under their text:\n{first}"
    );
    assert!(first.contains("▼"), "{first}");
    for _ in 0..8 {
        press(&mut app, KeyCode::PageDown);
    }
    let last = screen(&app, 60, 20, Instant::now());
    assert!(last.contains("- 30:00 checked") && !last.contains("▼"), "{last}");
}

#[test]
fn update_asks_for_a_runbook_and_the_loop_opens_it() {
    let mut app = app_with("start here");
    let now = Instant::now();
    let enter = KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE);
    let act = |app: &mut App, key: KeyEvent| {
        if let Some(a) = action_for(key, app.key_context()) {
            app.update(a, now);
        }
    };
    act(&mut app, enter);
    assert_eq!(app.screen(), Screen::Search, "update reads no file: the search screen stays");
    let asked = app.effects().iter().any(|e| matches!(e, Effect::Open(o) if o.at.path == "start-here.md"));
    assert!(asked, "{:?}", app.effects());
    app.carry_openings(now);
    assert_eq!(app.guide().map(|g| g.rb.id.as_str()), Some("start-here"));
    act(&mut app, KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE));
    act(&mut app, enter);
    assert_eq!(app.guide().map(|g| g.rb.id.as_str()), Some("start-here"), "nor does following a link");
    let asked = app.effects().iter().any(|e| matches!(e, Effect::Open(o) if o.at.path == "os/ports.md"));
    assert!(asked, "{:?}", app.effects());
    app.carry_openings(now);
    assert_eq!(app.guide().map(|g| g.rb.id.as_str()), Some("os/ports"));
}

#[test]
fn links_in_the_text_are_followed_and_backspace_comes_back() {
    let mut app = app_with("start here");
    press(&mut app, KeyCode::Enter);
    assert_eq!(section_id(&app), "what");
    press(&mut app, KeyCode::Tab);
    assert_eq!(
        app.guide().and_then(|g| g.links().first().map(|l| l.label.clone())).as_deref(),
        Some("the ports reference")
    );
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.guide().map(|g| g.rb.id.as_str()), Some("os/ports"), "the link opened the runbook");
    let followed = app.effects().iter().any(|e| {
        matches!(e, Effect::Journal(Event::Link { label, target, .. }) if label == "the ports reference" && target == "os/ports.md")
    });
    assert!(followed, "journalled like an answer: {:?}", app.effects());
    press(&mut app, KeyCode::Backspace);
    assert_eq!(section_id(&app), "what", "Backspace comes back");
    // Shift-Tab wraps round to the last link: a web address is copied, never opened.
    press(&mut app, KeyCode::BackTab);
    press(&mut app, KeyCode::Enter);
    assert_eq!(section_id(&app), "what");
    let link = Effect::Copy { text: "https://status.example.com".into(), what: Copied::Link };
    assert!(app.effects().contains(&link), "{:?}", app.effects());
    // Moving between answers leaves the links: Enter takes the answer again.
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.guide().map(|g| g.rb.id.as_str()), Some("os/disk-full"));
}

#[test]
fn a_search_that_names_a_question_deep_in_a_tree_opens_there_with_the_path_behind_it() {
    let dir = tempfile::TempDir::new().unwrap();
    let tree = "---\ntitle: Site slow\nkind: guide\n---\n# Site slow\n\n## What do users see? {#see}\n\n- [Pages are slow](#where)\n- [Errors](#errors)\n\n## Where is the slowness? {#where}\n\n- [The database](#db)\n- [The network](#net)\n\n## Is the database busy? {#db}\n\nCheck the replication lag of the quuxdb cluster.\n\n- [Yes](#net)\n- [No](#errors)\n\n## Errors {#errors}\n\nText.\n\n## Network {#net}\n\nText.\n\n## Verify {#verify}\n\nIs the quuxdb replication lag back under a second?\n\n- [Yes](#net)\n- [No](#db)\n";
    std::fs::write(dir.path().join("slow.md"), tree).unwrap();
    let roots = vec![dir.path().to_path_buf()];
    let open = |query: &str| {
        let index = SearchIndex::open(
            &runbook::runbook::library::Catalog::scan(&roots),
            &Cache::Off,
            &Arc::new(Progress::default()),
        );
        let mut app = App::new(
            std::sync::Arc::new(runbook::runbook::library::Catalog::new(&roots.clone())),
            Theme { color: false },
            query,
            Arc::new(Progress::default()),
        );
        app.index_ready(Arc::new(index));
        press(&mut app, KeyCode::Enter);
        app
    };
    // The words name the question: it opens there, the answers behind it said to be inferred.
    let mut app = open("is the database busy");
    assert_eq!(section_id(&app), "db", "opened at the question the search names");
    let narrow = screen(&app, 60, 20, Instant::now());
    assert!(narrow.contains("… › Is the database busy? (path from your search)"), "{narrow}");
    let wide = screen(&app, 120, 40, Instant::now());
    assert!(
        wide.contains(" What do users see? › Where is the slowness? › Is the database busy? (path from your search)"),
        "{wide}"
    );
    press(&mut app, KeyCode::Backspace);
    assert_eq!(section_id(&app), "where");
    press(&mut app, KeyCode::Backspace);
    assert_eq!(section_id(&app), "see");
    press(&mut app, KeyCode::Backspace);
    assert_eq!(app.screen(), Screen::Search);
    // Words found only in a question's text, or in Verify, do not open deep: the start does.
    for query in ["quuxdb replication lag", "replication lag back under a second"] {
        let app = open(query);
        assert_eq!(section_id(&app), "see", "{query}");
        assert!(!screen(&app, 80, 24, Instant::now()).contains("from your search"), "{query}");
    }
}

#[test]
fn answers_go_forward_and_backspace_goes_back_across_runbooks() {
    let mut app = app_with("start here");
    press(&mut app, KeyCode::Enter);
    assert_eq!(section_id(&app), "what");
    press(&mut app, KeyCode::Char('1'));
    assert_eq!(app.guide().map(|g| g.rb.id.as_str()), Some("os/disk-full"));
    assert_eq!(section_id(&app), "which");
    press(&mut app, KeyCode::Char('1'));
    assert_eq!(section_id(&app), "journal");
    press(&mut app, KeyCode::Backspace);
    assert_eq!(section_id(&app), "which");
    press(&mut app, KeyCode::Backspace);
    assert_eq!(app.guide().map(|g| g.rb.id.as_str()), Some("start-here"));
    press(&mut app, KeyCode::Backspace);
    assert_eq!(app.screen(), Screen::Search);
    assert_eq!(app.search().query.text, "start here", "the search is kept");
}

#[test]
fn a_risky_step_needs_explicit_confirmation() {
    let mut app = app_with("disk full");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('1'));
    press(&mut app, KeyCode::Char(' '));
    assert!(matches!(app.overlay(), Some(Overlay::ConfirmRisk { step: 0, .. })), "{:?}", app.overlay());
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char(' '));
    assert_eq!(app.incident().checked_count("os/disk-full"), 0, "Enter and Space do not confirm");
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.overlay(), None);
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Char('y'));
    assert_eq!(app.incident().checked_count("os/disk-full"), 1);
    // The next, ordinary step checks at once, and unchecks.
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Char(' '));
    assert_eq!(app.incident().checked_count("os/disk-full"), 2);
    press(&mut app, KeyCode::Char(' '));
    assert_eq!(app.incident().checked_count("os/disk-full"), 1);
}

#[test]
fn a_risky_step_before_the_steps_that_come_first_says_so_and_is_journalled() {
    const PRE_CHECK: &str = "Say in the incident channel what you are about to clean up";
    let mut app = app_with("disk full");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('1'));
    press(&mut app, KeyCode::Char(' '));
    let Some(Overlay::ConfirmRisk { skipped, .. }) = app.overlay() else { panic!("{:?}", app.overlay()) };
    assert_eq!(skipped, &[PRE_CHECK.to_owned()], "the Before you start check is not done");
    let dialog = screen(&app, 60, 20, Instant::now());
    assert!(dialog.contains("Not done yet") && dialog.contains("[ ] Say in the incident"), "{dialog}");
    press(&mut app, KeyCode::Char('y'));
    let logged = app.effects().iter().any(
        |e| matches!(e, Effect::Journal(Event::RiskyConfirmed { skipped, .. }) if skipped == &[PRE_CHECK.to_owned()]),
    );
    assert!(logged, "the journal records the step skipped: {:?}", app.effects());
    assert!(app.status_text(Instant::now()).is_some_and(|s| s.contains("1 earlier step(s) not done")));

    // With the check done first, the dialog has nothing to warn about.
    let mut app = app_with("disk full");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('o'));
    press(&mut app, KeyCode::Up);
    press(&mut app, KeyCode::Enter);
    assert_eq!(section_id(&app), "before-you-start");
    press(&mut app, KeyCode::Char(' '));
    assert_eq!(app.incident().checked_count("os/disk-full"), 1);
    press(&mut app, KeyCode::Char('o'));
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    assert_eq!(section_id(&app), "journal");
    press(&mut app, KeyCode::Char(' '));
    assert!(matches!(app.overlay(), Some(Overlay::ConfirmRisk { skipped, .. }) if skipped.is_empty()));
    assert!(!screen(&app, 60, 20, Instant::now()).contains("Not done yet"));
}

#[test]
fn copy_rollback_verify_and_outline() {
    let mut app = app_with("disk full");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('1'));
    press(&mut app, KeyCode::Char('c'));
    assert!(
        app.effects()
            .contains(&Effect::Copy { text: "sudo journalctl --vacuum-size=500M\n".into(), what: Copied::Command }),
        "{:?}",
        app.effects()
    );
    press(&mut app, KeyCode::Char('r'));
    assert_eq!(section_id(&app), "rollback");
    press(&mut app, KeyCode::Char('v'));
    assert_eq!(section_id(&app), "verify");
    press(&mut app, KeyCode::Char('o'));
    assert!(matches!(app.overlay(), Some(Overlay::Outline { .. })));
    press(&mut app, KeyCode::Up);
    press(&mut app, KeyCode::Up);
    press(&mut app, KeyCode::Enter);
    assert_eq!(section_id(&app), "journal");
    let visited = app.guide().map(|g| g.visited.len()).unwrap_or(0);
    assert!(visited >= 2);
}

#[test]
fn escape_clears_then_a_second_esc_quits_and_ctrl_c_quits_anywhere() {
    let mut app = app_with("disk");
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.search().query.text, "");
    assert!(!app.quitting());
    // One Esc too many says what a second one does, and does not quit.
    press(&mut app, KeyCode::Esc);
    assert!(!app.quitting());
    assert!(app.status_text(Instant::now()).is_some_and(|s| s.contains("Esc again quits")));
    press(&mut app, KeyCode::Esc);
    assert!(app.quitting());
    let mut app = app_with("disk");
    press(&mut app, KeyCode::Enter);
    let key = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    if let Some(a) = action_for(key, app.key_context()) {
        app.update(a, Instant::now());
    }
    assert!(app.quitting());
}

#[test]
fn escalation_says_when_it_is_time_to_call() {
    let mut app = app_with("disk full");
    let t0 = Instant::now();
    press_at(&mut app, KeyCode::Enter, t0);
    press_at(&mut app, KeyCode::Char('e'), t0);
    assert!(matches!(app.overlay(), Some(Overlay::Escalation { .. })));
    let guide = app.guide().expect("a runbook is open");
    let early = escalation::text(guide, t0 + Duration::from_secs(5 * 60));
    assert!(early.contains("Platform on-call") && early.contains("#ops-platform"), "{early}");
    assert!(early.contains("in 10 min"), "{early}");
    let late = escalation::text(guide, t0 + Duration::from_secs(16 * 60));
    assert!(late.contains("15 min have passed") && late.contains("call now"), "{late}");
    press(&mut app, KeyCode::Char('c'));
    assert!(matches!(app.effects().last(), Some(Effect::Copy { text, .. }) if text.contains("#ops-platform")));
}

#[test]
fn reference_runbooks_page_and_find_text() {
    let mut app = app_with("ports reference");
    app.resize(60, 12);
    press(&mut app, KeyCode::Enter);
    let g = app.guide().map(|g| g.view);
    assert_eq!(g, Some(runbook::tui::guide_screen::View::Pager));
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "ss -tlnp");
    press(&mut app, KeyCode::Enter);
    let found = app.guide().map_or(0, |g| g.scroll_top());
    assert!(found > 0, "find scrolled to the match");
    press(&mut app, KeyCode::PageUp);
    assert!(app.guide().is_some_and(|g| g.scroll_top() < found));
    press(&mut app, KeyCode::Home);
    assert_eq!(app.guide().map(|g| g.scroll_top()), Some(0));
    // The path back to a runbook's introduction does not repeat the title either.
    let mut tree = app_with("disk full");
    press(&mut tree, KeyCode::Enter);
    press(&mut tree, KeyCode::Left);
    press(&mut tree, KeyCode::Left);
    let intro = screen(&tree, 60, 20, Instant::now());
    assert_no_repeated_top(&intro);
    assert!(intro.contains("Which filesystem is full? › Before you start › Introduction"), "{intro}");
    assert_eq!(intro.matches("Disk full").count(), 1, "{intro}");
    let top = screen(&app, 60, 12, Instant::now());
    assert_no_repeated_top(&top);
    assert_eq!(top.matches("Ports reference").count(), 1, "the page's H1 repeats the title:\n{top}");
}

#[test]
fn problems_are_indicated_and_listed() {
    let roots = vec![fixtures(), PathBuf::from("tests/fixtures/tui-bad")];
    let mut app = drive::app_on(&roots, "");
    assert!(!app.problems().is_empty());
    let now = Instant::now();
    assert!(screen(&app, 80, 24, now).contains("problem(s): F2"));
    press(&mut app, KeyCode::F(2));
    assert!(matches!(app.overlay(), Some(Overlay::Problems { .. })));
    for (w, h) in [(80, 24), (60, 20), (120, 40)] {
        insta::assert_snapshot!(format!("problems_{w}x{h}"), screen(&app, w, h, now));
    }
}

/// The guide's first lines: the title once, the breadcrumb once, never the same line twice.
fn assert_no_repeated_top(screen: &str) {
    let top: Vec<&str> = screen.lines().take(3).map(str::trim).filter(|l| !l.is_empty()).collect();
    for (i, line) in top.iter().enumerate() {
        assert!(!top[..i].contains(line), "{line:?} repeated at the top:\n{screen}");
    }
}

/// A handoff report as the journal writes it (the overlay shows whatever text it is given).
const REPORT: &str = "# On-call handoff: ana on web-1\n\n- Session: s1\n- Started: 2026-11-25 03:00 (+01:00) by ana on web-1\n- Stopped at: Disk full > Shrink the journal\n\nSteps done (1):\n- [x] Shrink the journal to 500 MB (Disk full)\n\nNotes:\n- 03:06 freed 3 GB\n";

/// Snapshots of every screen and overlay at a phone's, a laptop's and a wide terminal's size.
#[test]
fn screens_at_80x24_60x20_and_120x40() {
    let now = Instant::now();
    for (w, h) in [(80u16, 24u16), (60, 20), (120, 40)] {
        let size = format!("{w}x{h}");
        let mut app = app_with("");
        app.resize(w, h);
        insta::assert_snapshot!(format!("search_empty_{size}"), screen(&app, w, h, now));
        type_text(&mut app, "disk ful");
        insta::assert_snapshot!(format!("search_typed_{size}"), screen(&app, w, h, now));
        press(&mut app, KeyCode::Enter);
        assert_no_repeated_top(&screen(&app, w, h, now));
        insta::assert_snapshot!(format!("guide_question_{size}"), screen(&app, w, h, now));
        press(&mut app, KeyCode::Char('1'));
        assert_no_repeated_top(&screen(&app, w, h, now));
        insta::assert_snapshot!(format!("guide_risky_step_{size}"), screen(&app, w, h, now));
        press(&mut app, KeyCode::Char(' '));
        insta::assert_snapshot!(format!("confirm_risky_{size}"), screen(&app, w, h, now));
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Char('e'));
        insta::assert_snapshot!(format!("escalation_{size}"), screen(&app, w, h, now + Duration::from_secs(20 * 60)));
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Char('?'));
        insta::assert_snapshot!(format!("help_guide_{size}"), screen(&app, w, h, now));
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Char('o'));
        insta::assert_snapshot!(format!("outline_{size}"), screen(&app, w, h, now));
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Char('n'));
        type_text(&mut app, "freed 3 GB");
        insta::assert_snapshot!(format!("note_{size}"), screen(&app, w, h, now));
        press(&mut app, KeyCode::Esc);
        app.show_report(REPORT.to_owned());
        insta::assert_snapshot!(format!("report_{size}"), screen(&app, w, h, now));
        press(&mut app, KeyCode::Esc);
        app.offer_resume(
            "Your last session ended abruptly.\nStarted 2026-11-25 03:00 (+01:00)\nStopped at: Disk full > Shrink the journal\nSteps done: 1".into(),
            "20261125T030000-1".into(),
        );
        insta::assert_snapshot!(format!("resume_offer_{size}"), screen(&app, w, h, now));
        let mut app = app_with("");
        app.resize(w, h);
        press(&mut app, KeyCode::F(1));
        insta::assert_snapshot!(format!("help_search_{size}"), screen(&app, w, h, now));
        let mut app = app_with("ports");
        app.resize(w, h);
        press(&mut app, KeyCode::Enter);
        assert_no_repeated_top(&screen(&app, w, h, now));
        insta::assert_snapshot!(format!("long_table_{size}"), screen(&app, w, h, now));
    }
}

#[test]
fn monochrome_selection_uses_reverse_video() {
    let app = app_with("disk");
    let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
    term.draw(|f| draw(f, &app, Instant::now())).unwrap();
    let buf = term.backend().buffer();
    let cell = &buf[(2, 2)];
    assert!(cell.modifier.contains(ratatui::style::Modifier::REVERSED), "selected result is reversed");
    assert_eq!(cell.fg, ratatui::style::Color::Reset, "no colour in monochrome mode");
}

#[test]
fn a_checked_step_is_known_by_its_id_in_the_journal_and_across_a_reload() {
    let dir = tempfile::TempDir::new().unwrap();
    let text = "---\ntitle: Zorb restart\nkind: procedure\n---\n# Zorb restart\n\n## Steps\n\n- [ ] Stop zorb\n- [ ] Start zorb\n";
    std::fs::write(dir.path().join("z.md"), text).unwrap();
    let mut app = drive::app_in(dir.path(), "zorb restart");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char(' '));
    let ids: Vec<String> = app
        .effects()
        .iter()
        .filter_map(|e| match e {
            Effect::Journal(Event::Step { id, checked: true, .. }) => Some(id.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(ids, ["steps/stop-zorb"], "{:?}", app.effects());
    // The author adds a step in front: the step checked is still the one checked.
    let edited = text.replace("- [ ] Stop zorb", "- [ ] Tell the team\n- [ ] Stop zorb");
    let origin = runbook::runbook::Origin { root: 0, rel_path: "z.md".into(), file: dir.path().join("z.md") };
    let (rb, _) = runbook::runbook::parse_text(&edited, origin);
    let at = app.guide().map(|g| g.place().unwrap_or_default().at).unwrap_or_default();
    app.preview_reloaded(&at, Ok(rb), Instant::now());
    let page = screen(&app, 80, 24, Instant::now());
    assert!(page.contains("[ ] Tell the team") && page.contains("[x] Stop zorb"), "{page}");
}
