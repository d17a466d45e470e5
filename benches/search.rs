//! Index and query benchmarks on synthetic runbook sets (see `examples/gen_corpus.rs`).
//!
//! ```sh
//! cargo bench --bench search                 # everything (1,000 and 10,000 runbooks)
//! cargo bench --bench search -- query/10000  # one group
//! ```
//!
//! The sets are generated once into `$RUNBOOK_BENCH_DIR` (default: the system temp dir) and
//! reused. Figures and how they compare with ripgrep: docs/performance.md.

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use runbook::search::{Cache, Embedder, Progress, SearchIndex};

#[path = "../examples/gen_corpus.rs"]
#[allow(dead_code)]
mod gen_corpus;

const SIZES: [usize; 2] = [1_000, 10_000];

/// The folder with `n` generated runbooks, made on first use.
fn corpus(n: usize) -> PathBuf {
    let base = std::env::var_os("RUNBOOK_BENCH_DIR").map_or_else(std::env::temp_dir, PathBuf::from);
    let dir = base.join(format!("runbook-bench-{n}"));
    let done = dir.join(format!(".complete-v1-{n}"));
    if !done.exists() {
        let _ = std::fs::remove_dir_all(&dir);
        gen_corpus::generate(&dir, n).unwrap_or_else(|e| panic!("generate {}: {e}", dir.display()));
        std::fs::write(&done, b"").unwrap_or_else(|e| panic!("marker: {e}"));
    }
    dir
}

fn tempdir() -> tempfile::TempDir {
    tempfile::TempDir::new().unwrap_or_else(|e| panic!("tempdir: {e}"))
}

fn open(roots: &[PathBuf], cache: &Path) -> SearchIndex {
    SearchIndex::open(
        &runbook::runbook::library::Catalog::scan(roots),
        &Cache::At(cache.to_path_buf()),
        &Arc::new(Progress::default()),
    )
}

/// A cold build: a new, empty cache folder every time.
fn cold_build(c: &mut Criterion) {
    let mut g = c.benchmark_group("build");
    g.sample_size(10).measurement_time(Duration::from_secs(40));
    for n in SIZES {
        let roots = vec![corpus(n)];
        g.bench_function(format!("cold/{n}"), |b| {
            b.iter_batched(
                tempdir,
                |cache| {
                    let index = open(&roots, cache.path());
                    assert_eq!(index.stats.reindexed, n, "{:?}", index.stats.fallback);
                    (index, cache)
                },
                BatchSize::PerIteration,
            );
        });
    }
    g.finish();
}

/// Opening a fresh index with nothing changed, and refreshing after one file changed.
fn refresh(c: &mut Criterion) {
    let mut g = c.benchmark_group("refresh");
    g.sample_size(20);
    for n in SIZES {
        let root = corpus(n);
        let roots = vec![root.clone()];
        let cache = tempdir();
        drop(open(&roots, cache.path()));
        g.bench_function(format!("unchanged/{n}"), |b| {
            b.iter(|| {
                let index = open(&roots, cache.path());
                assert_eq!(index.stats.reindexed, 0);
                index
            });
        });
        // Change one file per iteration (its own text plus a counter, so size and hash change).
        let changed = root.join(gen_corpus::file_name(n / 2));
        let original = gen_corpus::runbook_text(n / 2);
        let mut round = 0u64;
        g.bench_function(format!("one-change/{n}"), |b| {
            b.iter_batched(
                || {
                    round += 1;
                    let text = format!("{original}\nNote {round}: {}\n", "seen again ".repeat((round % 7) as usize));
                    std::fs::write(&changed, text).unwrap_or_else(|e| panic!("write: {e}"));
                },
                |()| {
                    let index = open(&roots, cache.path());
                    assert_eq!(index.stats.reindexed, 1);
                    index
                },
                BatchSize::PerIteration,
            );
        });
        std::fs::write(&changed, original).unwrap_or_else(|e| panic!("restore: {e}"));
    }
    g.finish();
}

/// One query on an open index: words the index knows, typos, and a word still being typed.
fn query(c: &mut Criterion) {
    let queries = [
        ("exact", "postgresql connection refused "),
        ("fuzzy", "certficate expird "),
        ("prefix", "replication la"),
        ("error-string", "No space left on device "),
    ];
    for n in SIZES {
        let roots = vec![corpus(n)];
        let cache = tempdir();
        let index = open(&roots, cache.path());
        let mut g = c.benchmark_group(format!("query/{n}"));
        for (name, q) in queries {
            assert!(!index.search(q, 10).is_empty(), "{name}: no hits for {q:?}");
            g.bench_function(name, |b| b.iter(|| index.search(black_box(q), 10)));
        }
        g.finish();
    }
}

