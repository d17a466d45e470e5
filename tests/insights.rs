//! `runbook insights` over the fixture journals in `tests/fixtures/journals` (described in
//! its README): the analysis by the rules of `journal::insights`, and its markdown and table.

#![cfg(test)]

use std::path::PathBuf;

use runbook::journal::insights::{self, Insights, Period, QueryCount, RunbookCount, Unread};
use runbook::journal::{self, Log};

const DISK: &str = "Disk full - \"No space left on device\"";
const DNS: &str = "DNS failures - names do not resolve, or resolve to the wrong address";
const OOM: &str = "Out of memory - the OOM killer, swapping, \"Cannot allocate memory\"";
const TLS: &str = "TLS certificate expired, about to expire, or not trusted";

/// Every fixture journal, found the way a collected folder is searched (recursively).
fn fixtures() -> Vec<Log> {
    let mut files = Vec::new();
    let mut dirs = vec![PathBuf::from("tests/fixtures/journals")];
    while let Some(dir) = dirs.pop() {
        for path in std::fs::read_dir(dir).unwrap().flatten().map(|e| e.path()) {
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "jsonl") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert_eq!(files.len(), 9, "{files:?}");
    files.iter().map(|p| journal::read(p).unwrap()).collect()
}

fn all() -> Insights {
    insights::analyze(&fixtures(), &Period::default())
}

fn queries(list: &[QueryCount]) -> Vec<(&str, usize)> {
    list.iter().map(|q| (q.query.as_str(), q.sessions)).collect()
}

/// "Title > Section: count" for a list of sections.
fn sections(list: &[insights::SectionCount]) -> Vec<String> {
    list.iter().map(|s| format!("{} > {}: {}", s.at.title, s.at.section_title, s.sessions)).collect()
}

/// A journal from lines of text (`at` times are filled in, a minute apart).
fn log(events: &[&str]) -> Log {
    let lines: Vec<String> = events
        .iter()
        .enumerate()
        .map(|(i, e)| format!("{{\"at\":\"2026-11-25T03:{:02}:00+01:00\",{e}}}", i % 60))
        .collect();
    journal::parse_log(&lines.join("\n"))
}

fn search(query: &str, results: usize) -> String {
    format!("\"event\":\"search\",\"query\":{},\"results\":{results}", serde_json::to_string(query).unwrap())
}

#[test]
fn the_header_counts_sessions_and_what_was_left_out() {
    let i = all();
    assert_eq!(i.sessions, 7, "nine journals, less the drill and the empty one");
    assert_eq!((i.drills, i.empty, i.before_period), (1, 1, 0));
    assert_eq!(i.unreadable_lines, 2, "the half-written last line and the empty journal's line");
    assert_eq!(i.first.map(|s| s.to_string()).as_deref(), Some("2026-10-01T09:00:00+02:00"));
    assert_eq!(i.last.map(|s| s.to_string()).as_deref(), Some("2026-11-29T00:06:10+01:00"));
}

#[test]
fn searches_that_found_nothing_and_searches_never_opened() {
    let i = all();
    // "kaf", "kafka", "kafka lag" are one burst; "  Kafka   LAG " is the same query; the
    // drill's "printer on fire" is not counted.
    assert_eq!(queries(&i.found_nothing), [("kafka lag", 2), ("certificate expired", 1), ("ssl", 1)]);
    // "no space left" was erased to "no space" and opened; "disk" found four, none opened.
    assert_eq!(queries(&i.never_opened), [("disk", 1)]);
}

#[test]
fn runbooks_endings_steps_and_risky_steps() {
    let i = all();
    let used: Vec<(&str, usize)> = i.runbooks.iter().map(|r| (r.runbook.as_str(), r.sessions)).collect();
    assert_eq!(
        used,
        [("os/disk-full", 2), ("network/dns-failures", 1), ("network/tls-certificate", 1), ("os/out-of-memory", 1)]
    );
    assert_eq!(i.runbooks.first().map(|r| r.title.as_str()), Some(DISK));
    assert_eq!(
        sections(&i.escalated),
        [format!("{DNS} > Clear the local DNS cache: 1"), format!("{OOM} > A database uses the memory: 1")],
        "escalated from the section before Escalate"
    );
    assert_eq!(sections(&i.abandoned), [format!("{DISK} > Shrink the journal: 1")]);
    let unchecked: Vec<(&str, &str, usize, usize)> =
        i.unchecked.iter().map(|s| (s.at.section.as_str(), s.text.as_str(), s.seen, s.unchecked)).collect();
    assert_eq!(
        unchecked,
        [
            ("vacuum-journal", "Shrink the journal to 500 MB:", 2, 1),
            ("flush-cache", "Clear the systemd-resolved cache (harmless: it only forgets cached answers):", 1, 1),
        ],
        "a step checked then unchecked is left unchecked; every step checked everywhere is not listed"
    );
    let risky: Vec<(&str, &str, usize, usize)> =
        i.risky.iter().map(|r| (r.at.title.as_str(), r.text.as_str(), r.sessions, r.out_of_order)).collect();
    assert_eq!(
        risky,
        [(TLS, "Renew for real:", 1, 1), (TLS, "Reload nginx:", 1, 0), (DISK, "Shrink the journal to 500 MB:", 1, 0)]
    );
}

#[test]
fn a_period_leaves_older_sessions_out() {
    let since: jiff::Timestamp = "2026-11-01T00:00:00Z".parse().unwrap();
    let i = insights::analyze(&fixtures(), &Period { since: Some(since), label: Some("30d".into()) });
    assert_eq!((i.sessions, i.before_period, i.drills), (6, 1, 1));
    assert_eq!(queries(&i.found_nothing), [("kafka lag", 2)], "October's searches are out");
    let md = insights::markdown(&i);
    assert!(md.contains("- Period: the last 30d (since 2026-11-01 00:00 UTC)\n"), "{md}");
    assert!(md.contains("- Left out: 1 drill, 1 session before the period, 1 empty journal\n"), "{md}");
}

#[test]
fn since_reads_friendly_periods_and_refuses_others() {
    let now: jiff::Zoned = "2026-12-02T06:00:00+00:00[UTC]".parse().unwrap();
    let at = |s: &str| insights::since(s, &now).map(|t| t.to_string()).map_err(|e| e.to_string());
    assert_eq!(at("30d").as_deref(), Ok("2026-11-02T06:00:00Z"));
    assert_eq!(at(" 2w ").as_deref(), Ok("2026-11-18T06:00:00Z"));
    assert_eq!(at("12h").as_deref(), Ok("2026-12-01T18:00:00Z"));
    for bad in ["", "0d", "-3d", "soon", "30", "3x"] {
        let err = at(bad).expect_err(bad);
        assert!(err.contains("is not a period like 30d, 2w or 12h"), "{err}");
    }
}

#[test]
fn markdown_has_the_header_and_a_table_per_list() {
    let mut i = all();
    i.unread.push(Unread { journal: "db-3/x.jsonl".into(), why: "Permission denied (os error 13)".into() });
    let md = insights::markdown(&i);
    assert!(md.starts_with("# Runbook insights\n\n- Sessions read: 7, 2026-10-01 09:00 (+02:00) to 2026-11-29 00:06 (+01:00)\n- Period: every session in the journals\n- Left out: 1 drill, 1 empty journal\n- Unreadable lines skipped: 2\n- Journals not read: 1\n  - db-3/x.jsonl: Permission denied (os error 13)\n"), "{md}");
    let nothing = "## Searches that found nothing\n\nThe runbooks to write next.\n\n\
                   | Query | Sessions |\n| --- | ---: |\n| kafka lag | 2 |\n| certificate expired | 1 |\n| ssl | 1 |\n";
    assert!(md.contains(nothing), "{md}");
    assert!(
        md.contains("| --- | --- | ---: |\n| os/disk-full | Disk full - \"No space left on device\" | 2 |\n"),
        "{md}"
    );
    assert!(md.contains("| Step | Section | Seen | Unchecked |\n| --- | --- | ---: | ---: |\n"), "{md}");
    assert!(md.contains("| Renew for real: | network/tls-certificate > Renew with certbot | 1 | 1 |\n"), "{md}");
    assert!(md.contains("| Section | Sessions |\n| --- | ---: |\n| os/disk-full > Shrink the journal | 1 |\n"), "{md}");
    for heading in [
        "Searches whose results were never opened",
        "Runbooks most used",
        "Where sessions ended in escalation",
        "Where sessions were abandoned",
        "Steps usually left unchecked",
        "Risky steps confirmed",
    ] {
        assert!(md.contains(&format!("\n## {heading}\n")), "{heading}: {md}");
    }
    assert!(!md.contains(" more.\n"), "nothing capped here");
}

#[test]
fn the_table_aligns_its_columns_and_cuts_long_text() {
    let t = insights::table(&all());
    assert!(t.starts_with("RUNBOOK INSIGHTS\n\nSessions read: 7, "), "{t}");
    assert!(t.contains("\nSEARCHES THAT FOUND NOTHING\n  The runbooks to write next.\n"), "{t}");
    assert!(
        t.contains(
            "  QUERY                SESSIONS\n  kafka lag                   2\n  certificate expired         1\n"
        ),
        "{t}"
    );
    let steps = "  STEP                                     SECTION                                 SEEN  UNCHECKED\n  \
                 Shrink the journal to 500 MB:            os/disk-full > Shrink the journal          2          1\n  \
                 Clear the systemd-resolved cache (harm…  network/dns-failures > Clear the loca…     1          1\n";
    assert!(t.contains(steps), "the widest columns cut to fit: {t}");
    assert!(t.contains("  os/disk-full             Disk full - \"No space left on device\"     "), "{t}");
    assert!(t.lines().all(|l| l.chars().count() <= insights::TABLE_WIDTH), "{t}");
    let empty = insights::table(&insights::analyze(&[], &Period::default()));
    assert!(empty.contains("Sessions read: 0\n"), "{empty}");
    assert!(empty.contains("\nRUNBOOKS MOST USED\n  Sessions that opened each runbook.\n  none\n"), "{empty}");
}

#[test]
fn long_lists_show_the_first_ten_and_say_how_many_more() {
    let mut events =
        vec!["\"event\":\"session_start\",\"user\":\"u\",\"host\":\"h\",\"roots\":[],\"version\":\"0\"".to_owned()];
    events.extend((0..13).map(|n| search(&format!("missing {}", (b'a' + n) as char), 0)));
    let events: Vec<&str> = events.iter().map(String::as_str).collect();
    let i = insights::analyze(&[log(&events)], &Period::default());
    assert_eq!(i.found_nothing.len(), 13, "JSON has them all: {:?}", i.found_nothing);
    let md = insights::markdown(&i);
    assert_eq!(md.matches("| missing ").count(), 10, "{md}");
    assert!(md.contains("| missing j | 1 |\n\nAnd 3 more.\n"), "{md}");
    let t = insights::table(&i);
    assert!(t.contains("  missing j         1\n  and 3 more\n"), "{t}");
}

#[test]
fn typing_bursts_count_only_their_last_search() {
    let open = r#""event":"open","place":{"runbook":"a","title":"A","root":"/r","path":"a.md","section":"s","section_title":"S"}"#;
    let events = [
        search("dis", 0),       // typing on: one burst with the next two
        search("disk f", 0),    //
        search("disk full", 3), // the burst's last: found something, opened below
        open.to_owned(),
        search("disk full", 3), // after an open: a new burst, erased to the next
        search("disk", 5),      // never opened
        search("memory", 0),    // not a prefix: a new burst, found nothing
    ];
    let events: Vec<&str> = events.iter().map(String::as_str).collect();
    let i = insights::analyze(&[log(&events)], &Period::default());
    assert_eq!(queries(&i.found_nothing), [("memory", 1)]);
    assert_eq!(queries(&i.never_opened), [("disk", 1)]);
    assert_eq!(i.runbooks, [RunbookCount { runbook: "a".into(), title: "A".into(), sessions: 1 }]);
}

#[test]
fn journal_text_is_cleaned_and_escaped_in_every_format() {
    let evil = "disk\u{1b}[2J | *full* [x](http://e) <b>\u{9b}31m\nnext";
    let place = format!(
        r#""place":{{"runbook":"os/x","title":{0},"root":"/r","path":"x.md","section":"s","section_title":{0}}}"#,
        serde_json::to_string(evil).unwrap()
    );
    let events = [
        search(evil, 0),
        format!(r#""event":"open",{place}"#),
        format!(
            r#""event":"step",{place},"step":0,"text":{},"checked":false,"risky":true"#,
            serde_json::to_string(evil).unwrap()
        ),
    ];
    let events: Vec<&str> = events.iter().map(String::as_str).collect();
    let i = insights::analyze(&[log(&events)], &Period::default());
    assert_eq!(queries(&i.found_nothing), [("disk[2j | *full* [x](http://e) <b>31m next", 1)]);
    let md = insights::markdown(&i);
    assert!(md.contains("| disk\\[2j \\| \\*full\\* \\[x\\](http://e) \\<b>31m next | 1 |\n"), "{md}");
    let json = serde_json::to_string(&i).unwrap();
    for out in [md, insights::table(&i), json] {
        assert!(!out.contains(['\u{1b}', '\u{9b}']), "{out}");
        assert!(!out.contains("\nnext"), "{out}");
    }
}

#[test]
fn json_has_every_list_whole() {
    let mut out = Vec::new();
    runbook::output::write_json(&mut out, &all()).unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(json["sessions"], 7);
    assert_eq!(json["first"], "2026-10-01T09:00:00+02:00");
    assert_eq!(json["found_nothing"][0], serde_json::json!({"query": "kafka lag", "sessions": 2}));
    let step = &json["unchecked"][0];
    assert_eq!(
        (&step["runbook"], &step["section"], &step["seen"]),
        (&"os/disk-full".into(), &"vacuum-journal".into(), &2.into())
    );
    assert_eq!(json["risky"][0]["out_of_order"], 1);
    assert_eq!(json["escalated"].as_array().map(Vec::len), Some(2));
}

#[test]
fn an_escalation_is_where_it_happened_not_the_section_that_linked_there() {
    let place = |rb: &str, title: &str, sec: &str, sec_title: &str| {
        format!(
            "{{\"runbook\":\"{rb}\",\"title\":\"{title}\",\"root\":\"/r\",\"path\":\"{rb}.md\",\"section\":\"{sec}\",\"section_title\":\"{sec_title}\"}}"
        )
    };
    let guide = place("guide", "Site slow", "where", "Where is it slow?");
    let escalate = place("db", "Database slow", "escalate", "Escalate");
    let events = [
        "\"event\":\"session_start\",\"user\":\"a\",\"host\":\"h\",\"roots\":[],\"version\":\"0\"".to_owned(),
        format!("\"event\":\"open\",\"place\":{guide}"),
        format!("\"event\":\"link\",\"place\":{guide},\"label\":\"the DBA\",\"target\":\"db.md#escalate\""),
        format!("\"event\":\"open\",\"place\":{escalate}"),
        format!("\"event\":\"escalation\",\"place\":{escalate}"),
    ];
    let refs: Vec<&str> = events.iter().map(String::as_str).collect();
    let i = insights::analyze(&[log(&refs)], &Period::default());
    assert_eq!(sections(&i.escalated), ["Database slow > Escalate: 1"]);
}

#[test]
fn with_no_session_insights_says_so_and_succeeds() {
    let state = tempfile::TempDir::new().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_runbook"))
        .arg("insights")
        .env("RUNBOOK_STATE_DIR", state.path())
        .env("RUNBOOK_SYSTEM_CONFIG", "/nonexistent/runbook/config.toml")
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no session to sum up in") && err.contains("--journals"), "{err}");
}

#[test]
fn a_step_is_one_step_in_journals_from_before_and_after_step_ids() {
    let place =
        r#""place":{"runbook":"os/x","title":"X","root":"/r","path":"x.md","section":"fix","section_title":"Fix"}"#;
    let open = format!(r#""event":"open",{place}"#);
    // Written before steps had ids: a position, and the text.
    let old =
        format!(r#""event":"step",{place},"step":4,"text":"Restart the web service","checked":false,"risky":false"#);
    // Written now: the id the parser gives that step.
    let id = runbook::runbook::item_id("fix", "Restart the web service");
    let new =
        format!(r#""event":"step",{place},"id":"{id}","text":"Restart the web service","checked":false,"risky":false"#);
    let sessions = [log(&[&open, &old]), log(&[&open, &new])];
    let i = insights::analyze(&sessions, &Period::default());
    let rows: Vec<(&str, usize, usize)> = i.unchecked.iter().map(|s| (s.text.as_str(), s.seen, s.unchecked)).collect();
    assert_eq!(rows, [("Restart the web service", 2, 2)]);
}
