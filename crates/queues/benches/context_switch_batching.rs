//! Q5: per-item hops to the main thread against one batched hop —
//! `cargo bench -p queues --bench context_switch_batching`.
//!
//! `ITEMS` items are processed on rayon's global pool and delivered to a "main" thread, an event
//! loop fed by a channel (the part of `DispatchQueue.main` a background thread sees):
//! * `queues_q5_batching/per_item_send`: the guide's BAD version — one pool job per item, each
//!   sending its result to main: `ITEMS` messages, `ITEMS` wake-ups of main;
//! * `queues_q5_batching/one_batched_send`: the guide's GOOD version — one pool job maps every item
//!   on one thread and sends one message;
//! * `queues_q5_batching/par_iter_then_send`: one job maps with `par_iter` (every worker helps),
//!   `collect`s in input order and sends one message.
//!
//! The time is for the whole batch, until main has every result. Main counts its wake-ups; the
//! bench checks the count (`ITEMS`, 1, 1) once before measuring.

// criterion's macros generate undocumented functions.
#![allow(missing_docs)]

use std::hint::black_box;
use std::sync::mpsc;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rayon::prelude::*;

/// Items per batch.
const ITEMS: u64 = 1_000;

/// What travels to main.
enum Msg {
    One(u64),
    Batch(Vec<u64>),
}

/// The work for one item: a few hundred nanoseconds of arithmetic.
fn process_item(item: u64) -> u64 {
    let mut x = item;
    for _ in 0..100 {
        x = black_box(
            x.wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407),
        );
    }
    x
}

/// The main thread: counts the results it is given; once a batch is complete it reports how many
/// times it was woken for it.
fn spawn_main() -> (mpsc::Sender<Msg>, mpsc::Receiver<usize>) {
    let (to_main, inbox) = mpsc::channel::<Msg>();
    let (report, reports) = mpsc::channel();
    std::thread::Builder::new()
        .name("main".into())
        .spawn(move || {
            let (mut got, mut wakeups) = (0u64, 0usize);
            for msg in inbox {
                wakeups += 1;
                got += match msg {
                    Msg::One(x) => {
                        black_box(x);
                        1
                    }
                    Msg::Batch(xs) => black_box(xs).len() as u64,
                };
                if got == ITEMS {
                    let _ = report.send(wakeups);
                    (got, wakeups) = (0, 0);
                }
            }
        })
        .expect("spawn main");
    (to_main, reports)
}

fn per_item_send(main: &mpsc::Sender<Msg>) {
    for item in 0..ITEMS {
        let main = main.clone();
        rayon::spawn(move || {
            let _ = main.send(Msg::One(process_item(item)));
        });
    }
}

fn one_batched_send(main: &mpsc::Sender<Msg>) {
    let main = main.clone();
    rayon::spawn(move || {
        let processed: Vec<u64> = (0..ITEMS).map(process_item).collect();
        let _ = main.send(Msg::Batch(processed));
    });
}

fn par_iter_then_send(main: &mpsc::Sender<Msg>) {
    let main = main.clone();
    rayon::spawn(move || {
        let processed: Vec<u64> = (0..ITEMS).into_par_iter().map(process_item).collect();
        let _ = main.send(Msg::Batch(processed));
    });
}

fn batching(c: &mut Criterion) {
    let (main, reports) = spawn_main();
    type Way = fn(&mpsc::Sender<Msg>);
    let ways: [(&str, Way, usize); 3] = [
        ("per_item_send", per_item_send, ITEMS as usize),
        ("one_batched_send", one_batched_send, 1),
        ("par_iter_then_send", par_iter_then_send, 1),
    ];
    let mut group = c.benchmark_group("queues_q5_batching");
    group.throughput(Throughput::Elements(ITEMS));
    for (name, way, wakeups) in ways {
        way(&main);
        let woken = reports.recv().expect("main reports");
        assert_eq!(woken, wakeups, "{name}: main's wake-ups per batch");
        eprintln!("{name}: main woken {woken} time(s) per batch of {ITEMS}");
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| {
                way(&main);
                reports.recv().expect("main reports")
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = batching
}
criterion_main!(benches);
