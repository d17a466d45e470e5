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

/// The steps the runbook intends, in order, then those of the runbooks the trainee went on
/// to from it (`lib` opens them): all of a procedure's; of a guide, those in the sections the
/// trainee reached and its Before you start (a branch rightly not taken is not a skipped step).
pub(crate) fn intended(lib: &crate::runbook::Library, rb: &Runbook, o: &drill::Outcome) -> Vec<String> {
    let mut out = steps_of(rb, &o.sections);
    for (id, sections) in &o.followed {
        if let Some(other) = lib.by_id(id).and_then(|i| lib.runbooks.get(i)).filter(|r| r.id != rb.id) {
            out.extend(steps_of(other, sections).into_iter().filter(|s| !out.contains(s)).collect::<Vec<_>>());
        }
    }
    out
}

fn steps_of(rb: &Runbook, sections: &[String]) -> Vec<String> {
    rb.steps()
        .filter(|(i, _)| {
            rb.kind == Kind::Procedure
                || rb.sections.get(*i).is_some_and(|s| s.role == SectionRole::PreChecks || sections.contains(&s.id))
        })
        .map(|(_, s)| plain_text(&s.text))
        .collect()
}

/// The symptoms a scenario may be: not ones that give the answer away, unless there are no
/// others. A symptom gives it away when most of its words (two in three) are the title's:
/// "disk full" for "Disk full", "boot previous kernel" for "Kernel upgrade gone wrong - boot
/// the previous kernel". A trainee must find the runbook from what they see, not be told it.
pub(crate) fn scenarios(rb: &Runbook) -> Vec<String> {
    let title = words(&rb.title);
    let gives_away = |s: &String| {
        let w = words(s);
        let known = w.iter().filter(|x| title.iter().any(|t| same_word(t, x))).count();
        !w.is_empty() && known * 3 >= w.len() * 2
    };
    let others: Vec<String> = rb.meta.symptoms.iter().filter(|s| !gives_away(s)).cloned().collect();
    if others.is_empty() { rb.meta.symptoms.clone() } else { others }
}

/// The words of `text` that carry meaning: lowercased, three letters or more, not the
/// commonest English ones.
fn words(text: &str) -> Vec<String> {
    const COMMON: &[&str] = &["the", "and", "for", "not", "are", "was", "with", "from", "this", "that", "does", "did"];
    text.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() >= 3 && !COMMON.contains(&w.as_str()))
        .collect()
}

/// The same word, give or take an ending ("kernel", "kernels"; "reboot", "rebooting").
fn same_word(a: &str, b: &str) -> bool {
    let stem = |w: &str| w.chars().take(5).collect::<String>();
    a == b || (a.chars().count() >= 4 && b.chars().count() >= 4 && stem(a) == stem(b))
}

pub fn run(cx: &Context, args: Args<'_>) -> anyhow::Result<Outcome> {
    if args.report {
        return report(args.journals);
    }
    let lib = cx.load();
    let mut wanted: Vec<String> = args.runbooks.to_vec();
    if let Some(list) = args.list {
        let bytes = crate::files::read(list, 1024 * 1024, crate::files::Links::Follow)
            .with_context(|| format!("the drill list {}", list.display()))?;
        let text = String::from_utf8_lossy(&bytes);
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
        age: false,
        preview: None,
        drill: Some(drill),
        alerts: Vec::new(),
        sharing: crate::journal::Sharing::default(),
        meaning: cx.meaning,
    };
    let recorded = crate::tui::run(opts).context("the terminal UI failed")?;
    let path =
        recorded.context("the drill was not recorded (the state folder is not writable), so there is no result")?;
    let log = journal::read(&path)?;
    let o = drill::outcome(&log.records).context("the drill's journal has no drill in it")?;
    let text = drill::summary(&o, &rb.title, &intended(&lib, rb, &o));
    write!(std::io::stdout().lock(), "\n{}", journal::report::wrapped(&text, width()))?;
    Ok(Outcome::Success)
}

/// The width text is wrapped to: the report's, or the terminal's when it is narrower (a
/// phone's 60 columns), so no word is cut by the terminal wrapping a longer line.
fn width() -> usize {
    crate::tui::terminal_width()
        .map_or(journal::report::WIDTH, |w| usize::from(w).saturating_sub(1).clamp(30, journal::report::WIDTH))
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
    write!(std::io::stdout().lock(), "{}", journal::report::wrapped(&drill::report(&outcomes), width()))?;
    Ok(Outcome::Success)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::runbook::{Origin, parse_text};

    #[test]
    fn a_scenario_never_gives_the_answer_away() {
        let text = "---\ntitle: Disk full - \"No space left on device\"\nsymptoms: [disk full, Disk full - \"No space left on device\", site returns 500]\n---\n# Disk full\n";
        let origin = Origin { root: 0, rel_path: "os/disk-full.md".into(), file: "os/disk-full.md".into() };
        let rb = parse_text(text, origin.clone()).0;
        assert_eq!(scenarios(&rb), ["site returns 500"]);
        // The fix in the title's second half is the answer too.
        let kernel = "---\ntitle: Kernel upgrade gone wrong - boot the previous kernel\nsymptoms: [boot previous kernel, server does not boot after an update, kernels]\n---\n# K\n";
        let rb = parse_text(kernel, origin).0;
        assert_eq!(scenarios(&rb), ["server does not boot after an update"]);
    }

    #[test]
    fn a_guide_intends_the_steps_of_the_branch_taken_and_a_procedure_all() {
        let text = "---\nkind: guide\n---\n# G\n\n## Which? {#q}\n\n- [Disk](#disk)\n- [Memory](#mem)\n\n## Disk {#disk}\n\n- [ ] Free space\n\n## Memory {#mem}\n\n- [ ] Restart it\n";
        let origin = Origin { root: 0, rel_path: "g.md".into(), file: "g.md".into() };
        let mut rb = parse_text(text, origin).0;
        let o = drill::Outcome { sections: vec!["q".into(), "disk".into()], ..drill::Outcome::default() };
        let lib = crate::runbook::Library::default();
        assert_eq!(intended(&lib, &rb, &o), ["Free space"]);
        rb.kind = Kind::Procedure;
        assert_eq!(intended(&lib, &rb, &o), ["Free space", "Restart it"]);
    }

    #[test]
    fn the_steps_of_a_procedure_the_trainee_went_on_to_are_intended_too() {
        let origin = |p: &str| Origin { root: 0, rel_path: p.into(), file: p.into() };
        let guide = parse_text("---\nkind: guide\n---\n# G\n\n## Which? {#q}\n\n- [Restart](restart.md)\n- [Other](#o)\n\n## Other {#o}\n\nText.\n", origin("g.md")).0;
        let proc = parse_text(
            "---\nkind: procedure\n---\n# R\n\n## Steps\n\n- [ ] Stop it\n- [ ] Start it\n",
            origin("restart.md"),
        )
        .0;
        let lib = crate::runbook::Library::new(Vec::new(), vec![guide.clone(), proc], Vec::new(), Default::default());
        let o = drill::Outcome {
            sections: vec!["q".into()],
            followed: vec![("restart".into(), vec!["steps".into()])],
            checked: vec!["Stop it".into()],
            ..drill::Outcome::default()
        };
        let steps = intended(&lib, &guide, &o);
        assert_eq!(steps, ["Stop it", "Start it"]);
        let text = drill::summary(&o, "G", &steps);
        assert!(text.contains("Steps done: 1 of 2"), "{text}");
    }
}
