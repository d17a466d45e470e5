//! `runbook alert [FILE|-]`: an alert in, its runbook out. On a terminal the TUI opens the
//! runbook found (with several alerts, the list of them); otherwise, or with `--json`, the
//! runbooks found for each alert are printed, each saying how it was found.

use std::io::{IsTerminal, Read, Write};
use std::path::Path;
use std::sync::Arc;

use anyhow::Context as _;
use serde_json::json;

use super::{Context, Outcome};
use crate::alert::{Alert, AlertError, Found, Routed};
use crate::output::{BOLD, CYAN, DIM, YELLOW};
use crate::search::{Cache, Progress, SearchIndex};
use crate::text::one_line;

pub fn run(cx: &Context, file: &Path, json: bool, limit: usize) -> anyhow::Result<Outcome> {
    let from_stdin = file == Path::new("-");
    let bytes = if from_stdin { read_stdin()? } else { read_file(file)? };
    let crate::alert::Read { alerts, left_out } = crate::alert::read(&bytes).context("could not read the alert")?;
    if left_out > 0 {
        let _ = writeln!(
            std::io::stderr(),
            "runbook: {left_out} more alert(s) in the payload were left out: only the first {} are read",
            alerts.len()
        );
    }
    cx.say_notice();
    let (index, found, repaired) =
        SearchIndex::open_repairing(&cx.catalog(), &Cache::Default, &Arc::new(Progress::default()), |i| {
            crate::alert::route_all(i, &alerts, limit.max(1))
        });
    super::report_problems(index.problems(), index.stats.fallback.as_deref());
    super::say_repaired(repaired.as_deref());
    let none_found = found.iter().all(|f| f.routed.is_empty());
    if !json && std::io::stdout().is_terminal() {
        drop(index);
        return open_tui(cx, found, from_stdin);
    }
    let mut out = std::io::stdout().lock();
    if json {
        let items: Vec<_> = found
            .iter()
            .enumerate()
            .flat_map(|(n, f)| f.routed.iter().map(move |r| routed_json(n, &f.alert, f.dangling.as_deref(), r)))
            .collect();
        crate::output::write_json(&mut out, &items)?;
        for f in &found {
            say_dangling(&f.alert, f.dangling.as_deref());
            if f.routed.is_empty() {
                let _ = writeln!(std::io::stderr(), "runbook: no runbook found for {}", f.alert.headline());
            }
        }
    } else {
        for Found { alert, routed, dangling } in &found {
            writeln!(
                out,
                "{} {}",
                cx.color.paint(BOLD, &alert.headline()),
                cx.color
                    .paint(DIM, if alert.status == crate::alert::Status::Unknown { "" } else { alert.status.as_str() })
            )?;
            if let Some(url) = dangling {
                writeln!(
                    out,
                    "   {}",
                    cx.color.paint(YELLOW, &format!("its runbook_url {} names no runbook here", one_line(url)))
                )?;
            }
            if routed.is_empty() {
                writeln!(out, "   no runbook found")?;
            }
            for (n, r) in routed.iter().enumerate() {
                let mut target = one_line(&r.entry.id);
                if let Some(s) = &r.section {
                    target.push('#');
                    target.push_str(&one_line(s));
                }
                writeln!(
                    out,
                    "{:>2}. {}  {}  ({})",
                    n + 1,
                    cx.color.paint(BOLD, &one_line(&r.entry.title)),
                    cx.color.paint(CYAN, &target),
                    r.found_by.says()
                )?;
            }
        }
    }
    Ok(if none_found { Outcome::Findings } else { Outcome::Success })
}

fn say_dangling(alert: &Alert, dangling: Option<&str>) {
    if let Some(url) = dangling {
        let _ = writeln!(
            std::io::stderr(),
            "runbook: {}: its runbook_url {} names no runbook in the open folders",
            one_line(&alert.name),
            one_line(url)
        );
    }
}

/// A found runbook in `search --json`'s shape, plus the alert and how it was found.
fn routed_json(n: usize, alert: &Alert, dangling: Option<&str>, r: &Routed) -> serde_json::Value {
    json!({
        "id": r.entry.id,
        "title": r.entry.title,
        "path": r.entry.at.path,
        "root": r.entry.at.folder.display().to_string(),
        "score": r.score,
        "kind": r.entry.kind,
        "severity": r.entry.severity,
        "systems": r.entry.systems,
        "symptoms": r.entry.symptoms,
        "section": r.section,
        "snippet": r.snippet,
        "found_by": r.found_by,
        "alert": alert.name,
        "alert_index": n,
        "status": alert.status,
        "dangling_runbook_url": dangling,
    })
}

fn read_stdin() -> anyhow::Result<Vec<u8>> {
    if std::io::stdin().is_terminal() {
        let _ = writeln!(std::io::stderr(), "Paste the alert (JSON or the notification's text), then Ctrl-D:");
    }
    let mut bytes = Vec::new();
    let limit = crate::alert::MAX_BYTES as u64 + 1;
    std::io::stdin()
        .lock()
        .take(limit)
        .read_to_end(&mut bytes)
        .context("could not read the alert from standard input")?;
    if bytes.len() > crate::alert::MAX_BYTES {
        return Err(AlertError::TooLarge).context("could not read the alert from standard input");
    }
    Ok(bytes)
}

/// The alert from a file; a pipe (`runbook alert <(curl ...)`, `/dev/stdin`) is read as
/// standard input is, up to the same cap.
fn read_file(path: &Path) -> anyhow::Result<Vec<u8>> {
    use std::os::unix::fs::FileTypeExt;
    let shown = || one_line(&path.display().to_string());
    if std::fs::metadata(path).is_ok_and(|m| m.file_type().is_fifo() || m.file_type().is_char_device()) {
        let file = std::fs::File::open(path).with_context(|| format!("could not open {}", shown()))?;
        let mut bytes = Vec::new();
        file.take(crate::alert::MAX_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .with_context(|| format!("could not read the alert from {}", shown()))?;
        if bytes.len() > crate::alert::MAX_BYTES {
            return Err(AlertError::TooLarge).with_context(|| format!("could not read the alert from {}", shown()));
        }
        return Ok(bytes);
    }
    crate::files::read(path, crate::alert::MAX_BYTES as u64, crate::files::Links::Follow)
        .with_context(|| format!("could not read the alert from {}", shown()))
}

/// The TUI, opened on what was found. The alert came on standard input: the terminal is
/// then opened for the keys.
fn open_tui(cx: &Context, found: Vec<Found>, from_stdin: bool) -> anyhow::Result<Outcome> {
    if from_stdin || !std::io::stdin().is_terminal() {
        let tty = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open("/dev/tty")
            .context("the alert came on standard input and there is no terminal to read keys from; use --json")?;
        nix::unistd::dup2_stdin(&tty).context("could not take keys from the terminal")?;
    }
    super::tui::run_with_alerts(cx, found)
}
