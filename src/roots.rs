//! Which runbook folders to use: `--dir` (repeatable), else `RUNBOOK_PATH` (colon-separated),
//! else `./runbooks` when it exists. Kept apart from clap so tests can call it directly.

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum RootsError {
    #[error(
        "no runbook folder found: there is no ./runbooks here and RUNBOOK_PATH is not set.\n\
         Point the tool at your runbooks with `--dir PATH` (repeatable), or set \
         RUNBOOK_PATH=/path/one:/path/two"
    )]
    NoneFound,
    #[error("runbook folder `{0}` does not exist or is not a folder; check the path given to --dir or RUNBOOK_PATH")]
    Missing(PathBuf),
}

/// Resolve the roots from explicit folders, the value of `RUNBOOK_PATH`, and the current dir.
pub fn resolve(dirs: &[PathBuf], env_path: Option<&str>, cwd: &Path) -> Result<Vec<PathBuf>, RootsError> {
    let roots: Vec<PathBuf> = if !dirs.is_empty() {
        dirs.to_vec()
    } else if let Some(env) = env_path.filter(|e| !e.trim().is_empty()) {
        env.split(':').filter(|p| !p.is_empty()).map(PathBuf::from).collect()
    } else {
        let default = cwd.join("runbooks");
        if default.is_dir() {
            return Ok(vec![PathBuf::from("runbooks")]);
        }
        return Err(RootsError::NoneFound);
    };
    if let Some(missing) = roots.iter().find(|r| !r.is_dir()) {
        return Err(RootsError::Missing(missing.clone()));
    }
    let mut unique = Vec::new();
    for r in roots {
        if !unique.contains(&r) {
            unique.push(r);
        }
    }
    Ok(unique)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dirs_win_over_env_and_default() {
        let tmp = std::env::temp_dir();
        let got = resolve(std::slice::from_ref(&tmp), Some("/nonexistent"), Path::new("/")).ok();
        assert_eq!(got, Some(vec![tmp]));
    }

    #[test]
    fn env_path_is_split_on_colons() {
        let tmp = std::env::temp_dir();
        let env = format!("{}::{}", tmp.display(), tmp.display());
        let got = resolve(&[], Some(&env), Path::new("/")).ok();
        assert_eq!(got, Some(vec![tmp]));
    }

    #[test]
    fn nothing_found_is_a_clear_error() {
        let err = resolve(&[], None, Path::new("/nonexistent-dir")).err();
        assert!(matches!(err, Some(RootsError::NoneFound)));
        assert!(err.is_some_and(|e| e.to_string().contains("--dir")));
    }

    #[test]
    fn missing_dir_is_named() {
        let err = resolve(&[PathBuf::from("/no/such/dir")], None, Path::new("/")).err();
        assert!(err.is_some_and(|e| e.to_string().contains("/no/such/dir")));
    }
}
