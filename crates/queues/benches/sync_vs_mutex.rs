//! Is a serial queue "cheaper than locks"? The guide says so (L3976, L3996); this measures it —
//! `cargo bench -p queues --bench sync_vs_mutex` (or `scripts/bench sync_vs_mutex`).
//!
//! The same tiny critical section (bump a counter) three ways, one thread and two threads:
//! * `queues_sync_1/serial_queue_sync`, `queues_sync_2/serial_queue_sync`: `queue.sync { count += 1 }`
//!   — the job goes to the queue's thread, the caller blocks for the reply;
//! * `queues_sync_1/std_mutex`, `queues_sync_2/std_mutex`: `*mutex.lock() += 1`, uncontended and
//!   with two threads fighting for it.
//!
//! With two threads the time is wall-clock per operation per thread (a perfectly scalable section
//! would match its one-thread time). The book's queues chapter shows the table `scripts/bench`
//! writes from these numbers.

// criterion's macros generate undocumented functions.
#![allow(missing_docs)]

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use racelab_dispatch::serial_queue::SerialQueue;

/// One critical section, however it is protected.
trait Section: Send + Sync + 'static {
    fn bump(&self);
}

/// State confined to a serial queue: only the queue's jobs touch the counter, so a plain load and
/// store suffice (the atomic only makes the sharing expressible in safe Rust).
struct Queued {
    queue: SerialQueue,
    count: Arc<AtomicU64>,
}

impl Section for Queued {
    fn bump(&self) {
        let count = self.count.clone();
        self.queue
            .sync(move || {
                count.store(
                    black_box(count.load(Ordering::Relaxed) + 1),
                    Ordering::Relaxed,
                )
            })
            .expect("not on the queue itself");
    }
}

impl Section for Mutex<u64> {
    fn bump(&self) {
        *self.lock().expect("not poisoned") += black_box(1);
    }
}

/// `iters` sections on each of `threads` threads, started together; the wall-clock time.
fn on_threads(section: &Arc<dyn Section>, threads: usize, iters: u64) -> Duration {
    let section = section.clone();
    racelab_testkit::bench::on_threads(threads, move |_| {
        for _ in 0..iters {
            section.bump();
        }
    })
}

fn sections() -> Vec<(&'static str, Arc<dyn Section>)> {
    vec![
        (
            "serial_queue_sync",
            Arc::new(Queued {
                queue: SerialQueue::new("bench.queue"),
                count: Arc::new(AtomicU64::new(0)),
            }),
        ),
        ("std_mutex", Arc::new(Mutex::new(0u64))),
    ]
}

fn sync_vs_mutex(c: &mut Criterion) {
    let mut group = c.benchmark_group("queues_sync_1");
    for (name, section) in sections() {
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| section.bump())
        });
    }
    group.finish();

    let mut group = c.benchmark_group("queues_sync_2");
    for (name, section) in sections() {
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter_custom(|iters| on_threads(&section, 2, iters))
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
    targets = sync_vs_mutex
}
criterion_main!(benches);
