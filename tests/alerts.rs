//! Alerts in, runbooks out, on real data: the Prometheus rules kube-prometheus ships and the
//! prometheus-operator runbooks their `runbook_url`s point at (both in `../shared`). Every
//! alert becomes the Alertmanager payload it would send; its runbook must come first with
//! its URL and without it. The expected runbook is worked out here from the site's rule
//! (`/runbooks/<component>/<alertname lowercased>` is `content/runbooks/<component>/<Name>.md`),
//! not by the code under test.

#![cfg(test)]

mod corpora;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use runbook::alert::{Alert, FoundBy, Status, route_all};
use runbook::runbook::library::Catalog;
use runbook::search::{Cache, Progress, SearchIndex};
use serde_json::{Value, json};

/// Each alerting rule: name, annotations, severity.
fn rules(files: &[PathBuf]) -> Vec<(String, serde_json::Map<String, Value>, String)> {
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        let Ok(doc) = serde_yaml::from_str::<Value>(&text) else { panic!("{} reads", f.display()) };
        for group in doc["spec"]["groups"].as_array().into_iter().flatten() {
            for rule in group["rules"].as_array().into_iter().flatten() {
                let Some(name) = rule["alert"].as_str() else { continue };
                let ann = rule["annotations"].as_object().cloned().unwrap_or_default();
                let sev = rule["labels"]["severity"].as_str().unwrap_or("warning").to_owned();
                out.push((name.to_owned(), ann, sev));
            }
        }
    }
    out
}

/// The runbook file a runbooks.prometheus-operator.dev URL names, if the corpus has it.
fn expected(corpus: &Path, url: &str) -> Option<String> {
    let path = url.split("/runbooks/").nth(1)?;
    let (component, page) = path.trim_end_matches('/').split_once('/')?;
    let dir = corpus.join("content/runbooks").join(component);
    let file = std::fs::read_dir(&dir).ok()?.filter_map(Result::ok).find(|e| {
        e.file_name().to_string_lossy().strip_suffix(".md").is_some_and(|stem| stem.to_lowercase() == page)
    })?;
    Some(format!("content/runbooks/{component}/{}", file.file_name().to_string_lossy()))
}

/// The Alertmanager webhook payload one alert sends: labels from the rule plus the target's,
/// annotations as written.
fn payload(name: &str, ann: &serde_json::Map<String, Value>, sev: &str, with_url: bool) -> Value {
    let mut ann = ann.clone();
    if !with_url {
        ann.remove("runbook_url");
    }
    json!({
        "version": "4", "status": "firing", "receiver": "oncall",
        "alerts": [{
            "status": "firing",
            "labels": {"alertname": name, "severity": sev, "instance": "10.0.3.7:9100", "namespace": "monitoring", "job": "node-exporter"},
            "annotations": ann,
            "startsAt": "2026-12-06T03:12:00Z"
        }]
    })
}

