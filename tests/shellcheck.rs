//! Every shell block in the shipped runbooks passes `shellcheck`: a responder copies these
//! commands at 3 a.m., so a quoting bug or a typo must fail the build, not the incident.
//!
//! Collects every fenced block whose language is `sh`, `bash` or `shell`, wherever it sits
//! (a step's command, a step's body, the risk alert of a step, lists, quotes, alerts), and
//! runs `shellcheck -s bash -f gcc -` on each. A block that must break a rule says so inside
//! itself with `# shellcheck disable=SCxxxx` and a reason; the test never skips blocks.

#![cfg(test)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use runbook::runbook::Block;

/// Fewer shell blocks than this means the collection below is broken, not that the runbooks
/// are clean (the shipped kit has well over a hundred).
const MIN_BLOCKS: usize = 100;

/// A shell block to check, with where it is.
struct Snippet {
    file: PathBuf,
    /// 1-based line of the opening fence.
    line: usize,
    code: String,
}

fn is_shell(lang: &str) -> bool {
    ["sh", "bash", "shell"].iter().any(|l| lang.eq_ignore_ascii_case(l))
}

fn collect(file: &Path, blocks: &[Block], out: &mut Vec<Snippet>) {
    for block in blocks {
        match block {
            Block::Code { lang, code, line } => {
                if is_shell(lang) {
                    out.push(Snippet { file: file.to_path_buf(), line: *line, code: code.clone() });
                }
            }
            Block::List { items, .. } => items.iter().for_each(|item| collect(file, item, out)),
            Block::Quote { blocks, .. } | Block::Alert { blocks, .. } => collect(file, blocks, out),
            Block::Step(step) => {
                if let Some(risk) = &step.risk {
                    collect(file, &risk.blocks, out);
                }
                if let Some(cmd) = &step.command
                    && is_shell(&cmd.lang)
                {
                    out.push(Snippet { file: file.to_path_buf(), line: cmd.line, code: cmd.code.clone() });
                }
                collect(file, &step.body, out);
            }
            Block::Paragraph { .. }
            | Block::Table { .. }
            | Block::Rule { .. }
            | Block::Choices { .. }
            | Block::Html { .. } => {}
        }
    }
}

/// Whether shellcheck can run. Missing in CI (`CI` set) is a failure, so CI can never pass
/// silently; on a developer's fresh machine the README's `cargo test` must work with only the
/// Rust toolchain, so there the test says loudly that it did not check and how to install it.
fn require_shellcheck() -> bool {
    match Command::new("shellcheck").arg("--version").output() {
        Ok(out) if out.status.success() => true,
        Ok(out) => panic!("`shellcheck --version` failed ({}): {}", out.status, String::from_utf8_lossy(&out.stderr)),
        Err(e) if std::env::var_os("CI").is_none() => {
            // Written to the real stderr, past the test harness's capture, so it is seen.
            let _ = writeln!(
                std::io::stderr(),
                "WARNING: shellcheck is not installed ({e}): the runbooks' shell blocks were NOT checked. \
                 Install it (`apt-get install -y shellcheck`, `dnf install -y ShellCheck`, `brew install shellcheck`)."
            );
            false
        }
        Err(e) => panic!(
            "shellcheck is not installed ({e}); install it to run this test: \
             `apt-get install -y shellcheck` (Debian/Ubuntu), `dnf install -y ShellCheck` (RHEL/Fedora, EPEL), \
             `brew install shellcheck` (macOS); CI installs it in .ci/run"
        ),
    }
}

/// Run shellcheck on one block: its findings as `file:line: message` lines, with lines counted
/// in the runbook file (the column is shellcheck's, inside the block).
fn shellcheck(snippet: &Snippet) -> Vec<String> {
    let mut child = Command::new("shellcheck")
        .args(["-s", "bash", "-f", "gcc", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("could not start shellcheck");
    {
        let mut stdin = child.stdin.take().expect("shellcheck has no stdin");
        stdin.write_all(snippet.code.as_bytes()).expect("write to shellcheck");
    }
    let out = child.wait_with_output().expect("wait for shellcheck");
    let stdout = String::from_utf8_lossy(&out.stdout);
    // 0: clean, 1: findings; anything else is shellcheck itself failing.
    match out.status.code() {
        Some(0) => return Vec::new(),
        Some(1) if !stdout.trim().is_empty() => {}
        _ => panic!(
            "{}:{}: shellcheck failed ({}): {}{}",
            snippet.file.display(),
            snippet.line,
            out.status,
            stdout,
            String::from_utf8_lossy(&out.stderr)
        ),
    }
    // gcc format: `-:LINE:COL: level: message [SCxxxx]`; line 1 is the line after the fence.
    stdout
        .lines()
        .map(|finding| {
            let mut parts = finding.splitn(4, ':');
            let (_, line, col, rest) = (parts.next(), parts.next(), parts.next(), parts.next());
            match (line.and_then(|l| l.parse::<usize>().ok()), col, rest) {
                (Some(line), Some(col), Some(rest)) => {
                    format!("{}:{}:{} (block column {col})", snippet.file.display(), snippet.line + line, rest)
                }
                _ => format!("{}:{}: {}", snippet.file.display(), snippet.line, finding),
            }
        })
        .collect()
}

#[test]
fn every_shell_block_in_the_runbooks_passes_shellcheck() {
    if !require_shellcheck() {
        return;
    }
    let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/runbooks"));
    let library = runbook::runbook::library::Catalog::scan(std::slice::from_ref(&root)).load();
    assert!(!library.runbooks.is_empty(), "no runbooks loaded from {}", root.display());

    let mut snippets = Vec::new();
    for rb in &library.runbooks {
        for section in &rb.sections {
            collect(&rb.file, &section.blocks, &mut snippets);
        }
    }
    assert!(
        snippets.len() > MIN_BLOCKS,
        "only {} shell blocks found in {} runbooks; expected more than {MIN_BLOCKS}: is the collection broken?",
        snippets.len(),
        library.runbooks.len()
    );

    let findings: Vec<String> = snippets.iter().flat_map(shellcheck).collect();
    assert!(
        findings.is_empty(),
        "shellcheck found {} problem(s) in the runbooks' shell blocks (fix the command, or add \
         `# shellcheck disable=SCxxxx` with a reason inside the block):\n{}",
        findings.len(),
        findings.join("\n")
    );
    eprintln!("shellcheck: {} shell blocks in {} runbooks are clean", snippets.len(), library.runbooks.len());
}
