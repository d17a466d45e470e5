//! `runbook preview FILE`: the TUI on one runbook, reloaded each time the file is saved, for
//! an author writing in another pane. Links resolve in the runbook folder holding the file.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, bail};

use super::{Context, Outcome};

/// The runbook folder that holds `file`: a configured one, else the nearest folder above
/// named `runbooks` or holding a team file, else the file's own folder.
pub(crate) fn root_of(file: &Path, configured: &[PathBuf]) -> PathBuf {
    let parent = file.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    if let Some(r) = configured.iter().filter_map(|r| std::path::absolute(r).ok()).find(|r| file.starts_with(r)) {
        return r;
    }
    parent
        .ancestors()
        .find(|a| a.file_name().is_some_and(|n| n == "runbooks") || a.join(crate::runbook::team::TEAM_FILE).is_file())
        .map_or(parent.clone(), Path::to_path_buf)
}

pub fn run(cx: &Context, file: &Path) -> anyhow::Result<Outcome> {
    if !file.is_file() {
        bail!("{} is not a file; `runbook new {}` writes one from a template", file.display(), file.display());
    }
    let file = std::path::absolute(file).with_context(|| format!("cannot find {}", file.display()))?;
    let configured = if cx.notice.is_some() { Vec::new() } else { cx.roots.clone() };
    let root = root_of(&file, &configured);
    let rel = file.strip_prefix(&root).map(|p| p.to_string_lossy().into_owned()).unwrap_or_default();
    if rel.is_empty() {
        bail!("cannot place {} in a runbook folder", file.display());
    }
    if !std::io::IsTerminal::is_terminal(&std::io::stdout()) {
        bail!("`runbook preview` needs a terminal; `runbook show` prints a runbook");
    }
    let opts = crate::tui::Options {
        copy: cx.copy,
        roots: vec![root],
        color: cx.color == crate::output::ColorMode::Always,
        query: String::new(),
        resume: crate::tui::Resume::Offer,
        notice: Some("Preview: the page reloads each time you save the file".into()),
        name: cx.name.clone(),
        age: false,
        preview: Some(rel),
        drill: None,
        alerts: Vec::new(),
        sharing: crate::journal::Sharing::default(),
        // One file previewed: nothing to search by meaning.
        meaning: false,
    };
    crate::tui::run(opts).context("the terminal UI failed")?;
    Ok(Outcome::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_is_the_folder_links_resolve_in() {
        let f = Path::new("/srv/team/runbooks/systems/nginx/reload.md");
        assert_eq!(root_of(f, &[]), PathBuf::from("/srv/team/runbooks"));
        assert_eq!(
            root_of(f, &[PathBuf::from("/srv/team/runbooks/systems")]),
            PathBuf::from("/srv/team/runbooks/systems")
        );
        assert_eq!(root_of(Path::new("/tmp/x/a.md"), &[]), PathBuf::from("/tmp/x"));
    }
}