#[test]
fn every_shared_alert_opens_the_runbook_its_url_names_with_and_without_the_url() {
    let (Some(corpus), Some(files)) =
        (corpora::corpus("prometheus-operator-runbooks"), corpora::alert_rules("kube-prometheus"))
    else {
        return;
    };
    let catalog = Catalog::scan(std::slice::from_ref(&corpus));
    let index = SearchIndex::open(&catalog, &Cache::Off, &Arc::new(Progress::default()));
    let rules = rules(&files);
    assert_eq!(rules.len(), 139, "alerting rules in the eight files");
    let urls: BTreeSet<&str> = rules.iter().filter_map(|(_, a, _)| a.get("runbook_url")?.as_str()).collect();
    let resolvable: BTreeSet<&str> = urls.iter().copied().filter(|u| expected(&corpus, u).is_some()).collect();
    assert_eq!((urls.len(), resolvable.len()), (125, 99), "distinct URLs, and those with a runbook file");

    let (mut with, mut without, mut summary, mut total, mut bm25) = (0, 0, 0, 0, 0);
    let mut misses = Vec::new();
    for (name, ann, sev) in &rules {
        let url = ann.get("runbook_url").and_then(Value::as_str).unwrap_or_default();
        let Some(want) = expected(&corpus, url) else { continue };
        total += 1;
        for with_url in [true, false] {
            let bytes = payload(name, ann, sev, with_url).to_string();
            let Ok(runbook::alert::Read { alerts, .. }) = runbook::alert::read(bytes.as_bytes()) else {
                panic!("{name}: payload reads")
            };
            assert_eq!(alerts.len(), 1);
            assert_eq!(alerts[0].labels.get("instance").map(String::as_str), Some("10.0.3.7:9100"));
            let found = route_all(&index, &alerts, 5);
            let first = found[0].routed.first().map(|r| (r.entry.at.path.clone(), r.found_by));
            let ok = first.as_ref().is_some_and(|(p, _)| *p == want);
            if with_url {
                with += usize::from(ok);
                assert_eq!(first.as_ref().map(|f| f.1), Some(FoundBy::RunbookUrl), "{name}: found by its URL");
            } else {
                without += usize::from(ok);
            }
            if !ok {
                misses.push(format!("{name} (url: {with_url}): want {want}, got {first:?}"));
            }
        }
        // The summary alone, as a ticket would say it.
        let text = ann.get("summary").and_then(Value::as_str).unwrap_or_default();
        let ticket = Alert { text: Some(text.to_owned()), status: Status::Unknown, ..Alert::default() };
        let found = route_all(&index, &[ticket], 5);
        summary += usize::from(found[0].routed.first().is_some_and(|r| r.entry.at.path == want));
        let plain = index.rank(text, 1, &runbook::search::Ranking::Bm25);
        bm25 += usize::from(plain.first().is_some_and(|e| e.at.path == want));
    }
    println!(
        "hit@1 over {total} alerting rules whose URL resolves: with URL {with}, without URL {without}, summary text alone {summary} (plain BM25 on the same index: {bm25})"
    );
    assert_eq!(misses, Vec::<String>::new());
    assert_eq!((with, without), (total, total));
}

// ---- The command on made-up runbooks: every form of input, every way of finding. ----

struct Folder {
    dir: tempfile::TempDir,
    cache: tempfile::TempDir,
}

fn folder() -> Folder {
    let dir = tempfile::TempDir::new().unwrap();
    let write = |path: &str, text: &str| {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    };
    write(
        "runbooks/os/disk.md",
        "---\ntitle: Disk full\nsummary: Free space on a full filesystem.\n---\n# Disk full\n\n## Free space\n\nDelete old logs.\n\n## Verify\n\nRun df again.\n",
    );
    write(
        "runbooks/os/memory.md",
        "---\ntitle: Out of memory\nalerts: [HostOutOfMemory]\n---\n# Out of memory\n\nFind who uses it.\n",
    );
    write("runbooks/k8s/KubePodCrashLooping.md", "# KubePodCrashLooping\n\nThe pod restarts again and again.\n");
    write(
        "runbooks/net/host-unreachable.md",
        "---\ntitle: Host unreachable\n---\n# Host unreachable\n\nPing it, then check the switch and the certificate.\n",
    );
    Folder { dir, cache: tempfile::TempDir::new().unwrap() }
}

fn alert(f: &Folder, input: &str, args: &[&str]) -> std::process::Output {
    let mut cmd = assert_cmd::Command::cargo_bin("runbook").unwrap();
    cmd.env("RUNBOOK_SYSTEM_CONFIG", "/nonexistent/runbook/config.toml")
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .env("RUNBOOK_CACHE_DIR", f.cache.path())
        .env("RUNBOOK_STATE_DIR", f.cache.path().join("state"))
        .env_remove("RUNBOOK_PATH")
        .arg("--dir")
        .arg(f.dir.path().join("runbooks"))
        .arg("alert")
        .args(args)
        .write_stdin(input.as_bytes().to_vec())
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .unwrap()
}

