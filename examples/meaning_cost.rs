//! What meaning search costs on a folder of runbooks: the cold embedding of every runbook
//! (an empty cache), a refresh with nothing changed, and warm queries (lexical alone, then
//! blended: the query embedded, the cosines, the blend), with the process's peak memory.
//!
//! ```sh
//! cargo run --release --example meaning_cost -- runbooks
//! cargo run --release --example gen_corpus -- /tmp/rb500 500
//! cargo run --release --example meaning_cost -- /tmp/rb500 [QUERY...]
//! ```

use std::sync::Arc;
use std::time::Instant;

use runbook::runbook::library::Catalog;
use runbook::search::{Cache, Embedder, Progress, SearchIndex};

fn peak_kb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .unwrap_or(0)
}

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = std::path::PathBuf::from(args.first().map_or("runbooks", String::as_str));
    let mut queries: Vec<String> = args
        .iter()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .filter(|a| {
            Some(a.as_str())
                != args.iter().position(|x| x == "--cache").and_then(|i| args.get(i + 1)).map(String::as_str)
        })
        .cloned()
        .collect();
    if queries.is_empty() {
        queries = ["disk full", "names won't resolve from pods", "everything is on fire, what do I do first"]
            .map(String::from)
            .to_vec();
    }
    // `--cache DIR`: a cache kept from an earlier run (the vectors already made), not removed.
    let kept = args.iter().position(|a| a == "--cache").and_then(|i| args.get(i + 1)).map(std::path::PathBuf::from);
    let cache =
        kept.clone().unwrap_or_else(|| std::env::temp_dir().join(format!("meaning-cost-{}", std::process::id())));
    let catalog = Catalog::scan(std::slice::from_ref(&dir));
    let t = Instant::now();
    let index = SearchIndex::open(&catalog, &Cache::At(cache.clone()), &Arc::new(Progress::default()));
    println!(
        "lexical index: {} runbooks in {:.2} s, peak {} MB",
        index.entries().len(),
        t.elapsed().as_secs_f64(),
        peak_kb() / 1024
    );
    let t = Instant::now();
    let embedder = Embedder::load()?;
    println!("model loaded in {:.2} s, peak {} MB", t.elapsed().as_secs_f64(), peak_kb() / 1024);
    let t = Instant::now();
    let stats = index.attach_meaning(&embedder, &Progress::default())?;
    println!(
        "cold: {} runbooks embedded in {:.2} s ({:.1} ms each), peak {} MB",
        stats.embedded,
        t.elapsed().as_secs_f64(),
        t.elapsed().as_secs_f64() * 1000.0 / stats.embedded.max(1) as f64,
        peak_kb() / 1024
    );
    let t = Instant::now();
    let again = SearchIndex::open(&catalog, &Cache::At(cache.clone()), &Arc::new(Progress::default()));
    let opened = t.elapsed().as_secs_f64();
    let stats = again.attach_meaning(&embedder, &Progress::default())?;
    println!(
        "warm: index opened in {opened:.3} s, vectors in {:.3} s more, {} embedded",
        t.elapsed().as_secs_f64() - opened,
        stats.embedded
    );
    for q in &queries {
        let time = |f: &dyn Fn() -> usize| {
            f();
            let mut ms: Vec<f64> = (0..20)
                .map(|_| {
                    let t = Instant::now();
                    std::hint::black_box(f());
                    t.elapsed().as_secs_f64() * 1000.0
                })
                .collect();
            ms.sort_by(f64::total_cmp);
            ms[ms.len() / 2]
        };
        // A new text each time for the blended one (trailing spaces: the same words), so the
        // model embeds the query every time rather than reusing the last vector.
        let n = std::cell::Cell::new(0usize);
        let words = time(&|| again.search_words(q, 10).len());
        let blended = time(&|| {
            n.set(n.get() + 1);
            again.search(&format!("{q}{}", " ".repeat(n.get() % 7 + 1)), 10).len()
        });
        let top: Vec<String> = again.search(q, 3).into_iter().map(|h| h.entry.id).collect();
        println!("{q:?}: words {words:.1} ms, blended {blended:.1} ms (median of 20); top {top:?}");
    }
    println!("peak {} MB", peak_kb() / 1024);
    if kept.is_none() {
        let _ = std::fs::remove_dir_all(&cache);
    }
    Ok(())
}
