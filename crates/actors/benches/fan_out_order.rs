//! A4: keeping the input order, at what cost? `cargo bench -p actors --bench fan_out_order` (or
//! `scripts/bench fan_out_order`).
//!
//! 100 simulated fetches — each suspends once (`yield_now`, standing in for waiting on the
//! network) and then does a little arithmetic — collected four ways on a `current_thread`
//! runtime: one after another, a `JoinSet` (a task per fetch, results as they finish: the guide's
//! task group), `buffered(8)` (at most 8 at once, input order) and `buffer_unordered(8)`. Real
//! time: the bookkeeping each way costs. What order costs in *waiting* when fetches take different
//! times is a paused-clock test (`fan_out_strategies_in_virtual_time`, pinned for the book).

// criterion's macros generate undocumented functions.
#![allow(missing_docs)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use futures_util::{StreamExt, stream};
use tokio::runtime::Builder;
use tokio::task::JoinSet;

const FETCHES: u64 = 100;
const IN_FLIGHT: usize = 8;

async fn fetch(id: u64) -> u64 {
    tokio::task::yield_now().await;
    black_box(id.wrapping_mul(2_654_435_761) >> 7)
}

async fn sequential() -> Vec<u64> {
    let mut out = Vec::with_capacity(FETCHES as usize);
    for id in 0..FETCHES {
        out.push(fetch(id).await);
    }
    out
}

async fn join_set() -> Vec<u64> {
    let mut set = JoinSet::new();
    for id in 0..FETCHES {
        set.spawn(fetch(id));
    }
    set.join_all().await
}

async fn buffered() -> Vec<u64> {
    stream::iter(0..FETCHES)
        .map(fetch)
        .buffered(IN_FLIGHT)
        .collect()
        .await
}

async fn buffer_unordered() -> Vec<u64> {
    stream::iter(0..FETCHES)
        .map(fetch)
        .buffer_unordered(IN_FLIGHT)
        .collect()
        .await
}

fn fan_out_order(c: &mut Criterion) {
    let runtime = Builder::new_current_thread().build().expect("a runtime");
    let mut group = c.benchmark_group("actors_fan_out_order");
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(2));
    group.bench_function("sequential", |b| b.iter(|| runtime.block_on(sequential())));
    group.bench_function("join_set", |b| b.iter(|| runtime.block_on(join_set())));
    group.bench_function("buffered", |b| b.iter(|| runtime.block_on(buffered())));
    group.bench_function("buffer_unordered", |b| {
        b.iter(|| runtime.block_on(buffer_unordered()))
    });
    group.finish();
}

criterion_group!(benches, fan_out_order);
criterion_main!(benches);
