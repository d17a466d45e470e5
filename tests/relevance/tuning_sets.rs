//! The query tables written together with the ranking (before the blind sets existed): they
//! flatter, so they are no measure of quality (see `main.rs` for that). They stay as a guard
//! that the starter kit keeps answering the symptoms it was written for.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use runbook::search::{Cache, Progress, SearchIndex};

use super::corpora;

/// (query, expected id); `a|b` accepts either (the query is honestly ambiguous between them).
type Case = (&'static str, &'static str);

/// The shipped runbooks: every topic, at least one query each.
const SHIPPED: &[Case] = &[
    // Triage and principles.
    ("site slow", "start-here"),
    ("something is wrong", "start-here"),
    ("everything broken where do i start", "start-here"),
    ("users complaining site down", "start-here"),
    ("new to on call what do i do first", "principles/think-like-an-ops-pro"),
    ("afraid to break prod", "principles/think-like-an-ops-pro"),
    ("about to change a config file in production", "principles/pre-change-checklist"),
    ("is it safe to run this command", "principles/pre-change-checklist"),
    ("incident timeline notes", "principles/write-it-down"),
    // Hosting environment.
    ("where are the logs", "environment/hosting"),
    ("who owns this server", "environment/hosting"),
    // Network.
    ("cant ssh into server", "network/host-unreachable"),
    ("server not answering ping", "network/host-unreachable"),
    ("could not resolve host", "network/dns-failures"),
    ("dns not resolving", "network/dns-failures"),
    ("certficate expired", "network/tls-certificate"),
    ("ssl cert not trusted", "network/tls-certificate"),
    ("packet loss", "network/packet-loss-latency"),
    ("network flaky high latency", "network/packet-loss-latency"),
    ("port blocked by firewall", "network/port-blocked"),
    ("ECONNREFUSED", "network/port-blocked"),
    ("partner api timing out", "network/partner-api-failing"),
    ("payment provider not responding", "network/partner-api-failing"),
    // Hardware.
    ("read only file system", "hardware/disk-failing"),
    ("smart errors disk dying", "hardware/disk-failing"),
    ("edac memory errors", "hardware/memory-errors"),
    ("bad ram", "hardware/memory-errors"),
    ("server keeps rebooting", "hardware/boot-or-reboot-loop"),
    ("server wont boot emergency mode", "hardware/boot-or-reboot-loop"),
    ("cpu overheating throttled", "hardware/overheating"),
    ("fans loud server too hot", "hardware/overheating"),
    // Operating system.
    ("no space left on device", "os/disk-full"),
    ("disk ful", "os/disk-full"),
    ("out of inodes", "os/inodes-exhausted"),
    ("df -i 100%", "os/inodes-exhausted"),
    ("oom killer killed my process", "os/out-of-memory"),
    ("cannot allocate memory", "os/out-of-memory"),
    ("load average very high", "os/high-load"),
    ("server slow cpu 100%", "os/high-load"),
    ("too many open files", "os/too-many-open-files"),
    ("file descriptor limit", "os/too-many-open-files"),
    ("clock wrong", "os/clock-drift"),
    ("ntp not syncing", "os/clock-drift"),
    ("process hung wont die", "os/runaway-process"),
    ("zombie processes", "os/runaway-process"),
    ("log file huge", "os/logs-filling-disk"),
    ("logrotate not working", "os/logs-filling-disk"),
    ("service failed to start", "os/systemd-unit-failed"),
    ("start request repeated too quickly", "os/systemd-unit-failed"),
    ("broken after kernel update", "os/kernel-upgrade-gone-wrong"),
    ("grub rescue", "os/kernel-upgrade-gone-wrong"),
    // Key systems.
    ("nginx 502", "systems/nginx/nginx-failing"),
    ("bad gateway", "systems/nginx/nginx-failing"),
    ("reload nginx config", "systems/nginx/restart-nginx"),
    ("app returns 500 errors after deploy", "systems/app-service/app-failing"),
    ("restart the app safely", "systems/app-service/restart-app"),
    ("postgres wont start", "systems/postgresql/postgresql-failing"),
    ("too many clients already", "systems/postgresql/postgresql-failing"),
    ("db slow", "systems/postgresql/postgresql-failing"),
    ("restart postgres", "systems/postgresql/restart-postgresql"),
    ("redis oom", "systems/redis/redis-failing"),
    ("sessions lost users logged out", "systems/redis/redis-failing"),
    ("restart redis", "systems/redis/restart-redis"),
    ("rabbitmq queue keeps growing", "systems/rabbitmq/rabbitmq-failing"),
    ("background jobs not processed", "systems/rabbitmq/rabbitmq-failing"),
    ("restart rabbit", "systems/rabbitmq/restart-rabbitmq"),
    ("container keeps restarting", "systems/docker/container-failing"),
    ("docker daemon not running", "systems/docker/container-failing"),
    ("restart docker container", "systems/docker/restart-container"),
    ("cron job didnt run", "systems/scheduled-jobs/job-failing"),
    ("systemd timer not firing", "systems/scheduled-jobs/job-failing"),
    ("rerun the nightly job by hand", "systems/scheduled-jobs/run-job-manually"),
    // Escalation and handoff.
    ("how do i escalate", "escalation/how-to-escalate"),
    ("nobody answers the phone", "escalation/how-to-escalate"),
    ("shift handover", "escalation/handoff"),
    ("collect diagnostics before restart", "escalation/collect-evidence"),
];

