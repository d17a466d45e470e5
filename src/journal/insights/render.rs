//! Insights printed: a plain table for a terminal ([`table`]) or markdown for the authors'
//! repository ([`markdown`]), the same header and lists in both. Journal text is data: every
//! cell passes `text::one_line`, the table cuts long text, markdown escapes what would make
//! a cell something else (a column break, a link, emphasis, HTML).

use std::fmt::Write;

use unicode_width::UnicodeWidthStr;

use super::{Insights, TOP, Where};

/// The terminal table's lines fit in this many columns: long text is cut, ending in `…`.
pub const TABLE_WIDTH: usize = 100;
/// No text column is cut narrower than this.
const NARROWEST: usize = 16;

/// One list: its heading, what it tells an author, its columns and rows.
struct Part {
    title: &'static str,
    about: &'static str,
    head: &'static [&'static str],
    /// How many of the last columns are counts (right-aligned).
    counts: usize,
    rows: Vec<Vec<String>>,
}

fn parts(i: &Insights) -> Vec<Part> {
    let n = |x: usize| x.to_string();
    let at = |a: &Where| format!("{} > {}", a.runbook, a.section_title);
    let queries = |q: &[super::QueryCount]| q.iter().map(|q| vec![q.query.clone(), n(q.sessions)]).collect();
    let sections = |s: &[super::SectionCount]| s.iter().map(|s| vec![at(&s.at), n(s.sessions)]).collect();
    vec![
        Part {
            title: "Searches that found nothing",
            about: "The runbooks to write next.",
            head: &["Query", "Sessions"],
            counts: 1,
            rows: queries(&i.found_nothing),
        },
        Part {
            title: "Sessions whose searches found nothing",
            about: "Draft a runbook from each: its searches become symptoms, its notes and commands steps.",
            head: &["Session", "Searched", "Draft it"],
            counts: 0,
            rows: i
                .to_draft
                .iter()
                .map(|d| {
                    let q: Vec<String> = d.queries.iter().map(|q| format!("\"{q}\"")).collect();
                    vec![d.session.clone(), q.join(", "), d.command.clone()]
                })
                .collect(),
        },
        Part {
            title: "Searches whose results were never opened",
            about: "Something was found but nothing looked right: a runbook missing, or titles and tags \
                    without the words responders use.",
            head: &["Query", "Sessions"],
            counts: 1,
            rows: queries(&i.never_opened),
        },
        Part {
            title: "Runbooks most used",
            about: "Sessions that opened each runbook.",
            head: &["Runbook", "Title", "Sessions"],
            counts: 1,
            rows: i.runbooks.iter().map(|r| vec![r.runbook.clone(), r.title.clone(), n(r.sessions)]).collect(),
        },
        Part {
            title: "Where sessions ended in escalation",
            about: "The section the responder escalated from.",
            head: &["Section", "Sessions"],
            counts: 1,
            rows: sections(&i.escalated),
        },
        Part {
            title: "Where sessions were abandoned",
            about: "The last section: a procedure with steps not checked, and no escalation.",
            head: &["Section", "Sessions"],
            counts: 1,
            rows: sections(&i.abandoned),
        },
        Part {
            title: "Steps usually left unchecked",
            about: "Sessions that were in the step's section, and those that left it unchecked. \
                    A step no session ever checked is not known.",
            head: &["Step", "Section", "Seen", "Unchecked"],
            counts: 2,
            rows: i.unchecked.iter().map(|s| vec![s.text.clone(), at(&s.at), n(s.seen), n(s.unchecked)]).collect(),
        },
        Part {
            title: "Risky steps confirmed",
            about: "Sessions that confirmed each risky step, and those that did with earlier steps not done.",
            head: &["Step", "Section", "Confirmed", "Out of order"],
            counts: 2,
            rows: i.risky.iter().map(|r| vec![r.text.clone(), at(&r.at), n(r.sessions), n(r.out_of_order)]).collect(),
        },
    ]
}

/// The header's lines, and the journals not read (the first [`TOP`]).
fn header(i: &Insights) -> (Vec<String>, Vec<String>) {
    let mut lines = Vec::new();
    let span = match (i.first, i.last) {
        (Some(a), Some(b)) => format!(", {} to {}", a.pretty(), b.pretty()),
        _ => String::new(),
    };
    lines.push(format!("Sessions read: {}{span}", i.sessions));
    lines.push(match (&i.since_label, i.since) {
        (Some(label), Some(t)) => format!("Period: the last {label} (since {})", t.strftime("%Y-%m-%d %H:%M UTC")),
        _ => "Period: every session in the journals".to_owned(),
    });
    let mut left = vec![plural(i.drills, "drill")];
    if i.before_period > 0 {
        left.push(format!("{} before the period", plural(i.before_period, "session")));
    }
    if i.empty > 0 {
        left.push(plural(i.empty, "empty journal"));
    }
    lines.push(format!("Left out: {}", left.join(", ")));
    lines.push(format!("Unreadable lines skipped: {}", i.unreadable_lines));
    let mut unread: Vec<String> = i.unread.iter().take(TOP).map(|u| format!("{}: {}", u.journal, u.why)).collect();
    if !i.unread.is_empty() {
        lines.push(format!("Journals not read: {}", i.unread.len()));
        if i.unread.len() > TOP {
            unread.push(format!("and {} more", i.unread.len() - TOP));
        }
    }
    (lines, unread)
}