/// (path, found_by, section, alert_index) of each hit `alert --json` prints.
fn hits(out: &std::process::Output) -> Vec<(String, String, Option<String>, u64)> {
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    v.as_array()
        .into_iter()
        .flatten()
        .map(|h| {
            (
                h["path"].as_str().unwrap_or_default().to_owned(),
                h["found_by"].as_str().unwrap_or_default().to_owned(),
                h["section"].as_str().map(str::to_owned),
                h["alert_index"].as_u64().unwrap_or(99),
            )
        })
        .collect()
}

fn first(out: &std::process::Output) -> (String, String) {
    hits(out).first().map(|h| (h.0.clone(), h.1.clone())).unwrap_or_default()
}

#[test]
fn a_runbook_url_finds_its_runbook_whatever_the_host() {
    let f = folder();
    // Another disk.md: the URL's folder tells them apart.
    std::fs::create_dir_all(f.dir.path().join("runbooks/storage")).unwrap();
    std::fs::write(f.dir.path().join("runbooks/storage/disk.md"), "# Disk array\n\nThe SAN.\n").unwrap();
    for url in [
        "https://github.com/acme/ops/blob/main/runbooks/os/disk.md#verify",
        "https://raw.githubusercontent.com/acme/ops/main/runbooks/os/Disk.md",
        "https://gitlab.example.com/team/sub/ops/-/blob/main/runbooks/os/disk.md",
        "https://runbooks.example.com/os/disk/",
        "https://wiki.example.com/os/disk.html?x=1",
    ] {
        let payload = json!({"labels": {"alertname": "SomethingElse"}, "annotations": {"runbook_url": url}});
        let out = alert(&f, &payload.to_string(), &["--json"]);
        assert_eq!(first(&out), ("os/disk.md".into(), "runbook_url".into()), "{url}");
        let by_url = hits(&out).iter().filter(|h| h.1 == "runbook_url").count();
        assert_eq!(by_url, 1, "{url} names one runbook");
        if url.contains("#verify") {
            assert_eq!(hits(&out)[0].2.as_deref(), Some("verify"), "the fragment names the section");
        }
    }
    // The file's name alone is not the URL's runbook when their folders differ.
    let payload = json!({"labels": {"alertname": "Other"}, "annotations": {"runbook_url": "https://github.com/a/b/blob/main/san/disk.md"}});
    let out = alert(&f, &payload.to_string(), &["--json"]);
    assert!(!hits(&out).iter().any(|h| h.1 == "runbook_url"), "{:?}", hits(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("san/disk.md names no runbook"));
    // A URL naming nothing here: said, and the search's best hits follow.
    let payload = json!({"labels": {"alertname": "DiskAlmostFull"}, "annotations": {"summary": "disk full", "runbook_url": "https://x.example/gone"}});
    let out = alert(&f, &payload.to_string(), &["--json"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("https://x.example/gone names no runbook"));
    assert_eq!(first(&out), ("os/disk.md".into(), "search".into()));
}

#[test]
fn every_input_form_reads() {
    let f = folder();
    // Alertmanager's default notification title, alone.
    let out = alert(&f, "[FIRING:2] HostOutOfMemory (db-1:9100 critical)\n", &["--json"]);
    assert_eq!(first(&out), ("os/memory.md".into(), "alerts_key".into()));
    // A bare name, CamelCase, matching a file named after it.
    let out = alert(&f, "KubePodCrashLooping\n", &["--json"]);
    assert_eq!(first(&out), ("k8s/KubePodCrashLooping.md".into(), "name".into()));
    // A name written differently from the file's.
    let out = alert(&f, "HostUnreachable", &["--json"]);
    assert_eq!(first(&out), ("net/host-unreachable.md".into(), "name".into()));
    // Grafana's unified alerting webhook.
    let grafana = json!({"receiver": "oncall", "status": "firing", "orgId": 1, "alerts": [
        {"status": "firing", "labels": {"alertname": "HostOutOfMemory", "grafana_folder": "Hosts"},
         "annotations": {"summary": "Memory is low"}, "startsAt": "2026-12-06T03:00:00Z",
         "generatorURL": "https://grafana/alerting/grafana/abc/view", "fingerprint": "f1", "valueString": "[ var='A' value=3 ]"}],
        "title": "[FIRING:1] HostOutOfMemory Hosts", "message": "..."});
    assert_eq!(first(&alert(&f, &grafana.to_string(), &["--json"])), ("os/memory.md".into(), "alerts_key".into()));
    // Grafana's legacy webhook.
    let legacy = json!({"ruleName": "KubePodCrashLooping", "state": "alerting", "title": "[Alerting] KubePodCrashLooping", "message": "pod restarts", "tags": {"pod": "web-1"}});
    assert_eq!(
        first(&alert(&f, &legacy.to_string(), &["--json"])),
        ("k8s/KubePodCrashLooping.md".into(), "name".into())
    );
    // A resolved notification (no count), and Grafana's mixed title.
    let out = alert(&f, "[RESOLVED] HostOutOfMemory (db-1:9100 critical)\n", &["--json"]);
    assert_eq!(first(&out), ("os/memory.md".into(), "alerts_key".into()));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    assert_eq!(v[0]["status"], "resolved");
    let out = alert(&f, "[FIRING:2, RESOLVED:1] KubePodCrashLooping (web)\n", &["--json"]);
    assert_eq!(first(&out), ("k8s/KubePodCrashLooping.md".into(), "name".into()));
    // The default message body: the alerts under their headings, each with its status.
    let body = "[FIRING:1, RESOLVED:1]\nAlerts Firing:\nLabels:\n - alertname = HostOutOfMemory\n - instance = db-1\nAnnotations:\n - summary = low\nSource: http://p\n\nAlerts Resolved:\nLabels:\n - alertname = KubePodCrashLooping\n - pod = web-1\nSource: http://p\n";
    let out = alert(&f, body, &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("HostOutOfMemory (instance=db-1) firing"), "{text}");
    assert!(text.contains("KubePodCrashLooping (pod=web-1) resolved"), "{text}");
    // A ticket that starts with a bracket is text, not broken JSON.
    let out = alert(&f, "[prod] the disk is full", &["--json"]);
    assert_eq!((out.status.code(), first(&out)), (Some(0), ("os/disk.md".into(), "search".into())));
    // Control characters in a payload never reach the output.
    let evil = json!({"labels": {"alertname": "HostOutOfMemory", "instance": "db\u{1b}[2J-1"}, "annotations": {"summary": "x\u{1b}]52;c;ZXZpbA==\u{7}y"}});
    let out = alert(&f, &evil.to_string(), &[]);
    assert!(!out.stdout.contains(&0x1b) && !out.stdout.contains(&0x07), "{}", String::from_utf8_lossy(&out.stdout));
    // A JSON string is its text: here a bare name.
    let out = alert(&f, "\"KubePodCrashLooping\"", &["--json"]);
    assert_eq!(first(&out), ("k8s/KubePodCrashLooping.md".into(), "name".into()));
    // From a pipe named on the command line, as `runbook alert <(curl ...)` gives it.
    let fifo = f.cache.path().join("alert.fifo");
    assert!(std::process::Command::new("mkfifo").arg(&fifo).status().is_ok_and(|s| s.success()));
    let writer = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::write(fifo, "HostOutOfMemory\n"))
    };
    let out = alert(&f, "", &["--json", &fifo.display().to_string()]);
    let _ = writer.join();
    assert_eq!(first(&out), ("os/memory.md".into(), "alerts_key".into()), "{}", String::from_utf8_lossy(&out.stderr));
    // A ticket in plain words.
    let out = alert(&f, "Customers say the disk is full and nothing can be saved", &["--json"]);
    assert_eq!(first(&out), ("os/disk.md".into(), "search".into()));
}

