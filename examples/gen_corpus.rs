//! Generate a synthetic set of runbooks for benchmarks: realistic sizes (2-6 KB), ops
//! vocabulary, frontmatter with symptoms/systems/severity, headings, decision lists and task
//! steps with `sh` blocks. Deterministic: the same N gives the same files, byte for byte.
//!
//! ```sh
//! cargo run --release --example gen_corpus -- /tmp/rb-10k 10000
//! ```
//!
//! The benchmarks include this file with `#[path]` and call [`generate`].

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// A tiny xorshift64* generator: deterministic, no dependency.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        // splitmix64 of the seed, so nearby seeds give unrelated streams; never zero.
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        Rng((z ^ (z >> 31)) | 1)
    }

    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }
}

const TEAMS: &[&str] = &["platform", "payments", "storage", "edge", "data", "identity", "search", "messaging"];

/// (system, unit, default port, data dir)
const SYSTEMS: &[(&str, &str, u16, &str)] = &[
    ("nginx", "nginx", 443, "/var/log/nginx"),
    ("postgresql", "postgresql", 5432, "/var/lib/postgresql"),
    ("redis", "redis-server", 6379, "/var/lib/redis"),
    ("rabbitmq", "rabbitmq-server", 5672, "/var/lib/rabbitmq"),
    ("kafka", "kafka", 9092, "/var/lib/kafka"),
    ("elasticsearch", "elasticsearch", 9200, "/var/lib/elasticsearch"),
    ("haproxy", "haproxy", 8404, "/var/lib/haproxy"),
    ("docker", "docker", 2375, "/var/lib/docker"),
    ("kubelet", "kubelet", 10250, "/var/lib/kubelet"),
    ("etcd", "etcd", 2379, "/var/lib/etcd"),
    ("mysql", "mysql", 3306, "/var/lib/mysql"),
    ("memcached", "memcached", 11211, "/var/run/memcached"),
    ("consul", "consul", 8500, "/opt/consul"),
    ("vault", "vault", 8200, "/opt/vault"),
    ("prometheus", "prometheus", 9090, "/var/lib/prometheus"),
    ("zookeeper", "zookeeper", 2181, "/var/lib/zookeeper"),
    ("cassandra", "cassandra", 9042, "/var/lib/cassandra"),
    ("minio", "minio", 9000, "/srv/minio"),
    ("bind9", "named", 53, "/var/cache/bind"),
    ("chrony", "chronyd", 323, "/var/lib/chrony"),
];

/// (topic slug, title phrase, error strings, symptom phrases, keywords)
type Topic = (&'static str, &'static str, &'static [&'static str], &'static [&'static str], &'static [&'static str]);

