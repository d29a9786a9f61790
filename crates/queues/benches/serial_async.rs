//! `SerialQueue::dispatch_async` throughput against the least a serial queue can be —
//! `cargo bench -p queues --bench serial_async` (or `scripts/bench serial_async`).
//!
//! One iteration enqueues `JOBS` tiny jobs and then waits until the last one has run:
//! * `queues_serial_async/serial_queue`: `SerialQueue::dispatch_async` (std `mpsc`, a boxed job,
//!   `catch_unwind`, and the queue-specific key set and cleared around every job);
//! * `queues_serial_async/crossbeam_thread`: the baseline — a bare `crossbeam-channel` of boxed
//!   jobs and one worker thread that calls them, nothing else.
//!
//! Both run the same jobs (bump a counter only the worker touches) and wait the same way (the last
//! job sends on a rendezvous channel), so the ratio is the price of the queue's bookkeeping. The
//! book's queues chapter shows the table `scripts/bench` writes from these numbers.

// criterion's macros generate undocumented functions.
#![allow(missing_docs)]

use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use racelab_dispatch::serial_queue::SerialQueue;

/// Jobs per iteration: enough that the wake-up at the end is a small part of the time.
const JOBS: u64 = 1_000;

type Job = Box<dyn FnOnce() + Send>;

/// The baseline: a channel and one thread that runs whatever arrives.
struct Bare {
    jobs: crossbeam_channel::Sender<Job>,
}

impl Bare {
    fn new() -> Self {
        let (jobs, inbox) = crossbeam_channel::unbounded::<Job>();
        std::thread::spawn(move || {
            for job in inbox {
                job();
            }
        });
        Bare { jobs }
    }

    fn dispatch_async(&self, job: impl FnOnce() + Send + 'static) {
        self.jobs.send(Box::new(job)).expect("the worker is alive");
    }
}

/// The work: a counter only the queue's worker writes (a load and a store, no read-modify-write
/// needed — the queue is the lock).
fn bump(count: &AtomicU64) {
    count.store(
        black_box(count.load(Ordering::Relaxed) + 1),
        Ordering::Relaxed,
    );
}

/// Something with `dispatch_async`: the serial queue, or the baseline.
trait Dispatch {
    fn dispatch_async(&self, job: impl FnOnce() + Send + 'static);
}

impl Dispatch for SerialQueue {
    fn dispatch_async(&self, job: impl FnOnce() + Send + 'static) {
        SerialQueue::dispatch_async(self, job)
    }
}

impl Dispatch for Bare {
    fn dispatch_async(&self, job: impl FnOnce() + Send + 'static) {
        Bare::dispatch_async(self, job)
    }
}

/// Enqueues `JOBS` jobs, then waits for the last.
fn burst(queue: &impl Dispatch, count: &Arc<AtomicU64>) {
    for _ in 1..JOBS {
        let count = count.clone();
        queue.dispatch_async(move || bump(&count));
    }
    let (done, finished) = mpsc::sync_channel(1);
    let last = count.clone();
    queue.dispatch_async(move || {
        bump(&last);
        let _ = done.send(());
    });
    finished.recv().expect("the last job ran");
}

fn serial_async(c: &mut Criterion) {
    let mut group = c.benchmark_group("queues_serial_async");
    group.throughput(Throughput::Elements(JOBS));

    let queue = SerialQueue::new("bench.queue");
    let count = Arc::new(AtomicU64::new(0));
    group.bench_function(BenchmarkId::from_parameter("serial_queue"), |b| {
        b.iter(|| burst(&queue, &count))
    });

    let bare = Bare::new();
    let count = Arc::new(AtomicU64::new(0));
    group.bench_function(BenchmarkId::from_parameter("crossbeam_thread"), |b| {
        b.iter(|| burst(&bare, &count))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    targets = serial_async
}
criterion_main!(benches);
