//! Alerts in, runbooks out, on real data: the Prometheus rules kube-prometheus ships and the
//! prometheus-operator runbooks their `runbook_url`s point at (both in `../shared`). Every
//! alert becomes the Alertmanager payload it would send; its runbook must come first with
//! its URL and without it. The expected runbook is worked out here from the site's rule
//! (`/runbooks/<component>/<alertname lowercased>` is `content/runbooks/<component>/<Name>.md`),
//! not by the code under test.

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

    let (mut with, mut without, mut summary, mut total) = (0, 0, 0, 0);
    let mut misses = Vec::new();
    for (name, ann, sev) in &rules {
        let url = ann.get("runbook_url").and_then(Value::as_str).unwrap_or_default();
        let Some(want) = expected(&corpus, url) else { continue };
        total += 1;
        for with_url in [true, false] {
            let bytes = payload(name, ann, sev, with_url).to_string();
            let Ok(alerts) = runbook::alert::read(bytes.as_bytes()) else { panic!("{name}: payload reads") };
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
    }
    println!(
        "hit@1 over {total} alerts whose URL resolves: with URL {with}, without URL {without}, summary text alone {summary}"
    );
    assert_eq!(misses, Vec::<String>::new());
    assert_eq!((with, without), (total, total));
}
