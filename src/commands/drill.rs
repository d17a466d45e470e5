//! `runbook drill`: a "wheel of misfortune" for training. The tool picks a runbook (or the
//! trainer does), shows only the scenario a responder would get (a symptom or alert text,
//! never the title), and the trainee searches and walks as in a real incident. The drill is
//! recorded apart from real sessions; at the end it says how it went next to the path the
//! runbook intends. `--report` sums up the drills recorded so far.

use std::io::{BufRead as _, Write};
use std::path::Path;

use anyhow::{Context as _, bail};

use super::{Context, Outcome};
use crate::journal::{self, Drill, drill};
use crate::runbook::{Kind, Runbook, SectionRole, plain_text};

/// What `runbook drill` was asked.
#[derive(Debug, Clone, Copy)]
pub struct Args<'a> {
    /// Runbook ids to pick from (`--runbook`, repeatable).
    pub runbooks: &'a [String],
    /// A file of runbook ids, one per line (`--list`).
    pub list: Option<&'a Path>,
    /// Sum up the recorded drills instead of running one.
    pub report: bool,
    /// A folder of collected drill journals for `--report`.
    pub journals: Option<&'a Path>,
}

/// A number that differs from run to run (no cryptography needed: it picks a drill).
fn pick(n: usize, salt: u64) -> usize {
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
    let seed = format!("{nanos}-{}-{salt}", std::process::id());
    usize::try_from(xxhash_rust::xxh3::xxh3_64(seed.as_bytes()) % (n.max(1) as u64)).unwrap_or(0)
}

/// The steps the runbook intends, in order: all of a procedure's; of a guide, those in the
/// sections the trainee reached and its Before you start (a branch rightly not taken is not
/// a skipped step).
pub fn intended(rb: &Runbook, o: &drill::Outcome) -> Vec<String> {
    rb.steps()
        .filter(|(i, _)| {
            rb.kind == Kind::Procedure
                || rb.sections.get(*i).is_some_and(|s| s.role == SectionRole::PreChecks || o.sections.contains(&s.id))
        })
        .map(|(_, s)| plain_text(&s.text))
        .collect()
}

/// The symptoms a scenario may be: not ones that give the title away (the title itself, or
/// its name before a ` - ` or `(`), unless there are no others.
pub fn scenarios(rb: &Runbook) -> Vec<String> {
    let title = rb.title.to_lowercase();
    let name = title.split(['(', '-']).next().unwrap_or(&title).trim().to_owned();
    let gives_away = |s: &String| {
        let s = s.trim().to_lowercase();
        s == title || s == name
    };
    let others: Vec<String> = rb.meta.symptoms.iter().filter(|s| !gives_away(s)).cloned().collect();
    if others.is_empty() { rb.meta.symptoms.clone() } else { others }
}

