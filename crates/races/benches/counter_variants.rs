//! R2: what a correct counter costs — `cargo bench -p races`.
//!
//! Six counters from `races::counter_variants::variants`, each measured two ways:
//! * `uncontended/<variant>`: one thread increments; the time per increment.
//! * `contended_2/<variant>`: two threads increment the same counter at once; the wall-clock time
//!   per increment per thread (so a perfectly scalable counter would match its uncontended time).
//!
//! The tokio actor is driven from async code (as `await actor.increment()` would be) on a
//! two-worker runtime. Results, with the machine they came from, are in the book's R2 page.

// criterion's macros generate undocumented functions.
#![allow(missing_docs)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use races::counter_variants::variants::{
    ActorCounter, AtomicCounter, Count, ParkingLotCounter, RwLockCounter, SerialQueueCounter,
    StdMutexCounter,
};

fn sync_variants() -> Vec<(&'static str, Arc<dyn Count>)> {
    vec![
        ("std_mutex", Arc::new(StdMutexCounter::default())),
        ("parking_lot_mutex", Arc::new(ParkingLotCounter::default())),
        ("rwlock_write", Arc::new(RwLockCounter::default())),
        ("atomic_fetch_add", Arc::new(AtomicCounter::default())),
        ("serial_queue_sync", Arc::new(SerialQueueCounter::default())),
    ]
}

/// Runs `per_thread` increments on each of `threads` threads, started together; returns the
/// wall-clock time.
fn contended(counter: &Arc<dyn Count>, threads: usize, per_thread: u64) -> Duration {
    let counter = counter.clone();
    racelab_testkit::bench::on_threads(threads, move |_| {
        for _ in 0..per_thread {
            counter.increment();
        }
    })
}

fn counters(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .expect("tokio runtime");
    let actor = runtime.block_on(async { ActorCounter::spawn() });

    let mut group = c.benchmark_group("uncontended");
    for (name, counter) in sync_variants() {
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| counter.increment())
        });
    }
    group.bench_function(BenchmarkId::from_parameter("tokio_actor"), |b| {
        b.iter_custom(|iters| {
            runtime.block_on(async {
                let began = Instant::now();
                for _ in 0..iters {
                    actor.increment().await;
                }
                began.elapsed()
            })
        })
    });
    group.finish();

    let mut group = c.benchmark_group("contended_2");
    for (name, counter) in sync_variants() {
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter_custom(|iters| contended(&counter, 2, iters))
        });
    }
    group.bench_function(BenchmarkId::from_parameter("tokio_actor"), |b| {
        b.iter_custom(|iters| {
            runtime.block_on(async {
                let began = Instant::now();
                let tasks: Vec<_> = (0..2)
                    .map(|_| {
                        let actor = actor.clone();
                        tokio::spawn(async move {
                            for _ in 0..iters {
                                actor.increment().await;
                            }
                        })
                    })
                    .collect();
                for task in tasks {
                    task.await.expect("bench task");
                }
                began.elapsed()
            })
        })
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = counters
}
criterion_main!(benches);