#[test]
fn several_alerts_in_one_payload_are_each_answered() {
    let f = folder();
    let payload = json!({"status": "firing", "alerts": [
        {"status": "firing", "labels": {"alertname": "HostOutOfMemory", "instance": "db-1"}},
        {"status": "resolved", "labels": {"alertname": "KubePodCrashLooping", "pod": "web-1"}}]});
    let out = alert(&f, &payload.to_string(), &["--json"]);
    let firsts: Vec<(u64, String)> = hits(&out).into_iter().filter(|h| h.1 != "search").map(|h| (h.3, h.0)).collect();
    assert_eq!(firsts, [(0, "os/memory.md".to_owned()), (1, "k8s/KubePodCrashLooping.md".to_owned())]);
    // Not on a terminal: one block per alert.
    let out = alert(&f, &payload.to_string(), &[]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("HostOutOfMemory (instance=db-1) firing"), "{text}");
    assert!(text.contains("KubePodCrashLooping (pod=web-1) resolved"), "{text}");
}

#[test]
fn bad_input_is_a_clear_error_and_opens_nothing() {
    let f = folder();
    let out = alert(&f, "{\"alerts\": [ {\"labels\": ", &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("malformed at line 1, column"), "{err}");
    let out = alert(&f, &"x".repeat(runbook::alert::MAX_BYTES + 10), &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("over the 1048576-byte limit"));
    let out = alert(&f, "{\"hello\": 1}", &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("holds no alert"));
    let out = alert(&f, "  \n", &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
}

#[test]
fn check_alerts_reports_coverage_with_file_and_line() {
    let f = folder();
    let rules = f.dir.path().join("rules.yaml");
    std::fs::write(
        &rules,
        "groups:\n- name: host\n  rules:\n  - alert: HostOutOfMemory\n    expr: up == 0\n  - alert: NobodyWroteThis\n    expr: up == 0\n    annotations:\n      runbook_url: https://github.com/acme/ops/blob/main/runbooks/os/missing.md\n---\napiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nspec:\n  groups:\n  - name: k8s\n    rules:\n    - alert: KubePodCrashLooping\n      annotations:\n        runbook_url: https://runbooks.example.com/k8s/kubepodcrashlooping\n",
    )
    .unwrap();
    std::fs::write(
        f.dir.path().join("runbooks/os/memory.md"),
        "---\ntitle: Out of memory\nalerts: [HostOutOfMemory, HostSwapFull]\n---\n# Out of memory\n\nFind who uses it.\n",
    )
    .unwrap();
    std::fs::write(
        f.dir.path().join("runbooks/os/swap.md"),
        "---\ntitle: Swap\nalerts: [hostoutofmemory]\n---\n# Swap\n\nSee swap.\n",
    )
    .unwrap();
    let mut cmd = assert_cmd::Command::cargo_bin("runbook").unwrap();
    let out = cmd
        .env("RUNBOOK_SYSTEM_CONFIG", "/nonexistent/runbook/config.toml")
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .arg("check")
        .arg("--alerts")
        .arg(&rules)
        .arg("--")
        .arg(f.dir.path().join("runbooks"))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "an alert without a runbook fails: {text}");
    assert!(text.contains("rules.yaml:6: error[dangling-runbook-url]: NobodyWroteThis"), "{text}");
    assert!(text.contains("rules.yaml:6: error[unanswered-alert]: NobodyWroteThis"), "{text}");
    assert!(text.contains("memory.md:3: warning[unknown-alert]: `alerts:` names HostSwapFull"), "{text}");
    assert!(
        text.contains("warning[alert-listed-twice]: `alerts:` lists hostoutofmemory, which os/memory lists too"),
        "{text}"
    );
    assert!(!text.contains("HostOutOfMemory:") && !text.contains("KubePodCrashLooping:"), "answered: {text}");
    assert!(
        text.contains("3 alerting rules (3 alerts) in 1 file(s): 1 alert(s) without a runbook, 1 runbook_url(s)"),
        "{text}"
    );
}