/// prometheus-operator's alert runbooks (ids without the `content/runbooks/` prefix).
const PROMETHEUS: &[Case] = &[
    ("conntrak table full", "node/NodeHighNumberConntrackEntriesUsed"),
    ("pod keeps crashing", "kubernetes/KubePodCrashLooping"),
    ("etcd no leader", "etcd/etcdNoLeader"),
    ("disk almost full on node", "node/NodeFilesystemAlmostOutOfSpace|node/NodeFilesystemSpaceFillingUp"),
    ("clock out of sync", "node/NodeClockNotSynchronising|node/NodeClockSkewDetected"),
    (
        "alertmanager cant send notifications",
        "alertmanager/AlertmanagerFailedToSendAlerts|alertmanager/AlertmanagerClusterFailedToSendAlerts",
    ),
    ("node not ready", "kubernetes/KubeNodeNotReady"),
    (
        "kubelet certficate expiring",
        "kubernetes/KubeletClientCertificateExpiration|kubernetes/KubeletServerCertificateExpiration",
    ),
    ("persistent volume filling up", "kubernetes/KubePersistentVolumeFillingUp"),
    ("node running out of inodes", "node/NodeFilesystemAlmostOutOfFiles|node/NodeFilesystemFilesFillingUp"),
    ("raid degraded", "node/NodeRAIDDegraded"),
    ("file descriptors running out on node", "node/NodeFileDescriptorLimit"),
    ("network interface flapping", "general/NodeNetworkInterfaceFlapping"),
    ("scrape targets down", "general/TargetDown"),
    ("cpu throttling high", "kubernetes/CPUThrottlingHigh"),
    ("hpa stuck at max replicas", "kubernetes/KubeHpaMaxedOut"),
    ("deployment replicas mismatch", "kubernetes/KubeDeploymentReplicasMismatch"),
    ("kubernetes job failed", "kubernetes/KubeJobFailed"),
    ("api server down", "kubernetes/KubeAPIDown"),
    ("prometheus config reload failed bad config", "prometheus/PrometheusBadConfig"),
    ("remote write falling behind", "prometheus/PrometheusRemoteWriteBehind"),
    ("etcd fsync slow", "etcd/etcdHighFsyncDurations"),
    ("etcd database quota low space", "etcd/etcdBackendQuotaLowSpace"),
    ("too many pods on node", "kubernetes/KubeletTooManyPods"),
    ("namespace quota exceeded", "kubernetes/KubeQuotaExceeded"),
    ("watchdog alert always firing", "general/Watchdog"),
    ("container stuck waiting", "kubernetes/KubeContainerWaiting"),
    ("statefulset update not rolled out", "kubernetes/KubeStatefulSetUpdateNotRolledOut"),
    ("network receive errors", "node/NodeNetworkReceiveErrs"),
    ("kube proxy down", "kubernetes/KubeProxyDown"),
    ("tsdb compaction failing", "prometheus/PrometheusTSDBCompactionsFailing"),
    ("kublet down", "kubernetes/KubeletDown"),
    ("alertmanger cluster down", "alertmanager/AlertmanagerClusterDown"),
    ("daemonset rollout stuck", "kubernetes/KubeDaemonSetRolloutStuck"),
];

