//! The built-in starter kit: `runbook` anywhere with no runbook folder opens it (and says so),
//! and `runbook init DIR` gives a repository that `check --strict` passes.

#![cfg(test)]

use assert_cmd::Command;
use tempfile::TempDir;

/// `runbook` in an empty folder, with a fresh home and no RUNBOOK_PATH.
fn fresh(home: &TempDir, cwd: &TempDir) -> Command {
    let mut cmd = Command::cargo_bin("runbook").unwrap();
    cmd.current_dir(cwd.path())
        .env("HOME", home.path())
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("RUNBOOK_CACHE_DIR", home.path().join("cache"))
        .env("RUNBOOK_SYSTEM_CONFIG", home.path().join("no-system-config.toml"))
        .env_remove("RUNBOOK_PATH")
        .env_remove("XDG_CONFIG_HOME");
    cmd
}

#[test]
fn with_no_folder_the_built_in_kit_opens_and_says_so() {
    let (home, cwd) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let out = fresh(&home, &cwd).arg("list").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(stdout.lines().any(|l| l.starts_with("start-here ")), "{stdout}");
    assert!(stdout.lines().count() >= 40, "{stdout}");
    assert_eq!(stderr.matches("built-in starter kit").count(), 1, "said once: {stderr}");
    assert!(stderr.contains("runbook init DIR"), "{stderr}");
    // The second run uses the same copy.
    let again = fresh(&home, &cwd).args(["search", "--json", "no space left on device"]).output().unwrap();
    assert!(String::from_utf8_lossy(&again.stdout).contains("os/disk-full"));
    let kits = std::fs::read_dir(home.path().join("data/runbook")).unwrap().count();
    assert_eq!(kits, 1, "one kit folder per kit version");
}

#[test]
fn init_writes_a_repository_that_fails_strict_only_on_the_team_files_placeholders_and_never_overwrites() {
    let (home, cwd) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let team = cwd.path().join("team-runbooks");
    let out = fresh(&home, &cwd).arg("init").arg(&team).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("git init"));
    for file in ["README.md", ".github/workflows/runbooks.yml", "runbooks/start-here.md"] {
        assert!(team.join(file).is_file(), "{file}");
    }
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.contains("runbooks/team.yml holds") && said.contains("REPLACE"), "{said}");
    let ci = std::fs::read_to_string(team.join(".github/workflows/runbooks.yml")).unwrap();
    assert!(ci.contains("runbook --dir runbooks check --strict"), "{ci}");
    for dir in [team.clone(), team.join("runbooks")] {
        let check = fresh(&home, &cwd).arg("--dir").arg(&dir).args(["check", "--strict"]).output().unwrap();
        let text = String::from_utf8_lossy(&check.stdout);
        assert_eq!(check.status.code(), Some(1), "{}: {text}", dir.display());
        let findings: Vec<&str> = text.lines().filter(|l| l.contains("error[") || l.contains("warning[")).collect();
        assert!(!findings.is_empty(), "{text}");
        assert!(
            findings.iter().all(|l| l.contains("team.yml:") && l.contains("warning[placeholder]")),
            "strict fails only in team.yml, on its placeholders: {text}"
        );
        let plain = fresh(&home, &cwd).arg("--dir").arg(&dir).arg("check").output().unwrap();
        assert!(plain.status.success(), "plain check passes: {}", String::from_utf8_lossy(&plain.stdout));
    }
    let again = fresh(&home, &cwd).arg("init").arg(&team).output().unwrap();
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("is not empty"));
}

/// Every file under `dir`, recursively (the kit is a few dozen files, a few levels deep).
fn files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() { todo.push(p) } else { out.push(p) }
        }
    }
    out
}

#[test]
fn a_team_adopts_the_kit_by_editing_one_file() {
    let (home, cwd) = (TempDir::new().unwrap(), TempDir::new().unwrap());
    let team = cwd.path().join("ours");
    assert!(fresh(&home, &cwd).arg("init").arg(&team).output().unwrap().status.success());
    let team_file = team.join("runbooks/team.yml");
    let text = std::fs::read_to_string(&team_file).unwrap();
    assert!(text.lines().count() < 40, "the one file to edit is short: {} lines", text.lines().count());
    let elsewhere: Vec<_> = files(&team)
        .into_iter()
        .filter(|p| *p != team_file && std::fs::read_to_string(p).is_ok_and(|t| t.contains("REPLACE")))
        .collect();
    assert!(elsewhere.is_empty(), "REPLACE outside the team file: {elsewhere:?}");
    // The team edits it: real numbers in, markers out.
    let edited = text
        .replace("REPLACE +1 555 0100", "+44 20 7946 0000")
        .replace("APP_SERVICE: myapp", "APP_SERVICE: shop-web")
        .replace("REPLACE ", "")
        .replace("REPLACE", "done");
    std::fs::write(&team_file, edited).unwrap();
    let check = fresh(&home, &cwd).arg("--dir").arg(&team).args(["check", "--strict"]).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
    let show = fresh(&home, &cwd)
        .arg("--dir")
        .arg(team.join("runbooks"))
        .args(["show", "systems/nginx/restart-nginx"])
        .output()
        .unwrap();
    let page = String::from_utf8_lossy(&show.stdout);
    assert!(
        page.contains("Platform on-call") && page.contains("+44 20 7946 0000"),
        "escalation shows the real contact:\n{page}"
    );
    let show = fresh(&home, &cwd)
        .arg("--dir")
        .arg(team.join("runbooks"))
        .args(["show", "systems/app-service/restart-app"])
        .output()
        .unwrap();
    let page = String::from_utf8_lossy(&show.stdout);
    assert!(page.contains("APP_SERVICE=shop-web   # input"), "commands carry the team's values:\n{page}");
}
