//! What does P1's fixed breaker cost on the happy path, and how fast does an open one refuse? —
//! `cargo bench -p production --bench circuit_breaker`.
//!
//! Four measurements in one run, in the same process, so their ratios mean something:
//! * `mutex_lock_unlock`: one uncontended `std::sync::Mutex` lock and unlock — the floor;
//! * `two_mutex_lock_unlocks`: two of them — the floor of a design that locks before and after;
//! * `closed_call`: one call through the closed breaker to an operation that is already done
//!   (`future::ready(Ok(..))`): admission, the call, the record — the breaker's whole overhead
//!   (issue 11's target: at most 3 × the floor; it takes the lock twice, before and after);
//! * `open_refusal`: one call refused by an open breaker (the lock, a clock read, `Rejected`):
//!   how fast an open breaker sheds load, against `closed_call`'s calls per second.
//!
//! The fixed breaker runs the operation in the caller's task, so `now_or_never` polls a call to
//! the end without a runtime: nothing here measures tokio. Real time, not the paused clock: this
//! is a benchmark, not a check.

// criterion's macros generate undocumented functions.
#![allow(missing_docs)]

use std::hint::black_box;
use std::sync::Mutex;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use futures_util::FutureExt;
use futures_util::future::ready;
use production::circuit_breaker::{Breaker, BreakerError, Status, fixed};

fn circuit_breaker(c: &mut Criterion) {
    let mut group = c.benchmark_group("production_circuit_breaker");
    group
        .throughput(Throughput::Elements(1))
        .measurement_time(Duration::from_secs(2))
        .warm_up_time(Duration::from_millis(500));

    let mutex = Mutex::new(0_u64);
    group.bench_function("mutex_lock_unlock", |b| {
        b.iter(|| {
            let mut guard = black_box(&mutex).lock().unwrap();
            *guard += 1;
        });
    });

    group.bench_function("two_mutex_lock_unlocks", |b| {
        b.iter(|| {
            *black_box(&mutex).lock().unwrap() += 1;
            *black_box(&mutex).lock().unwrap() += 1;
        });
    });

    // The same call with no breaker: what `closed_call` costs without the breaker, so the
    // breaker's own per-call overhead is `closed_call − bare_call`.
    group.bench_function("bare_call", |b| {
        b.iter(|| {
            let call = ready(Ok::<u16, Status>(black_box(200)));
            let answer = call
                .now_or_never()
                .expect("a ready operation answers at once");
            assert_eq!(answer, Ok(200));
        });
    });

    let closed = fixed::CircuitBreaker::new(5, Duration::from_secs(60));
    group.bench_function("closed_call", |b| {
        b.iter(|| {
            let call = closed.execute(ready(Ok::<u16, Status>(black_box(200))));
            let answer = call
                .now_or_never()
                .expect("a ready operation answers at once");
            assert_eq!(answer, Ok(200));
        });
    });

    let open = fixed::CircuitBreaker::new(5, Duration::from_secs(3600));
    for _ in 0..5 {
        let failed = open.execute(ready(Err::<u16, Status>(Status(503))));
        let _ = failed.now_or_never();
    }
    group.bench_function("open_refusal", |b| {
        b.iter(|| {
            let call = open.execute(ready(Ok::<u16, Status>(black_box(200))));
            let answer = call.now_or_never().expect("a refusal answers at once");
            assert_eq!(answer, Err(BreakerError::Rejected));
        });
    });
    group.finish();
}

criterion_group!(benches, circuit_breaker);
criterion_main!(benches);