struct Scores {
    hit1: f64,
    hit3: f64,
    mrr: f64,
}

/// Run every case; print the misses and the scores.
fn evaluate(name: &str, root: &Path, strip: &str, cases: &[Case]) -> Scores {
    assert!(root.is_dir(), "corpus {} is missing", root.display());
    let index = SearchIndex::open(
        &runbook::runbook::library::Catalog::scan(&[root.to_path_buf()]),
        &Cache::Off,
        &Arc::new(Progress::default()),
    );
    let (mut hit1, mut hit3, mut rr) = (0usize, 0usize, 0f64);
    for (query, expected) in cases {
        let hits = index.search(query, 10);
        let ids: Vec<&str> = hits.iter().map(|h| h.entry.id.strip_prefix(strip).unwrap_or(&h.entry.id)).collect();
        let rank = ids.iter().position(|id| expected.split('|').any(|e| e == *id));
        match rank {
            Some(0) => hit1 += 1,
            _ => println!(
                "  {name}: {query:?} -> rank {:?} (want {expected}); got {:?}",
                rank.map(|r| r + 1),
                &ids[..ids.len().min(3)]
            ),
        }
        if rank.is_some_and(|r| r < 3) {
            hit3 += 1;
        }
        rr += rank.map_or(0.0, |r| 1.0 / (r as f64 + 1.0));
    }
    let n = cases.len() as f64;
    let s = Scores { hit1: hit1 as f64 / n, hit3: hit3 as f64 / n, mrr: rr / n };
    println!("{name}: {} queries, hit@1 {:.3}, hit@3 {:.3}, MRR {:.3}", cases.len(), s.hit1, s.hit3, s.mrr);
    s
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_tables_cover_enough() {
    assert!(SHIPPED.len() >= 40 && PROMETHEUS.len() >= 25);
    // Every shipped runbook is the answer to at least one query.
    let index = SearchIndex::open(
        &runbook::runbook::library::Catalog::scan(&[manifest_dir().join("runbooks")]),
        &Cache::Off,
        &Arc::new(Progress::default()),
    );
    for e in index.entries() {
        assert!(SHIPPED.iter().any(|(_, want)| want.split('|').any(|w| w == e.id)), "no query finds {}", e.id);
    }
}

#[test]
fn shipped_runbooks() {
    let s = evaluate("shipped", &manifest_dir().join("runbooks"), "", SHIPPED);
    assert!(s.hit1 >= 0.92, "hit@1 {:.3}", s.hit1);
    assert!(s.hit3 >= 0.96, "hit@3 {:.3}", s.hit3);
    assert!(s.mrr >= 0.94, "MRR {:.3}", s.mrr);
}

#[test]
fn prometheus_operator_runbooks() {
    let Some(root) = corpora::corpus("prometheus-operator-runbooks") else { return };
    let s = evaluate("prometheus-operator", &root, "content/runbooks/", PROMETHEUS);
    assert!(s.hit1 >= 0.85, "hit@1 {:.3}", s.hit1);
    assert!(s.hit3 >= 0.94, "hit@3 {:.3}", s.hit3);
    assert!(s.mrr >= 0.90, "MRR {:.3}", s.mrr);
}