#[test]
fn check_alerts_finds_the_26_dangling_urls_of_the_shared_rules() {
    let (Some(corpus), Some(files)) =
        (corpora::corpus("prometheus-operator-runbooks"), corpora::alert_rules("kube-prometheus"))
    else {
        return;
    };
    let mut cmd = assert_cmd::Command::cargo_bin("runbook").unwrap();
    let out = cmd
        .env("RUNBOOK_SYSTEM_CONFIG", "/nonexistent/runbook/config.toml")
        .env("XDG_CONFIG_HOME", "/nonexistent")
        .args(["check", "--json", "--alerts"])
        .args(&files)
        .arg("--")
        .arg(&corpus)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    let count = |code: &str| v.as_array().into_iter().flatten().filter(|p| p["code"] == code).count();
    assert_eq!(count("dangling-runbook-url"), 26);
    assert_eq!(count("unanswered-alert"), 26);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn the_kit_routes_the_standard_node_exporter_alerts() {
    let kit = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("runbooks");
    let catalog = Catalog::scan(std::slice::from_ref(&kit));
    let index = SearchIndex::open(&catalog, &Cache::Off, &Arc::new(Progress::default()));
    let want = [
        ("NodeFilesystemSpaceFillingUp", "os/disk-full.md"),
        ("NodeFilesystemAlmostOutOfSpace", "os/disk-full.md"),
        ("HostOutOfDiskSpace", "os/disk-full.md"),
        ("NodeFilesystemAlmostOutOfFiles", "os/inodes-exhausted.md"),
        ("NodeClockNotSynchronising", "os/clock-drift.md"),
        ("NodeMemoryHighUtilization", "os/out-of-memory.md"),
        ("HostOomKillDetected", "os/out-of-memory.md"),
        ("NodeCPUHighUsage", "os/high-load.md"),
        ("NodeFileDescriptorLimit", "os/too-many-open-files.md"),
        ("NodeSystemdServiceFailed", "os/systemd-unit-failed.md"),
        ("NodeRAIDDiskFailure", "hardware/disk-failing.md"),
        ("NodeNetworkReceiveErrs", "network/packet-loss-latency.md"),
        ("InstanceDown", "network/host-unreachable.md"),
        ("TargetDown", "network/host-unreachable.md"),
    ];
    for (name, path) in want {
        let a = Alert { name: name.into(), ..Alert::default() };
        let found = route_all(&index, &[a], 3);
        let first = found[0].routed.first().map(|r| (r.entry.at.path.as_str(), r.found_by));
        assert_eq!(first, Some((path, FoundBy::AlertsKey)), "{name}");
    }
    // Every node_exporter alert of the shared rules but three has a kit runbook.
    let Some(files) = corpora::alert_rules("kube-prometheus") else { return };
    let node = files.iter().filter(|f| f.to_string_lossy().contains("nodeExporter")).cloned().collect::<Vec<_>>();
    let names: BTreeSet<String> = rules(&node).into_iter().map(|r| r.0).collect();
    let unanswered: Vec<&String> = names
        .iter()
        .filter(|n| {
            let a = Alert { name: (*n).clone(), ..Alert::default() };
            !route_all(&index, &[a], 1)[0].routed.iter().any(|r| r.found_by == FoundBy::AlertsKey)
        })
        .collect();
    assert_eq!(
        unanswered,
        ["NodeBondingDegraded", "NodeHighNumberConntrackEntriesUsed", "NodeTextFileCollectorScrapeError"]
    );
}
