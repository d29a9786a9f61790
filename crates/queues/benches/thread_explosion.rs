//! Q4: what a thread per item costs — `cargo bench -p queues --bench thread_explosion`.
//!
//! `N` small CPU jobs (a short sum each), run to completion two ways:
//! * `spawn_per_item/N`: the guide's `BadThreadManager` — `std::thread::spawn` per job, then join
//!   them all;
//! * `rayon_pool/N`: the fix — the same jobs spawned onto a pool built once (as the manager would
//!   keep it), with as many threads as the machine has CPUs, inside a `scope` that waits for all.
//!
//! The jobs do not block, so this measures thread creation and scheduling, not the explosion
//! itself (that is the test's job: `tests/demos/thread_explosion.rs`). Results, with the machine
//! they came from, are in the book's Q4 page.

// criterion's macros generate undocumented functions.
#![allow(missing_docs)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

/// A small CPU job: a few hundred nanoseconds of arithmetic.
fn job(seed: u64) -> u64 {
    (0..256u64).fold(seed, |acc, x| acc.wrapping_mul(31).wrapping_add(x))
}

fn spawn_per_item(n: u64) -> u64 {
    let handles: Vec<_> = (0..n)
        .map(|i| std::thread::spawn(move || job(black_box(i))))
        .collect();
    handles.into_iter().map(|h| h.join().expect("job")).sum()
}

fn on_pool(pool: &rayon::ThreadPool, n: u64) -> u64 {
    let total = std::sync::atomic::AtomicU64::new(0);
    pool.scope(|s| {
        for i in 0..n {
            let total = &total;
            s.spawn(move |_| {
                total.fetch_add(job(black_box(i)), std::sync::atomic::Ordering::Relaxed);
            });
        }
    });
    total.into_inner()
}

fn thread_explosion(c: &mut Criterion) {
    let pool = rayon::ThreadPoolBuilder::new()
        .build()
        .expect("a rayon pool");
    let mut group = c.benchmark_group("thread_explosion");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    for n in [64u64, 200] {
        group.bench_with_input(BenchmarkId::new("spawn_per_item", n), &n, |b, &n| {
            b.iter(|| spawn_per_item(n))
        });
        group.bench_with_input(BenchmarkId::new("rayon_pool", n), &n, |b, &n| {
            b.iter(|| on_pool(&pool, n))
        });
    }
    group.finish();
}

criterion_group!(benches, thread_explosion);
criterion_main!(benches);
