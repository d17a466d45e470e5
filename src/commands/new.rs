//! `runbook new PATH [--kind]`: a new runbook from a template that already has the structure
//! (a question with answers, or Before you start / Steps / Verify / Rollback / Escalate),
//! with comments telling the author what goes where. As written it passes `check --strict`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

use super::Outcome;
use crate::runbook::Kind;
use crate::runbook::library::load_team;

const GUIDE: &str = include_str!("../kit/templates/guide.md");
const PROCEDURE: &str = include_str!("../kit/templates/procedure.md");
const REFERENCE: &str = include_str!("../kit/templates/reference.md");

/// The template for `kind`, filled in for a file at `path`; `contact` is a team file's
/// contact id to escalate to, if the folder has one.
pub(crate) fn template(kind: Kind, path: &Path, contact: Option<&str>, today: jiff::civil::Date) -> String {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let title = crate::text::one_line(&crate::text::readable_name(&stem));
    // In the frontmatter, a quoted YAML string: a name may start with `[`, `*`, `@` ...
    let yaml_title = format!("\"{}\"", title.trim().replace('\\', "\\\\").replace('"', "\\\""));
    let escalation = match contact {
        Some(id) => format!(
            "  - who: {id}   # a contact in team.yml\n    when: Verify still fails after the rollback\n    after: 30m"
        ),
        None => "  - name: On-call lead\n    contact: \"REPLACE: phone and chat channel of the on-call lead\"\n    after: 30m"
            .to_owned(),
    };
    let text = match kind {
        Kind::Guide => GUIDE,
        Kind::Procedure => PROCEDURE,
        Kind::Reference => REFERENCE,
    };
    text.replace("__TITLE_YAML__", &yaml_title)
        .replace("__TITLE__", title.trim())
        .replace("__ESCALATION__", &escalation)
        .replace("__TODAY__", &today.to_string())
}

pub fn run(path: &Path, kind: Kind) -> anyhow::Result<Outcome> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    if !crate::runbook::library::is_markdown_name(&name) {
        bail!("{} should end in .md (runbooks are markdown files, not hidden)", path.display());
    }
    if path.exists() {
        bail!("{} already exists; pick another name, or edit it", path.display());
    }
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create the folder {}", dir.display()))?;
    // The nearest folder above with a team file gives the contact to escalate to: its
    // first one, as the authors wrote them.
    let absolute = std::path::absolute(&dir).unwrap_or_else(|_| dir.clone());
    let contact = absolute.ancestors().find_map(|a| {
        let (team, _) = load_team(&[a.to_path_buf()]);
        team.contacts.values().min_by_key(|c| c.line).map(|c| c.id.clone())
    });
    let text = template(kind, path, contact.as_deref(), jiff::Zoned::now().date());
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(text.as_bytes()).with_context(|| format!("cannot write {}", path.display()))?;
    let shown = crate::text::one_line(&path.display().to_string());
    let mut out = std::io::stdout().lock();
    writeln!(out, "Wrote {shown} (a {}). Edit it: its comments say what goes where, and every", kind.as_str())?;
    writeln!(out, "REPLACE marks text to write (`runbook check --strict` fails until none is left). Then:")?;
    writeln!(out, "  runbook preview {shown}")?;
    writeln!(out, "      walk it as a responder in a second pane; it reloads on every save")?;
    writeln!(out, "  runbook check --strict")?;
    writeln!(out, "      before you push (CI runs it too)")?;
    Ok(Outcome::Success)
}
