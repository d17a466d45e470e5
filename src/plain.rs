//! A runbook as readable plain text, for `runbook show` and anything piped (the TUI draws
//! the same blocks with ratatui styles): headings underlined, answers numbered, steps as
//! checkboxes, commands indented, alerts labelled, tables aligned. Every string from the
//! runbook was stripped of control characters at load time.

use std::fmt::Write;

use unicode_width::UnicodeWidthStr;

use crate::runbook::{Block, Inline, Runbook, Section, SectionRole, Step, Target, plain_text};

/// The whole runbook, or only the section `only` when given.
pub fn runbook(rb: &Runbook, only: Option<usize>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", rb.title);
    let _ = writeln!(out, "{}", "=".repeat(rb.title.width().max(3)));
    let mut facts = vec![format!("id: {}", rb.id), format!("kind: {}", rb.kind.as_str())];
    if let Some(s) = rb.meta.severity {
        facts.push(format!("severity: {}", s.as_str()));
    }
    if !rb.meta.systems.is_empty() {
        facts.push(format!("systems: {}", rb.meta.systems.join(", ")));
    }
    let _ = writeln!(out, "{}", facts.join(" | "));
    if !rb.meta.symptoms.is_empty() {
        let _ = writeln!(out, "symptoms: {}", rb.meta.symptoms.join("; "));
    }
    if let Some(s) = &rb.meta.summary {
        let _ = writeln!(out, "\n{s}");
    }
    for (i, section) in rb.sections.iter().enumerate() {
        if only.is_some_and(|o| o != i) {
            continue;
        }
        if section.level == 1 && section.title == rb.title && only.is_none() {
            out.push('\n');
            blocks(&section.blocks, 0, &mut out);
            continue;
        }
        self::section(section, &mut out);
    }
    if !rb.meta.escalation.is_empty() && only.is_none() {
        let _ = writeln!(out, "\nEscalation\n----------");
        for (n, e) in rb.meta.escalation.iter().enumerate() {
            let role = e.role.as_ref().map(|r| format!(" ({r})")).unwrap_or_default();
            let _ =
                write!(out, "{}. {}{role} — {}", n + 1, e.name, e.contact.as_deref().unwrap_or("(no contact given)"));
            if let Some(m) = e.after_minutes {
                let _ = write!(out, " (after {m} min)");
            }
            if let Some(w) = &e.when {
                let _ = write!(out, ": {w}");
            }
            out.push('\n');
        }
    }
    out
}

fn section(section: &Section, out: &mut String) {
    if section.level > 0 {
        let marker = match section.role {
            SectionRole::Verify => " [verify]",
            SectionRole::Rollback => " [rollback]",
            SectionRole::PreChecks => " [pre-checks]",
            SectionRole::Escalate => " [escalate]",
            SectionRole::Normal => "",
        };
        let title = format!("{}{marker}  (#{})", section.title, section.id);
        let underline = if section.level <= 2 { "-" } else { "." };
        let _ = writeln!(out, "\n{title}\n{}", underline.repeat(section.title.width().max(3)));
    }
    blocks(&section.blocks, 0, out);
}

fn inline(text: &[Inline]) -> String {
    let mut s = String::new();
    for i in text {
        if i.style.code {
            let _ = write!(s, "`{}`", i.text);
        } else {
            s.push_str(&i.text);
        }
    }
    s.trim().to_owned()
}

fn indent_lines(text: &str, indent: usize, out: &mut String) {
    for line in text.lines() {
        let _ = writeln!(out, "{}{line}", " ".repeat(indent));
    }
}

