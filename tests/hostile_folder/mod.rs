#![allow(dead_code)] // Each test binary uses a different part of this helper.
//! A folder of hostile runbooks, one per category a team's folder may hold by accident or by
//! prank, beside one good runbook. Built in a temporary folder at test time (FIFOs and sockets
//! cannot be committed). Every consumer is run over it: load, index, search, `show`,
//! `show --json`, `check --json`, `list`, and the TUI.

use std::path::Path;

/// How deep the generated containers nest in the fixture files.
pub const DEEP: usize = 10_000;

/// A word only the innermost level of each deep file holds, to search for.
pub const DEEP_WORDS: [(&str, &str); 5] = [
    ("deep-quotes.md", "zebraquote"),
    ("deep-lists.md", "zebralist"),
    ("deep-mixed.md", "zebramixed"),
    ("deep-table.md", "zebratable"),
    ("deep-tasks.md", "zebratask"),
];

/// The good runbook's id and a symptom that finds it.
pub const GOOD: (&str, &str) = ("good", "disk full");

/// Write every category into `root`.
pub fn write_folder(root: &Path) {
    let put = |name: &str, bytes: &[u8]| {
        let path = root.join(name);
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("mkdir {}: {e}", dir.display()));
        }
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    };
    put(
        "good.md",
        b"---\nid: good\nsymptoms: [disk full, no space left on device]\n---\n# Disk full\n\nDelete old logs.\n",
    );
    let n = DEEP;
    put("deep-quotes.md", format!("# Deep quotes\n\n{} zebraquote\n", ">".repeat(n)).as_bytes());
    put("deep-lists.md", format!("# Deep lists\n\n{}zebralist\n", "- ".repeat(n)).as_bytes());
    put("deep-mixed.md", format!("# Deep mixed\n\n{}**zebramixed** `code`\n", "> 1. - ".repeat(n / 3)).as_bytes());
    let q = "> ".repeat(n / 4);
    put(
        "deep-table.md",
        format!("# Deep table\n\n{q}| a | b |\n{q}|---|---|\n{q}| zebratable | 2 |\n{q}\n{q}```sh\n{q}ls\n{q}```\n")
            .as_bytes(),
    );
    // Task items on their own lines, each indented under the last (1,000 levels is 1 MB).
    let tasks: String = (0..1000).map(|i| format!("{}- [ ] step {i}\n", "  ".repeat(i))).collect();
    put("deep-tasks.md", format!("# Deep tasks\n\n{tasks}{}- [ ] zebratask\n", "  ".repeat(1000)).as_bytes());
    put(
        "deep-inline.md",
        format!(
            "# Deep inline\n\n{}x{}\n\n{}y{}\n\n{}\n",
            "*".repeat(n),
            "*".repeat(n),
            "[".repeat(n),
            "](#a)".repeat(n),
            "<span>".repeat(n)
        )
        .as_bytes(),
    );
    put("deep-html.md", format!("# Deep html\n\n{}x{}\n", "<div>".repeat(n), "</div>".repeat(n)).as_bytes());
    put("latin1.md", b"# Caf\xe9 cr\xe8me\n\nbr\xfbl\xe9e\n");
    put("utf16.md", b"\xff\xfe#\x00 \x00H\x00i\x00\n\x00");
    put(
        "control.md",
        "# Title\u{1b}]0;owned\u{7}\n\nText \u{1b}[2J\u{1b}]52;c;ZXZpbA==\u{7} and \u{9b}31m C1 \u{85} here.\n"
            .as_bytes(),
    );
    // Escapes that only the markdown and YAML parsers decode (after the load-time strip).
    put(
        "entities.md",
        b"---\ntitle: \"Entities \\e[31mred\\x9b\"\nsymptoms: [\"x\\e]0;t\\a\"]\n---\n\nText &#x1b;[2J &#27;]0;t&#7; &#x9b;31m [l](&#x1b;x.md)\n\n```&#x1b;sh\nls\n```\n",
    );
    let bomb = "---\na: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n---\n# Bomb\n";
    put("yaml-bomb.md", bomb.as_bytes());
    put("yaml-deep.md", format!("---\nsymptoms: {}x{}\n---\n# Deep yaml\n", "[".repeat(n), "]".repeat(n)).as_bytes());
    put("huge-line.md", format!("# Huge line\n\n{}\n", "word ".repeat(600_000)).as_bytes());
    put("too-big.md", &vec![b'a'; 5 * 1024 * 1024]);
    let headings: String = (0..100_000).map(|i| format!("## h{i}\n")).collect();
    put("headings.md", format!("# Headings\n\n{headings}").as_bytes());
    put("links.md", b"# Links\n\n- [loop](links.md)\n- [out](../../../etc/passwd.md)\n- [self](#links)\n");
    std::fs::create_dir_all(root.join("dir.md")).unwrap();
    let fifo = root.join("pipe.md");
    let ok = std::process::Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success());
    assert!(ok, "mkfifo failed");
    let _socket = std::os::unix::net::UnixListener::bind(root.join("socket.md")).unwrap();
    std::os::unix::fs::symlink(root, root.join("loop")).unwrap();
    std::os::unix::fs::symlink("/etc/hostname", root.join("outside.md")).unwrap();
}

/// Whether `text` holds a character that would reach the terminal as a control (C0 but
/// newline and tab, DEL, C1).
pub fn has_control(text: &str) -> bool {
    text.chars().any(|c| (c.is_control() && c != '\n' && c != '\t') || ('\u{80}'..='\u{9f}').contains(&c))
}
