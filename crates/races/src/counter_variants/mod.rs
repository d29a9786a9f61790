//! R2 `counter_variants` — every method is safe; "check, then increment" is not.
//!
//! Ports the guide's safe counters: the serial queue and the actor (L338–369, L3962–4031) and
//! `NSLock`/`DispatchSemaphore` (L4113–4206). They are all correct as far as they go — loom
//! confirms that two plain `increment`s always count 2 — and they share a trap the guide never
//! mentions: callers compose them. "Increment if below the limit", written as a `get` and an
//! `increment`, overshoots the limit; loom finds the interleaving. The fix holds one lock across
//! the check and the act.
//!
//! The guide's `attributes: .serial` (L342, L4017) does not exist in Dispatch (a serial queue is
//! the default); it is one of 18 such lines.
//!
//! [`variants`] holds six correct counters and `benches/counter_variants.rs` measures them, to
//! answer the guide's claim that a serial queue costs less than a lock (L3976, L3996).

use std::sync::Arc;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::explore::{Exploration, explore};
use racelab_kit::sync::{JoinApi, Loom, Primitives};

pub mod broken;
pub mod fixed;
pub mod variants;

/// What the checks need from either twin.
pub trait Capped: Send + Sync + 'static {
    /// A counter at zero.
    fn new() -> Self;
    /// Adds one.
    fn increment(&self);
    /// Reads the count.
    fn get(&self) -> usize;
    /// Adds one if below `limit`; says whether it did.
    fn increment_below(&self, limit: usize) -> bool;
}

macro_rules! capped {
    ($twin:ident) => {
        impl<P: Primitives> Capped for $twin::SafeCounter<P> {
            fn new() -> Self {
                $twin::SafeCounter::new()
            }
            fn increment(&self) {
                $twin::SafeCounter::increment(self)
            }
            fn get(&self) -> usize {
                $twin::SafeCounter::get(self)
            }
            fn increment_below(&self, limit: usize) -> bool {
                $twin::SafeCounter::increment_below(self, limit)
            }
        }
    };
}
capped!(broken);
capped!(fixed);

// ANCHOR: check
/// One ticket left: T0 and T1 each try to take it with `increment_below(1)`. Exactly one may
/// succeed, and the count must end at 1.
pub fn last_ticket<P: Primitives, C: Capped>() {
    let counter = Arc::new(C::new());
    let threads = ["T0", "T1"].map(|name| {
        let counter = counter.clone();
        P::spawn(name, move || counter.increment_below(1))
    });
    let winners = threads
        .into_iter()
        .map(JoinApi::join)
        .filter(|&took| took)
        .count();
    let count = counter.get();
    if count > 1 || winners != 1 {
        panic!("overshoot: limit 1, but {winners} threads took a ticket and the count is {count}");
    }
}
// ANCHOR_END: check

/// Each method alone is safe: two plain increments on two threads always count 2.
pub fn two_increments<P: Primitives, C: Capped>() {
    let counter = Arc::new(C::new());
    let threads = ["T0", "T1"].map(|name| {
        let counter = counter.clone();
        P::spawn(name, move || counter.increment())
    });
    threads.into_iter().for_each(JoinApi::join);
    let count = counter.get();
    assert_eq!(count, 2, "lost update");
}

/// Runs the last-ticket check under loom for one twin.
pub fn explore_variant(variant: Variant) -> Exploration {
    match variant {
        Variant::Broken => explore(last_ticket::<Loom, broken::SafeCounter<Loom>>),
        Variant::Fixed => explore(last_ticket::<Loom, fixed::SafeCounter<Loom>>),
    }
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "R2",
    name: "counter_variants",
    summary: "every counter method is safe; check-then-increment overshoots; one lock scope fixes it",
    run: demo,
};

/// The demo: the last-ticket search, narrated; the fixed run also shows each counter variant
/// counting correctly on real threads.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading("loom: one ticket left; T0 and T1 both call increment_below(1)");
    let x = explore_variant(variant);
    report.exploration(&x);
    if variant == Variant::Fixed {
        report.heading("real threads: each counter variant, 2 threads × 1000 increments");
        for (name, count) in variants_count(2, 1000) {
            report.line(format!("{name:<22} counts {count}"));
        }
        report.line("(their costs: `cargo bench -p races`, and the book's R2 page)");
    }
    report.conclude(
        x.failure.map(|f| f.message),
        format!(
            "exactly one thread takes the last ticket in all {} interleavings",
            x.interleavings
        ),
    );
    report
}

/// Runs `threads` × `per_thread` increments on every variant and returns each final count.
pub fn variants_count(threads: usize, per_thread: usize) -> Vec<(&'static str, usize)> {
    use variants::*;
    fn run(counter: &dyn Count, threads: usize, per_thread: usize) -> usize {
        std::thread::scope(|s| {
            for _ in 0..threads {
                s.spawn(|| (0..per_thread).for_each(|_| counter.increment()));
            }
        });
        counter.get()
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .build()
        .expect("a tokio runtime");
    let actor = runtime.block_on(async {
        let actor = ActorCounter::spawn();
        let tasks: Vec<_> = (0..threads)
            .map(|_| {
                let actor = actor.clone();
                tokio::spawn(async move {
                    for _ in 0..per_thread {
                        actor.increment().await;
                    }
                })
            })
            .collect();
        for task in tasks {
            task.await.expect("increment task");
        }
        actor.get().await
    });
    vec![
        (
            "std Mutex",
            run(&StdMutexCounter::default(), threads, per_thread),
        ),
        (
            "parking_lot Mutex",
            run(&ParkingLotCounter::default(), threads, per_thread),
        ),
        (
            "RwLock (write)",
            run(&RwLockCounter::default(), threads, per_thread),
        ),
        (
            "AtomicUsize fetch_add",
            run(&AtomicCounter::default(), threads, per_thread),
        ),
        (
            "serial queue (sync)",
            run(&SerialQueueCounter::default(), threads, per_thread),
        ),
        ("tokio actor", actor),
    ]
}
