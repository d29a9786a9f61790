//! P6: the guide's stress harness against the fixed one, same load, one run —
//! `cargo bench -p production --bench stress_harness`.
//!
//! The load: [`OPERATIONS`] operations, each a little arithmetic, a `yield_now` (a suspension, as
//! any real operation has) and a little more arithmetic, through a `tower::service_fn` that
//! records each call's latency (call → answer) in an `hdrhistogram` and counts calls in flight.
//! * `guide`: `broken::StressTester` — all [`OPERATIONS`] at once (its semaphore has as many
//!   permits as operations), results behind a `Mutex`, a blocking `recv_timeout` group wait;
//! * `fixed`: `fixed::StressTester` — at most [`LIMIT`] at once, a `JoinSet`, atomic counters.
//!
//! Both on one 2-worker `multi_thread` runtime on the real clock. The guide's harness is driven by
//! `block_on` from the bench's own thread, so its blocking wait blocks that thread and not one of
//! the two workers (the kindest setting for it: both workers run its operations). The fixed
//! harness blocks nothing, so it runs as an ordinary task on the runtime. Throughput is operations
//! per second of the whole stress test; latency is per call, over every call criterion made. After
//! the run, those numbers go to `criterion/production_stress_harness/summary.json` in the target
//! directory, beside criterion's own results, for `scripts/bench stress_harness` to write the
//! book's table from.

// criterion's macros generate undocumented functions.
#![allow(missing_docs)]

use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use hdrhistogram::Histogram;
use production::stress_harness::{Load, Readings, StressTester, broken, fixed};
use tokio::runtime::{Builder, Runtime};

/// Operations per stress test.
const OPERATIONS: usize = 1_000;
/// The fixed harness's limit.
const LIMIT: usize = 16;
/// The runtime's worker threads.
const WORKERS: usize = 2;

/// What one design measured over the whole run.
struct Tally {
    latencies: Mutex<Histogram<u64>>,
    in_flight: AtomicUsize,
    max_in_flight: AtomicUsize,
    operations: AtomicUsize,
    elapsed: Mutex<Duration>,
}

impl Tally {
    fn new() -> Arc<Self> {
        Arc::new(Tally {
            latencies: Mutex::new(Histogram::new_with_bounds(1, 60_000_000_000, 3).unwrap()),
            in_flight: AtomicUsize::new(0),
            max_in_flight: AtomicUsize::new(0),
            operations: AtomicUsize::new(0),
            elapsed: Mutex::new(Duration::ZERO),
        })
    }
}

/// The same small operation for both designs.
async fn operation(i: usize) -> usize {
    let mut x = i;
    for k in 0..200 {
        x = black_box(x.wrapping_mul(31).wrapping_add(k));
    }
    tokio::task::yield_now().await;
    for k in 0..200 {
        x = black_box(x.wrapping_mul(17).wrapping_add(k));
    }
    x
}

/// One stress test of [`OPERATIONS`] through harness `H`, driven from this thread or run as a
/// task on the runtime (`as_task`); its wall time.
fn stress<H: StressTester>(
    runtime: &Runtime,
    tally: &Arc<Tally>,
    load: Load,
    as_task: bool,
) -> Duration {
    let service = {
        let tally = Arc::clone(tally);
        tower::service_fn(move |i: usize| {
            let tally = Arc::clone(&tally);
            async move {
                let now = tally.in_flight.fetch_add(1, Relaxed) + 1;
                tally.max_in_flight.fetch_max(now, Relaxed);
                let start = Instant::now();
                black_box(operation(i).await);
                let took = u64::try_from(start.elapsed().as_nanos()).unwrap_or(u64::MAX);
                tally.in_flight.fetch_sub(1, Relaxed);
                let _ = tally.latencies.lock().unwrap().record(took.max(1));
                Ok::<(), &'static str>(())
            }
        })
    };
    let harness = async move {
        let harness = H::default();
        harness
            .stress_test(service, "bench", load, Readings::new(&[0]))
            .await
    };
    let start = Instant::now();
    let result = if as_task {
        runtime
            .block_on(runtime.spawn(harness))
            .expect("the harness finishes")
    } else {
        runtime.block_on(harness)
    };
    let took = start.elapsed();
    assert_eq!(
        result.success_count, OPERATIONS as u64,
        "every operation finished"
    );
    tally.operations.fetch_add(OPERATIONS, Relaxed);
    *tally.elapsed.lock().unwrap() += took;
    took
}

fn bench(c: &mut Criterion) {
    let runtime = Builder::new_multi_thread()
        .worker_threads(WORKERS)
        .enable_time()
        .build()
        .expect("a runtime");
    // Long enough never to end a run: the guide's timeout only bounds its blocking wait.
    let load = Load {
        operations: OPERATIONS,
        limit: LIMIT,
        duration: Duration::from_secs(60),
    };
    let (guide, fixed_tally) = (Tally::new(), Tally::new());
    let mut group = c.benchmark_group("production_stress_harness");
    group
        .throughput(Throughput::Elements(OPERATIONS as u64))
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    // ANCHOR: iter_custom
    group.bench_function("guide", |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| stress::<broken::StressTester>(&runtime, &guide, load, false))
                .sum()
        });
    });
    group.bench_function("fixed", |b| {
        b.iter_custom(|iters| {
            (0..iters)
                .map(|_| stress::<fixed::StressTester>(&runtime, &fixed_tally, load, true))
                .sum()
        });
    });
    // ANCHOR_END: iter_custom
    group.finish();
    write_summary(&[("guide", &guide), ("fixed", &fixed_tally)]);
}

/// This run's numbers for `scripts/bench`, as JSON beside criterion's own results (found the way
/// the networking chapter's `shared_client` bench finds them). Only under `cargo bench`: a
/// `cargo test --benches` pass runs each benchmark once and would overwrite a real run's summary.
fn write_summary(rows: &[(&str, &Arc<Tally>)]) {
    let designs: Vec<String> = rows
        .iter()
        .map(|(name, tally)| {
            let h = tally.latencies.lock().unwrap();
            let elapsed = tally.elapsed.lock().unwrap().as_secs_f64();
            let operations = tally.operations.load(Relaxed);
            let per_second = operations as f64 / elapsed.max(f64::MIN_POSITIVE);
            let us = |q| h.value_at_quantile(q) as f64 / 1000.0;
            format!(
                r#""{name}":{{"operations":{operations},"seconds":{elapsed:.6},"operations_per_second":{per_second:.1},"p50_us":{:.1},"p99_us":{:.1},"p99_9_us":{:.1},"max_in_flight":{}}}"#,
                us(0.5),
                us(0.99),
                us(0.999),
                tally.max_in_flight.load(Relaxed)
            )
        })
        .collect();
    let json = format!(
        r#"{{"operations_per_test":{OPERATIONS},"limit":{LIMIT},"worker_threads":{WORKERS},{}}}"#,
        designs.join(",")
    );
    println!("{json}");
    if std::env::args().any(|a| a == "--bench") {
        let dir = std::env::var_os("CARGO_TARGET_DIR")
            .map_or_else(
                || std::path::PathBuf::from("../../target"),
                std::path::PathBuf::from,
            )
            .join("criterion/production_stress_harness");
        std::fs::create_dir_all(&dir).expect("the target directory is writable");
        std::fs::write(dir.join("summary.json"), json).expect("the target directory is writable");
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
