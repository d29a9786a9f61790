//! P7: the guide's "memory benchmarks" (L7282–7302), measured the criterion way —
//! `cargo bench -p production --bench allocation`; `scripts/bench allocation` writes the book's
//! table and chart from criterion's results.
//!
//! * `array`: build a 1,000-element vector. `as_the_guide` returns only its length, which the
//!   optimizer may compute without building anything (the guide's `_ = operation()` invites the
//!   same); `black_box` makes each pushed value and the vector itself opaque.
//! * `dictionary`: 1,000 `"key\(i)"` inserts. `as_the_guide` formats the keys inside the timed
//!   loop; `iter_batched` formats them in an untimed setup, so only the inserts are timed.
//!
//! Every benchmark reports throughput in elements (`Throughput::Elements(1000)`): criterion
//! prints elements per second beside the time.

// criterion's macros generate undocumented functions.
#![allow(missing_docs)]

use std::collections::HashMap;
use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};

const N: usize = 1_000;

// ANCHOR: array
fn array(c: &mut Criterion) {
    let mut group = c.benchmark_group("production_allocation_array");
    group.throughput(Throughput::Elements(N as u64));
    group.bench_function("as_the_guide", |b| {
        b.iter(|| {
            let mut array = Vec::new();
            for i in 0..N {
                array.push(i);
            }
            array.len() // the only thing the caller sees: may be computed as a constant
        });
    });
    group.bench_function("black_box", |b| {
        b.iter(|| {
            let mut array = Vec::new();
            for i in 0..N {
                array.push(black_box(i));
            }
            black_box(array) // the vector itself escapes, so it must really be built
        });
    });
    group.finish();
}
// ANCHOR_END: array

// ANCHOR: dictionary
fn dictionary(c: &mut Criterion) {
    let mut group = c.benchmark_group("production_allocation_dictionary");
    group.throughput(Throughput::Elements(N as u64));
    group.bench_function("as_the_guide", |b| {
        b.iter(|| {
            let mut dict = HashMap::new();
            for i in 0..N {
                dict.insert(format!("key{i}"), i); // formatting is timed too
            }
            black_box(dict)
        });
    });
    group.bench_function("iter_batched", |b| {
        b.iter_batched(
            || (0..N).map(|i| format!("key{i}")).collect::<Vec<_>>(), // setup: not timed
            |keys| {
                let mut dict = HashMap::with_capacity(0);
                for (i, key) in keys.into_iter().enumerate() {
                    dict.insert(key, i);
                }
                black_box(dict)
            },
            BatchSize::SmallInput,
        );
    });
    group.finish();
}
// ANCHOR_END: dictionary

criterion_group!(benches, array, dictionary);
criterion_main!(benches);