const TOPICS: &[Topic] = &[
    (
        "disk-full",
        "disk full",
        &["No space left on device", "ENOSPC", "write error: No space left on device"],
        &["disk full", "filesystem at 100%", "disk space alert", "writes failing"],
        &["df", "du", "journal", "filesystem", "space", "cleanup"],
    ),
    (
        "connection-refused",
        "connections refused",
        &["Connection refused", "ECONNREFUSED", "connect() failed (111: Connection refused)"],
        &["clients cannot connect", "port not listening", "service unreachable"],
        &["ss", "listen", "port", "firewall", "socket"],
    ),
    (
        "high-latency",
        "slow responses",
        &["upstream timed out", "context deadline exceeded", "request timeout"],
        &["site slow", "p99 latency high", "requests time out", "slow queries"],
        &["latency", "timeout", "p99", "saturation", "queue"],
    ),
    (
        "out-of-memory",
        "out of memory",
        &["Out of memory: Killed process", "Cannot allocate memory", "oom-kill"],
        &["process killed", "memory usage high", "swapping", "OOM killer fired"],
        &["memory", "rss", "swap", "oom", "heap"],
    ),
    (
        "certificate-expired",
        "TLS certificate expired",
        &["certificate has expired", "x509: certificate has expired or is not yet valid", "SSL handshake failed"],
        &["certificate expired", "TLS errors", "browser warns connection not private"],
        &["tls", "certificate", "openssl", "renew", "x509"],
    ),
    (
        "replication-lag",
        "replication lag",
        &["replica is behind primary", "replication lag above threshold", "WAL sender timeout"],
        &["replica lagging", "stale reads", "replication broken"],
        &["replica", "replication", "primary", "lag", "failover"],
    ),
    (
        "crash-loop",
        "crash loop",
        &[
            "Start request repeated too quickly",
            "Main process exited, code=exited, status=1/FAILURE",
            "CrashLoopBackOff",
        ],
        &["service keeps restarting", "process crashes on start", "restart loop"],
        &["systemd", "restart", "exit", "crash", "unit"],
    ),
    (
        "too-many-open-files",
        "too many open files",
        &["Too many open files", "EMFILE", "accept4() failed (24: Too many open files)"],
        &["file descriptor limit", "cannot accept connections", "socket errors"],
        &["ulimit", "nofile", "descriptor", "lsof", "limit"],
    ),
    (
        "dns-resolution",
        "DNS resolution failing",
        &["Temporary failure in name resolution", "Could not resolve host", "NXDOMAIN"],
        &["names do not resolve", "DNS lookups fail", "resolver timeout"],
        &["dns", "resolv.conf", "dig", "resolver", "nameserver"],
    ),
    (
        "clock-skew",
        "clock skew",
        &["Clock skew detected", "System clock synchronized: no", "certificate is not yet valid"],
        &["time is wrong", "NTP not syncing", "tokens rejected as expired"],
        &["ntp", "chrony", "timedatectl", "offset", "drift"],
    ),
    (
        "queue-backlog",
        "queue backlog",
        &["queue depth above threshold", "consumer lag growing", "messages unacknowledged"],
        &["messages piling up", "consumers too slow", "backlog alert"],
        &["queue", "consumer", "backlog", "partition", "ack"],
    ),
    (
        "high-cpu",
        "high CPU load",
        &["load average above threshold", "CPU throttled", "soft lockup"],
        &["cpu at 100%", "server is slow", "high load average"],
        &["cpu", "load", "top", "perf", "iowait"],
    ),
    (
        "auth-failures",
        "authentication failures",
        &["401 Unauthorized", "permission denied (publickey)", "password authentication failed for user"],
        &["logins failing", "credentials rejected", "token invalid"],
        &["auth", "token", "credentials", "secret", "rotation"],
    ),
    (
        "backup-failed",
        "backup failed",
        &["backup job exited with status 2", "snapshot failed", "archive command failed"],
        &["nightly backup did not run", "backup alert", "restore test failed"],
        &["backup", "snapshot", "restore", "cron", "archive"],
    ),
];

const VERBS: &[&str] = &["check", "confirm", "look at", "compare", "inspect", "record", "measure", "list"];
const OBJECTS: &[&str] = &[
    "the error log",
    "the unit status",
    "the last deploy",
    "the dashboard",
    "the connection count",
    "the config diff",
    "recent kernel messages",
    "the health endpoint",
    "the disk usage",
    "the process list",
];
const REASONS: &[&str] = &[
    "so you know what changed before you touch anything",
    "because a restart wipes the evidence",
    "since the owner will ask for it when you escalate",
    "which tells a local problem from an upstream one",
    "so the rollback is obvious if it gets worse",
    "because the alert alone does not say which host is affected",
];
const CAUSES: &[&str] = &[
    "a deploy that changed the configuration",
    "a noisy neighbour on the same host",
    "a certificate or secret that was rotated",
    "traffic above what the service was sized for",
    "a dependency that is itself degraded",
    "a cron job that runs at the top of the hour",
    "a full filesystem under the data directory",
    "a firewall rule added during maintenance",
];
const SEVERITIES: &[&str] = &["low", "medium", "high", "critical"];

/// Relative path of runbook `i` of a set (spread over team folders, like a real repo).
pub fn file_name(i: usize) -> String {
    let mut rng = Rng::new(i as u64 ^ 0x5EED);
    let team = rng.pick(TEAMS);
    let (sys, ..) = SYSTEMS[rng.below(SYSTEMS.len())];
    let topic = TOPICS[rng.below(TOPICS.len())].0;
    format!("{team}/{sys}-{topic}-{i:05}.md")
}

