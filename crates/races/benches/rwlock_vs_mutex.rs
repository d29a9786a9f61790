//! R7: when is a reader-writer lock slower than a mutex? — `cargo bench -p races --bench rwlock_vs_mutex`.
//!
//! A cache that is only read (`races::reader_writer_lock::cache`), behind std's and parking_lot's
//! `Mutex` and `RwLock`, measured four ways:
//! * `cache_short_1/<lock>`, `cache_long_1/<lock>`: one thread; the time per critical section
//!   (one lookup, or 64 lookups under one lock).
//! * `cache_short_2/<lock>`, `cache_long_2/<lock>`: two threads reading at once; the wall-clock
//!   time per critical section per thread (so a lock that let both read in parallel would match
//!   its one-thread time, and one that serialises them would take twice as long).
//!
//! Run it with `-p races` (as `scripts/bench` does): a workspace-wide build would also compile
//! `crates/races-deadlock-detection`, whose parking_lot feature slows every parking_lot lock down.
//! Results, with the machine they came from, are in the book's R7 page.

// criterion's macros generate undocumented functions.
#![allow(missing_docs)]

use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use races::reader_writer_lock::cache::{
    Cache, ParkingLotMutexCache, ParkingLotRwLockCache, StdMutexCache, StdRwLockCache, filled,
    long, short,
};

/// A cheap, fixed sequence of keys (xorshift), different per thread.
fn keys(seed: u64) -> impl FnMut() -> u64 {
    let mut x = seed | 1;
    move || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x
    }
}

/// `iters` critical sections on each of `threads` threads, started together; the wall-clock time.
fn together<C: Cache>(
    cache: &Arc<C>,
    threads: u64,
    iters: u64,
    section: fn(&C, u64) -> u64,
) -> Duration {
    let cache = cache.clone();
    racelab_testkit::bench::on_threads(threads as usize, move |t| {
        let mut next = keys(0x9E37_79B9 + t as u64);
        for _ in 0..iters {
            black_box(section(&cache, next()));
        }
    })
}

fn one<C: Cache>(c: &mut Criterion) {
    let cache = Arc::new(C::new(filled()));
    for (size, section) in [
        ("short", short::<C> as fn(&C, u64) -> u64),
        ("long", long::<C>),
    ] {
        for threads in [1, 2] {
            let mut group = c.benchmark_group(format!("cache_{size}_{threads}"));
            group.bench_function(BenchmarkId::from_parameter(C::NAME), |b| {
                if threads == 1 {
                    let mut next = keys(0x9E37_79B9);
                    b.iter(|| section(&cache, next()))
                } else {
                    b.iter_custom(|iters| together(&cache, threads, iters, section))
                }
            });
            group.finish();
        }
    }
}

fn locks(c: &mut Criterion) {
    one::<StdMutexCache>(c);
    one::<StdRwLockCache>(c);
    one::<ParkingLotMutexCache>(c);
    one::<ParkingLotRwLockCache>(c);
}

criterion_group! {
    name = benches;
    // Short on purpose: the machine is shared. Enough to see differences of 1.5× and more.
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .sample_size(30);
    targets = locks
}
criterion_main!(benches);