fn blocks(list: &[Block], indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    let mut step_no = 0;
    for block in list {
        match block {
            Block::Paragraph { text, .. } => {
                indent_lines(&inline(text), indent, out);
                out.push('\n');
            }
            Block::List { start, items, .. } => {
                for (n, item) in items.iter().enumerate() {
                    let bullet = start.map_or_else(|| "- ".to_owned(), |s| format!("{}. ", s + n as u64));
                    let mut inner = String::new();
                    blocks(item, 0, &mut inner);
                    let inner = inner.trim_end();
                    for (i, line) in inner.lines().enumerate() {
                        let lead = if i == 0 { bullet.clone() } else { " ".repeat(bullet.len()) };
                        if line.is_empty() {
                            out.push('\n');
                        } else {
                            let _ = writeln!(out, "{pad}{lead}{line}");
                        }
                    }
                }
                out.push('\n');
            }
            Block::Code { code, .. } => {
                indent_lines(code.trim_end(), indent + 4, out);
                out.push('\n');
            }
            Block::Quote { blocks: inner, .. } => {
                let mut s = String::new();
                blocks(inner, 0, &mut s);
                for line in s.trim_end().lines() {
                    let _ = writeln!(out, "{pad}| {line}");
                }
                out.push('\n');
            }
            Block::Alert { kind, blocks: inner, .. } => {
                let mut s = String::new();
                blocks(inner, 0, &mut s);
                let _ = writeln!(out, "{pad}[{}]", kind.label());
                for line in s.trim_end().lines() {
                    let _ = writeln!(out, "{pad}| {line}");
                }
                out.push('\n');
            }
            Block::Table { header, rows, .. } => {
                table(header, rows, indent, out);
                out.push('\n');
            }
            Block::Rule { .. } => {
                let _ = writeln!(out, "{pad}{}\n", "-".repeat(20));
            }
            Block::Choices { choices, .. } => {
                let _ = writeln!(out, "{pad}Answers:");
                for (n, c) in choices.iter().enumerate() {
                    let to = match &c.target {
                        Target::Section { section } => format!("#{section}"),
                        Target::Runbook { path, section: Some(s) } => format!("{path}#{s}"),
                        Target::Runbook { path, section: None } => path.clone(),
                    };
                    let _ = writeln!(out, "{pad}  {}. {}  -> {to}", n + 1, c.label);
                }
                out.push('\n');
            }
            Block::Step(s) => {
                step_no += 1;
                step(s, step_no, indent, out);
            }
            Block::Html { text, .. } => {
                indent_lines(text, indent, out);
                out.push('\n');
            }
        }
    }
}

fn step(s: &Step, n: usize, indent: usize, out: &mut String) {
    let pad = " ".repeat(indent);
    if let Some(risk) = &s.risk {
        let mut r = String::new();
        blocks(&risk.blocks, 0, &mut r);
        let _ = writeln!(out, "{pad}[{}] risky step:", risk.kind.label());
        for line in r.trim_end().lines() {
            let _ = writeln!(out, "{pad}| {line}");
        }
    }
    let mark = if s.checked { "[x]" } else { "[ ]" };
    let _ = writeln!(out, "{pad}{mark} {n}. {}", inline(&s.text));
    if let Some(cmd) = &s.command {
        indent_lines(cmd.code.trim_end(), indent + 8, out);
    }
    if !s.body.is_empty() {
        blocks(&s.body, indent + 7, out);
    }
    out.push('\n');
}

fn table(header: &[Vec<Inline>], rows: &[Vec<Vec<Inline>>], indent: usize, out: &mut String) {
    let all: Vec<Vec<String>> = std::iter::once(header)
        .chain(rows.iter().map(Vec::as_slice))
        .map(|r| r.iter().map(|c| plain_text(c).trim().to_owned()).collect())
        .collect();
    let cols = all.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> =
        (0..cols).map(|c| all.iter().filter_map(|r| r.get(c)).map(|s| s.width()).max().unwrap_or(0)).collect();
    for (i, row) in all.iter().enumerate() {
        let cells: Vec<String> = (0..cols)
            .map(|c| {
                let s = row.get(c).map_or("", String::as_str);
                format!("{s}{}", " ".repeat(widths[c].saturating_sub(s.width())))
            })
            .collect();
        let _ = writeln!(out, "{}{}", " ".repeat(indent), cells.join("  ").trim_end());
        if i == 0 {
            let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
            let _ = writeln!(out, "{}{}", " ".repeat(indent), rule.join("  "));
        }
    }
}