/// The text of runbook `i` (2-6 KB).
pub fn runbook_text(i: usize) -> String {
    let mut rng = Rng::new(i as u64 ^ 0x5EED);
    let team = rng.pick(TEAMS);
    let (sys, unit, port, data_dir) = SYSTEMS[rng.below(SYSTEMS.len())];
    let (topic, phrase, errors, symptoms, keywords) = TOPICS[rng.below(TOPICS.len())];
    let (other, ..) = SYSTEMS[rng.below(SYSTEMS.len())];
    let target = rng.range(1800, 5900);
    let code = format!("{}-{:04}", &sys[..3].to_uppercase(), rng.below(10_000));
    let title = format!("{sys} {phrase} on {team} hosts");
    let mut s = String::with_capacity(target + 1024);

    // Frontmatter.
    let _ = writeln!(s, "---");
    let _ = writeln!(s, "id: {team}/{sys}-{topic}-{i:05}");
    let _ = writeln!(s, "title: {}", capitalise(&title));
    let _ = writeln!(
        s,
        "summary: Diagnose {phrase} in {sys} for the {team} team, tell {} from {}, and fix or escalate.",
        rng.pick(CAUSES),
        rng.pick(CAUSES)
    );
    let _ = writeln!(s, "symptoms:");
    for e in errors.iter().take(rng.range(1, errors.len())) {
        let _ = writeln!(s, "  - \"{e}\"");
    }
    for p in symptoms.iter().take(rng.range(2, symptoms.len())) {
        let _ = writeln!(s, "  - {p} on {sys}");
    }
    let _ = writeln!(s, "  - \"{code}\"");
    let _ = writeln!(s, "systems: [{sys}, {other}, linux]");
    let _ = writeln!(s, "tags: [{team}, {}]", keywords.join(", "));
    let _ = writeln!(s, "kind: guide");
    let _ = writeln!(s, "severity: {}", rng.pick(SEVERITIES));
    let _ = writeln!(s, "last_reviewed: 2026-0{}-1{}", rng.range(1, 9), rng.range(0, 9));
    let _ = writeln!(s, "review_every: 365d");
    let _ = writeln!(s, "---\n");

    let _ = writeln!(s, "# {}\n", capitalise(&title));
    let _ = writeln!(
        s,
        "This runbook covers {phrase} in `{unit}` on the {team} fleet. The usual signs are \"{}\" in the logs \
         and {}. Most often the cause is {}.\n",
        errors[0],
        symptoms[0],
        rng.pick(CAUSES)
    );

    // The question.
    let _ = writeln!(s, "## Is {sys} really affected? {{#check}}\n");
    paragraph(&mut rng, &mut s, sys, keywords);
    let _ =
        writeln!(s, "```sh\nsystemctl status {unit} --no-pager\njournalctl -u {unit} --since -1h | tail -n 50\n```\n");
    let _ = writeln!(s, "- [Yes, \"{}\" appears in the log](#fix-local)", errors[rng.below(errors.len())]);
    let _ = writeln!(s, "- [Only on some hosts](#one-host)");
    let _ = writeln!(s, "- [It comes from {other}](#upstream)");
    let _ = writeln!(s, "- [Not sure](#escalate)\n");

    // The answers' sections grow round by round until the file reaches its target size.
    let sections = [
        ("fix-local", format!("Fix {phrase} locally")),
        ("one-host", "Only some hosts are affected".to_owned()),
        ("upstream", format!("{} is the cause", capitalise(other))),
    ];
    let mut bodies = [String::new(), String::new(), String::new()];
    let mut n = 0;
    while s.len() + bodies.iter().map(String::len).sum::<usize>() < target.saturating_sub(600) || n < bodies.len() {
        let body = &mut bodies[n % 3];
        paragraph(&mut rng, body, sys, keywords);
        if rng.below(3) == 0 {
            let _ =
                writeln!(body, "> [!CAUTION]\n> This restarts `{unit}` and drops open connections on port {port}.\n");
        }
        for _ in 0..2 {
            let _ = writeln!(body, "- [ ] {} {}:\n", capitalise(rng.pick(VERBS)), rng.pick(OBJECTS));
            let _ = writeln!(body, "  ```sh\n  {}\n  ```\n", command(&mut rng, unit, port, data_dir));
        }
        n += 1;
    }
    for ((id, heading), body) in sections.iter().zip(&bodies) {
        let _ = writeln!(s, "## {heading} {{#{id}}}\n");
        s.push_str(body);
        let _ = writeln!(s, "- [Check that it worked](#verify)\n");
    }

    let _ = writeln!(s, "## Verify\n");
    let _ = writeln!(
        s,
        "- `{unit}` is active and \"{}\" no longer appears in the log.\n- The {sys} dashboard is back to normal for 10 minutes.\n",
        errors[0]
    );
    let _ = writeln!(s, "## Rollback\n");
    let _ = writeln!(s, "Undo the last change you made, in reverse order, and restart `{unit}` once.\n");
    let _ = writeln!(s, "## Escalate\n");
    let _ = writeln!(
        s,
        "Call the {team} on-call with the output of every command above, the time it started and the error code {code}."
    );
    s
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn paragraph(rng: &mut Rng, s: &mut String, sys: &str, keywords: &[&str]) {
    for _ in 0..rng.range(1, 3) {
        let _ = write!(
            s,
            "{} {} on the {sys} host and note the {}, {}. ",
            capitalise(rng.pick(VERBS)),
            rng.pick(OBJECTS),
            keywords[rng.below(keywords.len())],
            rng.pick(REASONS)
        );
    }
    let _ = writeln!(s, "A common cause is {}.\n", rng.pick(CAUSES));
}

fn command(rng: &mut Rng, unit: &str, port: u16, data_dir: &str) -> String {
    match rng.below(8) {
        0 => format!("sudo systemctl restart {unit}"),
        1 => format!("ss -ltnp 'sport = :{port}'"),
        2 => format!("sudo du -xh --max-depth=1 {data_dir} | sort -h | tail -n 10"),
        3 => format!("journalctl -u {unit} -p err --since -2h --no-pager"),
        4 => format!("curl -sS -o /dev/null -w '%{{http_code}} %{{time_total}}\\n' http://127.0.0.1:{port}/health"),
        5 => format!("sudo lsof -p \"$(systemctl show -p MainPID --value {unit})\" | wc -l"),
        6 => "df -h && df -i".to_owned(),
        _ => format!("sudo cat /proc/\"$(pidof {unit} | cut -d' ' -f1)\"/limits"),
    }
}

/// Write `n` runbooks into `dir` (created if needed); returns their paths.
pub fn generate(dir: &Path, n: usize) -> std::io::Result<Vec<PathBuf>> {
    let mut paths = Vec::with_capacity(n);
    for i in 0..n {
        let path = dir.join(file_name(i));
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&path, runbook_text(i))?;
        paths.push(path);
    }
    Ok(paths)
}