/// The empty query's list (the TUI's first screen, `runbook list`): every runbook's entry,
/// read from an index opened beforehand (the open is not timed; `refresh/unchanged` is).
fn list(c: &mut Criterion) {
    for n in SIZES {
        let roots = vec![corpus(n)];
        let cache = tempdir();
        drop(open(&roots, cache.path()));
        let mut g = c.benchmark_group(format!("list/{n}"));
        g.bench_function("entries", |b| {
            b.iter_batched(
                || open(&roots, cache.path()),
                |index| assert_eq!(index.entries().len(), n),
                BatchSize::LargeInput,
            );
        });
        g.finish();
    }
}

/// `check`'s rules over runbooks that all link to each other (n² links): near-linear in the
/// links since lookups are by hash (1,000 runbooks, a million links, took seconds before).
fn links(c: &mut Criterion) {
    let mut g = c.benchmark_group("links");
    g.sample_size(10);
    for n in [200, 400, 1_000] {
        let base = std::env::var_os("RUNBOOK_BENCH_DIR").map_or_else(std::env::temp_dir, PathBuf::from);
        let dir = base.join(format!("runbook-bench-linked-{n}"));
        if !dir.join(format!("rb-{}.md", n - 1)).exists() {
            gen_corpus::generate_interlinked(&dir, n).unwrap_or_else(|e| panic!("generate: {e}"));
        }
        let lib = runbook::runbook::library::Catalog::scan(&[dir]).load();
        let today = jiff::civil::date(2026, 12, 6);
        g.bench_function(format!("check/{n}"), |b| {
            b.iter(|| black_box(runbook::runbook::validate::check(&lib, today)))
        });
    }
    g.finish();
}

/// Meaning search: a warm query by words alone and blended (the query embedded anew each
/// time, its cosine to every runbook, the blend), on the kit and on 10,000 runbooks; and the
/// cold embedding of the kit's 42 runbooks. The 10,000 runbooks' vectors are made once into
/// `$RUNBOOK_BENCH_DIR` (about 4 minutes) and reused.
fn meaning(c: &mut Criterion) {
    let Ok(model) = Embedder::load() else {
        eprintln!("SKIPPED: meaning: no model (model/)");
        return;
    };
    let kit = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("runbooks");
    let mut g = c.benchmark_group("meaning/embed");
    g.sample_size(10);
    g.bench_function("cold/42", |b| {
        b.iter_batched(
            tempdir,
            |cache| {
                let index = open(std::slice::from_ref(&kit), cache.path());
                let stats = index.attach_meaning(&model, &Progress::default());
                assert_eq!(stats.map(|s| s.embedded).ok(), Some(42));
                (index, cache)
            },
            BatchSize::PerIteration,
        );
    });
    g.finish();
    let base = std::env::var_os("RUNBOOK_BENCH_DIR").map_or_else(std::env::temp_dir, PathBuf::from);
    for (name, root) in [("kit".to_owned(), kit.clone()), ("10000".to_owned(), corpus(10_000))] {
        let cache = base.join(format!("runbook-bench-meaning-cache-{name}"));
        let index = open(std::slice::from_ref(&root), &cache);
        let made = index.attach_meaning(&model, &Progress::default());
        assert!(made.is_ok(), "{made:?}");
        let mut g = c.benchmark_group(format!("meaning/query/{name}"));
        for q in ["disk full", "names won't resolve from pods"] {
            g.bench_function(format!("words/{q}"), |b| b.iter(|| index.search_words(black_box(q), 10)));
            // Trailing spaces make each query new to the model (it embeds it again) and the
            // same to every ranking.
            let mut n = 0usize;
            g.bench_function(format!("blended/{q}"), |b| {
                b.iter(|| {
                    n += 1;
                    index.search(black_box(&format!("{q}{}", " ".repeat(n % 8 + 1))), 10)
                })
            });
        }
        g.finish();
    }
}

criterion_group!(benches, cold_build, refresh, query, list, links, meaning);
criterion_main!(benches);
