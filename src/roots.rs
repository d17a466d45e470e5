//! Which runbook folders to use: `--dir` (repeatable), else `RUNBOOK_PATH` (colon-separated),
//! else `./runbooks` when it exists, else none (the caller opens the built-in kit). Kept apart
//! from clap so tests can call it directly.

use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum RootsError {
    #[error("runbook folder `{0}` does not exist or is not a folder; check the path given to --dir or RUNBOOK_PATH")]
    Missing(PathBuf),
}

/// Resolve the roots from explicit folders, the value of `RUNBOOK_PATH`, and the current dir;
/// `None` when none was given and there is no `./runbooks`.
pub fn resolve(dirs: &[PathBuf], env_path: Option<&str>, cwd: &Path) -> Result<Option<Vec<PathBuf>>, RootsError> {
    let roots: Vec<PathBuf> = if !dirs.is_empty() {
        dirs.to_vec()
    } else if let Some(env) = env_path.filter(|e| !e.trim().is_empty()) {
        env.split(':').filter(|p| !p.is_empty()).map(PathBuf::from).collect()
    } else {
        let default = cwd.join("runbooks");
        return Ok(default.is_dir().then(|| vec![PathBuf::from("runbooks")]));
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
    Ok(Some(unique))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dirs_win_over_env_and_default() {
        let tmp = std::env::temp_dir();
        let got = resolve(std::slice::from_ref(&tmp), Some("/nonexistent"), Path::new("/")).ok();
        assert_eq!(got, Some(Some(vec![tmp])));
    }

    #[test]
    fn env_path_is_split_on_colons() {
        let tmp = std::env::temp_dir();
        let env = format!("{}::{}", tmp.display(), tmp.display());
        let got = resolve(&[], Some(&env), Path::new("/")).ok();
        assert_eq!(got, Some(Some(vec![tmp])));
    }

    #[test]
    fn nothing_given_or_found_is_none() {
        assert!(matches!(resolve(&[], None, Path::new("/nonexistent-dir")), Ok(None)));
        assert!(matches!(resolve(&[], Some("  "), Path::new("/nonexistent-dir")), Ok(None)));
    }

    #[test]
    fn missing_dir_is_named() {
        let err = resolve(&[PathBuf::from("/no/such/dir")], None, Path::new("/")).err();
        assert!(err.is_some_and(|e| e.to_string().contains("/no/such/dir")));
    }
}