fn plural(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// The insights as plain text for a terminal: aligned columns, long text cut.
pub fn table(i: &Insights) -> String {
    let mut out = String::from("RUNBOOK INSIGHTS\n\n");
    let (lines, unread) = header(i);
    for l in &lines {
        let _ = writeln!(out, "{}", crate::text::one_line(l));
    }
    for u in &unread {
        let _ = writeln!(out, "  {}", crate::text::one_line(u));
    }
    for part in parts(i) {
        let _ = writeln!(out, "\n{}", part.title.to_uppercase());
        for l in textwrap::wrap(part.about, textwrap::Options::new(78).initial_indent("  ").subsequent_indent("  ")) {
            let _ = writeln!(out, "{l}");
        }
        if part.rows.is_empty() {
            out.push_str("  none\n");
            continue;
        }
        let shown: Vec<Vec<String>> =
            part.rows.iter().take(TOP).map(|r| r.iter().map(|c| crate::text::one_line(c)).collect()).collect();
        let head: Vec<String> = part.head.iter().map(|h| h.to_uppercase()).collect();
        let widths = fit(&head, &shown, part.counts);
        for row in [&head].into_iter().chain(&shown) {
            let mut line = String::from(" ");
            for (c, (cell, &width)) in row.iter().zip(&widths).enumerate() {
                let cell = cut(cell, width);
                let pad = " ".repeat(width.saturating_sub(cell.width()));
                let _ = if c + part.counts >= head.len() {
                    write!(line, " {pad}{cell}")
                } else {
                    write!(line, " {cell}{pad}")
                };
                line.push(' ');
            }
            let _ = writeln!(out, "{}", line.trim_end());
        }
        if part.rows.len() > TOP {
            let _ = writeln!(out, "  and {} more", part.rows.len() - TOP);
        }
    }
    out
}

/// The columns' widths: each as wide as its widest cell, then the widest text column made
/// narrower, one column at a time, until a row fits in [`TABLE_WIDTH`] (or each is [`NARROWEST`]).
fn fit(head: &[String], rows: &[Vec<String>], counts: usize) -> Vec<usize> {
    let mut widths: Vec<usize> = (0..head.len())
        .map(|c| {
            rows.iter().map(Vec::as_slice).chain([head]).map(|r| r.get(c).map_or(0, |s| s.width())).max().unwrap_or(0)
        })
        .collect();
    let texts = head.len().saturating_sub(counts);
    while 2 + widths.iter().map(|w| w + 2).sum::<usize>() > TABLE_WIDTH {
        match widths.iter_mut().take(texts).max_by_key(|w| **w) {
            Some(w) if *w > NARROWEST => *w -= 1,
            _ => break,
        }
    }
    widths
}

/// `text` in at most `width` columns, cut text ending in `…`.
fn cut(text: &str, width: usize) -> String {
    if text.width() <= width {
        return text.to_owned();
    }
    let end = crate::text::take_width(text, width.saturating_sub(1));
    format!("{}…", text.get(..end).unwrap_or_default())
}

/// The insights as markdown: a list for the header, a table per list.
pub fn markdown(i: &Insights) -> String {
    let mut out = String::from("# Runbook insights\n\n");
    let (lines, unread) = header(i);
    for l in &lines {
        let _ = writeln!(out, "- {}", md(l));
    }
    for u in &unread {
        let _ = writeln!(out, "  - {}", md(u));
    }
    for part in parts(i) {
        let _ = writeln!(out, "\n## {}\n\n{}\n", part.title, part.about);
        if part.rows.is_empty() {
            out.push_str("None.\n");
            continue;
        }
        let _ = writeln!(out, "| {} |", part.head.join(" | "));
        let rule: Vec<&str> =
            (0..part.head.len()).map(|c| if c + part.counts >= part.head.len() { "---:" } else { "---" }).collect();
        let _ = writeln!(out, "| {} |", rule.join(" | "));
        for row in part.rows.iter().take(TOP) {
            let cells: Vec<String> = row.iter().map(|c| md(c)).collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
        if part.rows.len() > TOP {
            let _ = writeln!(out, "\nAnd {} more.", part.rows.len() - TOP);
        }
    }
    out
}

/// Journal text for markdown: one clean line, with what markdown would read as markup
/// (a column break, code, emphasis, a link, HTML) escaped.
fn md(text: &str) -> String {
    let mut out = String::new();
    for c in crate::text::one_line(text).chars() {
        if matches!(c, '\\' | '|' | '`' | '*' | '_' | '~' | '[' | ']' | '<') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}
