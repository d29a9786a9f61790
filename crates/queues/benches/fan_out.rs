//! Fan-out: `ConcurrentQueue` against `rayon::scope` — `cargo bench -p queues --bench fan_out`.
//!
//! The same N = 1,000 small jobs (each a few hundred nanoseconds of arithmetic), then wait for all
//! of them, on 2 worker threads both ways:
//! * `fan_out/concurrent_queue`: `dispatch_async` each job onto a `ConcurrentQueue` of width 2,
//!   then `barrier_sync(|| ())` — GCD's way to wait for everything enqueued before.
//! * `fan_out/rayon_scope`: `pool.scope(|s| s.spawn(job) ×N)` on a 2-thread rayon pool.
//! * `fan_out/inline`: the same jobs on the calling thread — the work itself, for scale.
//!
//! One iteration is the whole fan-out (submit N, wait for all); the queue and the pool are made once,
//! outside the measurement. `scripts/bench fan_out` turns the medians into the table of the book's
//! queues chapter (`book/generated/fan_out.md`); the target is ConcurrentQueue throughput ≥ 0.8×
//! rayon's.

// criterion's macros generate undocumented functions.
#![allow(missing_docs)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use racelab_dispatch::concurrent_queue::ConcurrentQueue;

/// Jobs per fan-out.
const N: u64 = 1_000;
/// Worker threads, both ways.
const THREADS: usize = 2;

/// A few hundred nanoseconds of work that the optimiser cannot remove.
fn job(seed: u64) {
    let mut x = seed | 1;
    for _ in 0..100 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    black_box(x);
}

fn fan_out(c: &mut Criterion) {
    let mut group = c.benchmark_group("fan_out");
    group
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));

    group.bench_function("inline", |b| {
        b.iter(|| {
            (0..N).for_each(|i| {
                job(i);
            })
        });
    });

    let queue = ConcurrentQueue::new("fan-out", THREADS);
    group.bench_function("concurrent_queue", |b| {
        b.iter(|| {
            for i in 0..N {
                queue.dispatch_async(move || {
                    job(i);
                });
            }
            queue.barrier_sync(|| ()).expect("not on the queue");
        });
    });

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(THREADS)
        .build()
        .expect("a rayon pool");
    group.bench_function("rayon_scope", |b| {
        b.iter(|| {
            pool.scope(|s| {
                for i in 0..N {
                    s.spawn(move |_| {
                        job(i);
                    });
                }
            });
        });
    });
    group.finish();
}

criterion_group!(benches, fan_out);
criterion_main!(benches);