#[allow(dead_code)]
/// `n` guides that all link to each other: each asks one question whose answers are the
/// other `n - 1` runbooks (about n² links), for the graph and check benchmarks.
pub fn generate_interlinked(dir: &Path, n: usize) -> std::io::Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir)?;
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let mut text = format!(
            "---\ntitle: Linked {i}\nsymptoms: [linked symptom {i}]\nkind: guide\nescalation:\n  - name: Ops\n    contact: \"#ops\"\n---\n# Linked {i}\n\n## Which one? {{#q}}\n\n"
        );
        for j in (0..n).filter(|&j| j != i) {
            let _ = writeln!(text, "- [Go to {j}](rb-{j}.md)");
        }
        let path = dir.join(format!("rb-{i}.md"));
        std::fs::write(&path, text)?;
        out.push(path);
    }
    Ok(out)
}

/// `n` tiny runbooks (a title, a symptom, a line of text) in folders of 1,000, for the cold
/// build's memory at scale.
pub fn generate_tiny(dir: &Path, n: usize) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let folder = dir.join(format!("part-{}", i / 1000));
        std::fs::create_dir_all(&folder)?;
        let path = folder.join(format!("tiny-{i}.md"));
        std::fs::write(
            &path,
            format!("---\ntitle: Tiny {i}\nsymptoms: [tiny symptom {i}]\n---\n# Tiny {i}\n\nCheck item {i}.\n"),
        )?;
        out.push(path);
    }
    Ok(out)
}

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(dir), Some(n)) = (args.next(), args.next().and_then(|n| n.parse::<usize>().ok())) else {
        eprintln!("usage: gen_corpus DIR N [--interlinked | --tiny]   (writes N synthetic runbooks into DIR)");
        std::process::exit(2);
    };
    let written = match args.next().as_deref() {
        Some("--interlinked") => generate_interlinked(Path::new(&dir), n),
        Some("--tiny") => generate_tiny(Path::new(&dir), n),
        _ => generate(Path::new(&dir), n),
    };
    match written {
        Ok(paths) => {
            let bytes: u64 = paths.iter().filter_map(|p| std::fs::metadata(p).ok()).map(|m| m.len()).sum();
            println!("wrote {} runbooks ({:.1} MB) into {dir}", paths.len(), bytes as f64 / 1e6);
        }
        Err(e) => {
            eprintln!("gen_corpus: {e}");
            std::process::exit(1);
        }
    }
}