pub fn run(cx: &Context, args: Args<'_>) -> anyhow::Result<Outcome> {
    if args.report {
        return report(args.journals);
    }
    let lib = cx.load();
    let mut wanted: Vec<String> = args.runbooks.to_vec();
    if let Some(list) = args.list {
        let text =
            std::fs::read_to_string(list).with_context(|| format!("cannot read the drill list {}", list.display()))?;
        wanted.extend(text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')).map(str::to_owned));
    }
    let pool: Vec<&Runbook> = if wanted.is_empty() {
        lib.runbooks.iter().filter(|r| r.kind != Kind::Reference && !r.meta.symptoms.is_empty()).collect()
    } else {
        let mut pool = Vec::new();
        for id in &wanted {
            let Some(i) = lib.by_id(id) else {
                bail!("no runbook with id `{id}` for the drill; `runbook list` shows the ids")
            };
            pool.extend(lib.runbooks.get(i));
        }
        pool
    };
    let Some(rb) = pool.get(pick(pool.len(), 1)).copied() else {
        bail!("no runbook to drill on: none has `symptoms` in its frontmatter");
    };
    let choices = scenarios(rb);
    let Some(scenario) = choices.get(pick(choices.len(), 2)).map(|s| crate::text::one_line(s)) else {
        bail!("runbook `{}` has no `symptoms` to make a scenario from; add some", rb.id);
    };
    if !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        bail!("`runbook drill` needs a terminal");
    }
    {
        let mut out = std::io::stdout().lock();
        writeln!(out, "DRILL. The ticket says:\n\n    \"{scenario}\"\n")?;
        writeln!(out, "Find the right runbook and work through it as in a real incident:")?;
        writeln!(out, "nothing is run, commands are only shown and copied. When done, press q in")?;
        writeln!(out, "a runbook (or Esc on an empty search).")?;
        writeln!(out, "Enter starts the drill.")?;
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("cannot read from the terminal")?;
    let drill = Drill { runbook: rb.id.clone(), scenario: scenario.clone() };
    let opts = crate::tui::Options {
        copy: cx.copy,
        roots: cx.roots.clone(),
        color: cx.color == crate::output::ColorMode::Always,
        query: String::new(),
        resume: crate::tui::Resume::Offer,
        notice: Some("Drill: find the runbook; q in a runbook ends it".into()),
        name: cx.name.clone(),
        age: crate::repo::Age::default(),
        preview: None,
        drill: Some(drill),
    };
    let recorded = crate::tui::run(opts).context("the terminal UI failed")?;
    let path =
        recorded.context("the drill was not recorded (the state folder is not writable), so there is no result")?;
    let log = journal::read(&path)?;
    let o = drill::outcome(&log.records).context("the drill's journal has no drill in it")?;
    let text = drill::summary(&o, &rb.title, &intended(rb, &o));
    write!(std::io::stdout().lock(), "\n{}", journal::report::wrapped(&text, journal::report::WIDTH))?;
    Ok(Outcome::Success)
}

fn report(journals: Option<&Path>) -> anyhow::Result<Outcome> {
    let dir = match journals {
        Some(d) => d.to_path_buf(),
        None => journal::drills_dir().context("cannot tell where drills are recorded (no home folder)")?,
    };
    // Collected drills may sit in a folder per machine, as journals for insights do.
    let (logs, _unread) = super::insights::read_all(&dir, super::insights::LIMITS)
        .with_context(|| format!("cannot read the drills in {}", dir.display()))?;
    let outcomes: Vec<drill::Outcome> = logs.iter().filter_map(|log| drill::outcome(&log.records)).collect();
    if outcomes.is_empty() {
        writeln!(std::io::stdout().lock(), "No drills recorded in {} yet; `runbook drill` runs one.", dir.display())?;
        return Ok(Outcome::Findings);
    }
    write!(
        std::io::stdout().lock(),
        "{}",
        journal::report::wrapped(&drill::report(&outcomes), journal::report::WIDTH)
    )?;
    Ok(Outcome::Success)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runbook::{Origin, parse_text};

    #[test]
    fn a_scenario_never_gives_the_title_away() {
        let text = "---\ntitle: Disk full - \"No space left on device\"\nsymptoms: [disk full, Disk full - \"No space left on device\", site returns 500]\n---\n# Disk full\n";
        let origin = Origin { root: 0, rel_path: "os/disk-full.md".into(), file: "os/disk-full.md".into() };
        let rb = parse_text(text, origin).0;
        assert_eq!(scenarios(&rb), ["site returns 500"]);
    }

    #[test]
    fn a_guide_intends_the_steps_of_the_branch_taken_and_a_procedure_all() {
        let text = "---\nkind: guide\n---\n# G\n\n## Which? {#q}\n\n- [Disk](#disk)\n- [Memory](#mem)\n\n## Disk {#disk}\n\n- [ ] Free space\n\n## Memory {#mem}\n\n- [ ] Restart it\n";
        let origin = Origin { root: 0, rel_path: "g.md".into(), file: "g.md".into() };
        let mut rb = parse_text(text, origin).0;
        let o = drill::Outcome { sections: vec!["q".into(), "disk".into()], ..drill::Outcome::default() };
        assert_eq!(intended(&rb, &o), ["Free space"]);
        rb.kind = Kind::Procedure;
        assert_eq!(intended(&rb, &o), ["Free space", "Restart it"]);
    }
}
