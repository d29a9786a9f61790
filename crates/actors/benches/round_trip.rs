//! Is an actor "efficient concurrent access without locks" (guide L278, L1992)? This measures it —
//! `cargo bench -p actors --bench round_trip` (or `scripts/bench round_trip`).
//!
//! The same tiny critical section (bump a counter) three ways, from async code, with one task and
//! with two tasks at once:
//! * `actor_ask`: `handle.ask(Bump)` — a message into the actor's mailbox, a `oneshot` reply back
//!   ([`racelab_actor`]);
//! * `tokio_mutex`: `*mutex.lock().await += 1` on a `tokio::sync::Mutex`;
//! * `std_mutex`: `*mutex.lock() += 1` on a `std::sync::Mutex`, held briefly and never across an
//!   `.await` (the case tokio's docs recommend it for).
//!
//! One task runs on a `current_thread` runtime; two tasks on a 2-worker `multi_thread` runtime,
//! spawned together, timed until both finish (ns per operation per task: a perfectly scalable
//! section would match its one-task time). Real time, not the paused clock: this is a benchmark,
//! not a check. The book's actors chapter shows the table `scripts/bench` writes from these.

// criterion's macros generate undocumented functions.
#![allow(missing_docs)]

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use racelab_actor::{Actor, Handle, Reply, WeakHandle};
use tokio::runtime::{Builder, Runtime};

/// The counter as an actor: one message, answered once the count is bumped.
struct Counter(u64);

impl Actor for Counter {
    type Message = Reply<()>;
    async fn handle(&mut self, reply: Reply<()>, _me: &WeakHandle<Self>) {
        self.0 += black_box(1);
        let _ = reply.send(());
    }
}

/// One way to protect the counter.
#[derive(Clone)]
enum Section {
    Actor(Handle<Counter>),
    Tokio(Arc<tokio::sync::Mutex<u64>>),
    Std(Arc<std::sync::Mutex<u64>>),
}

impl Section {
    async fn bump(&self) {
        match self {
            Section::Actor(handle) => handle.ask(|reply| reply).await.expect("the actor runs"),
            Section::Tokio(mutex) => *mutex.lock().await += black_box(1),
            Section::Std(mutex) => *mutex.lock().expect("not poisoned") += black_box(1),
        }
    }

    /// Built inside the runtime that will use it (the actor's task is spawned there).
    fn new(kind: &str) -> Section {
        match kind {
            "actor_ask" => Section::Actor(racelab_actor::spawn("counter", Counter(0)).0),
            "tokio_mutex" => Section::Tokio(Arc::new(tokio::sync::Mutex::new(0))),
            _ => Section::Std(Arc::new(std::sync::Mutex::new(0))),
        }
    }
}

const KINDS: [&str; 3] = ["actor_ask", "tokio_mutex", "std_mutex"];

/// `iters` bumps on each of `tasks` tasks spawned together; the wall-clock time until all finish.
fn run(runtime: &Runtime, kind: &str, tasks: usize, iters: u64) -> Duration {
    runtime.block_on(async {
        let section = Section::new(kind);
        let start = Instant::now();
        let workers: Vec<_> = (0..tasks)
            .map(|_| {
                let section = section.clone();
                tokio::spawn(async move {
                    for _ in 0..iters {
                        section.bump().await;
                    }
                })
            })
            .collect();
        for worker in workers {
            worker.await.expect("a bench task");
        }
        start.elapsed()
    })
}

fn round_trip(c: &mut Criterion) {
    let one = Builder::new_current_thread().build().expect("a runtime");
    let two = Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .expect("a runtime");
    for (group, runtime, tasks) in [
        ("actors_round_trip_1", &one, 1),
        ("actors_round_trip_2", &two, 2),
    ] {
        let mut group = c.benchmark_group(group);
        group.warm_up_time(Duration::from_millis(500));
        group.measurement_time(Duration::from_secs(2));
        for kind in KINDS {
            group.bench_function(kind, |b| {
                b.iter_custom(|iters| run(runtime, kind, tasks, iters))
            });
        }
        group.finish();
    }
}

criterion_group!(benches, round_trip);
criterion_main!(benches);
