//! `runbook init DIR`: a new team repository from the built-in starter kit, and what to do
//! next.

use std::io::Write;
use std::path::Path;

use anyhow::Context as _;

use super::Outcome;

pub fn run(dir: &Path) -> anyhow::Result<Outcome> {
    let n = crate::kit::init(dir).with_context(|| format!("cannot start a runbook repository in {}", dir.display()))?;
    let shown = crate::text::one_line(&dir.display().to_string());
    let team = dir.join("runbooks").join(crate::runbook::team::TEAM_FILE);
    let left =
        std::fs::read_to_string(&team).map_or(0, |t| crate::runbook::placeholder::findings(&t, usize::MAX).len());
    let mut out = std::io::stdout().lock();
    writeln!(out, "Wrote {n} runbooks to {shown}/runbooks, a README for authors and .github/workflows/runbooks.yml.")?;
    writeln!(out, "Next:")?;
    writeln!(out, "  cd {shown} && git init")?;
    writeln!(
        out,
        "  $EDITOR runbooks/team.yml               # your contacts, systems and values: the one file to edit"
    )?;
    writeln!(out, "  runbook --dir runbooks check --strict   # passes once no REPLACE is left")?;
    if left > 0 {
        writeln!(
            out,
            "runbooks/team.yml holds {left} line(s) marked REPLACE (phone numbers, hosts, ...): until the team\n\
             writes the real values, `check --strict` fails there, and only there."
        )?;
    }
    writeln!(out, "  runbook --dir runbooks                  # try it as a responder")?;
    Ok(Outcome::Success)
}
