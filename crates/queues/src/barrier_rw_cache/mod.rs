//! Q10 `barrier_rw_cache` — the guide's barrier cache is right; the tempting shortcut of putting
//! it on a global queue is not: GCD ignores barriers there, and a write overlaps a read.
//!
//! Ports "Dispatch Barriers for Read-Write Synchronization" › `ThreadSafeCache` (L951–977). The
//! guide's pattern is correct: on the cache's **own** concurrent queue, `getValue` (`sync`) reads
//! run side by side, and `setValue` (`async(flags: .barrier)`) waits for the reads in progress,
//! runs alone, and holds back every read enqueued after it — so a caller reads its own writes.
//! Caveats the guide does not state: a barrier only works on a concurrent queue you created (on a
//! global queue it is a plain `async`, on a serial queue it is redundant); `getValue` from inside a
//! barrier block on the same queue deadlocks (here [`ConcurrentQueue::sync`](racelab_dispatch::concurrent_queue::ConcurrentQueue::sync) refuses it); a
//! get-miss-then-set made of two calls is not atomic (two callers both miss and both compute); and
//! `Any` is not `Sendable`.
//!
//! * **The check (real threads, gated)**: a reader's `get_value` is held open, mid-read, until the
//!   write has either overlapped it or been queued behind it; then no read or write may have found
//!   the other in progress, and a read after `set_value` must see the new value. The storage is a
//!   [`RaceCell`](race_cell::RaceCell), which counts an overlap (a data race in Swift) instead of
//!   having one.
//! * **broken** ([`broken`]): the cache on a global queue ([`ConcurrentQueue::global`](racelab_dispatch::concurrent_queue::ConcurrentQueue::global)), where the
//!   barrier is ignored: the write starts while the read is in progress.
//! * **fixed** ([`fixed`]): the guide's code on the cache's own queue: the barrier waits.
//!
//! * **The compound caveat (loom)** ([`rwlock_cache`]): on the `RwLock<HashMap>` a Rust programmer
//!   would write instead, get-miss-then-set in two steps computes twice; `entry().or_insert_with`
//!   under one write lock computes once.
//!
//! No timing is involved: the read is held by a gate that opens on a fact of the writer side —
//! the cell counted a write overlapping the read (broken), or `main` reached the library's
//! [`QUEUES_BARRIER`] step, "queues a barrier … it waits for 1 running job" (fixed) — and one of
//! them happens for certain.

use std::sync::atomic::Ordering::SeqCst;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::sync::prelude::*;
use racelab_kit::trace::{Step, Trace, traced};
use racelab_kit::watchdog::{self, Outcome as Watched};
use racelab_kit::{say, wait};

use racelab_dispatch::concurrent_queue::QUEUES_BARRIER;

pub mod broken;
pub mod fixed;
pub mod race_cell;
pub mod rwlock_cache;

/// The key the scenario reads and writes.
pub const KEY: &str = "avatar";

/// What the cache's queue says as it reads a key: `reads avatar = Some(1)`.
pub const READS: Step = Step("reads");
/// What the cache's queue says once it has written a key: `writes avatar = 2`.
pub const WRITES: Step = Step("writes");

/// How many times `actor` has reached `step` so far.
fn times(trace: &Trace, actor: &str, step: Step) -> usize {
    let at = |l: &racelab_kit::trace::Line| l.step.as_ref().is_some_and(|(s, _)| *s == step);
    trace
        .lines()
        .iter()
        .filter(|l| l.actor == actor && at(l))
        .count()
}

/// What the scenario saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// What the reader held open got.
    pub reader_got: Option<u32>,
    /// What a read after `set_value` got.
    pub then_got: Option<u32>,
    /// Reads and writes that found the other in progress.
    pub races: usize,
}

/// What the scenario needs from a cache; both twins have it.
pub trait Cache: Send + Sync + 'static {
    /// An empty cache.
    fn new() -> Self;
    /// `getValue(for:)`.
    fn get_value(&self, key: &str) -> Option<u32>;
    /// `setValue(_:for:)`.
    fn set_value(&self, value: u32, key: &str);
    /// The storage's race count and read gate.
    fn storage(&self) -> &race_cell::RaceCell<std::collections::HashMap<String, u32>>;
    /// The label of the queue the cache uses.
    fn label(&self) -> &str;
}

// ANCHOR: scenario
/// On real threads: the cache holds `avatar = 1`. A `reader` thread calls `get_value`, and its
/// read is held open until the write has had its chance; meanwhile `main` calls
/// `set_value(2)`. Then `main` reads the key again.
pub fn scenario<C: Cache>(trace: &Trace) -> Outcome {
    let cache = std::sync::Arc::new(C::new());
    let label = cache.label().to_string();
    let written = |n: usize| {
        let what = format!("{label} writes {KEY} ({n})");
        wait::until(what, || times(trace, &label, WRITES) == n);
    };
    cache.set_value(1, KEY);
    written(1);
    cache.storage().hold_reads(|overlaps| {
        wait::until("the write overlaps the read or queues behind it", || {
            overlaps.load(SeqCst) > 0 || wait::reached("main", QUEUES_BARRIER)
        });
    });
    let reader = {
        let cache = cache.clone();
        Std::spawn("reader", move || cache.get_value(KEY))
    };
    wait::until("the reader reads", || {
        trace.reached(&label, READS, Some(KEY))
    });
    cache.set_value(2, KEY);
    written(2);
    let reader_got = reader.join();
    let then_got = cache.get_value(KEY);
    say!("reads {KEY} again after set_value: {then_got:?}");
    Outcome {
        reader_got,
        then_got,
        races: cache.storage().races(),
    }
}
// ANCHOR_END: scenario

/// Runs the scenario for one twin under the watchdog, with a fresh trace.
pub fn run_scenario(variant: Variant) -> (Watched<Outcome>, Trace) {
    traced(|trace| {
        let t = trace.clone();
        watchdog::watch(move || match variant {
            Variant::Broken => scenario::<broken::ThreadSafeCache>(&t),
            Variant::Fixed => scenario::<fixed::ThreadSafeCache>(&t),
        })
    })
}

/// The verdict on an outcome: `Some(what went wrong)` or `None`.
pub fn check(outcome: &Outcome) -> Option<String> {
    if outcome.races > 0 {
        return Some(format!(
            "{} write(s) overlapped a read: the barrier did not wait",
            outcome.races
        ));
    }
    if outcome.then_got != Some(2) {
        return Some(format!(
            "a read after set_value saw {:?}, not the write",
            outcome.then_got
        ));
    }
    None
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "Q10",
    name: "barrier_rw_cache",
    summary: "the guide's barrier cache is right on its own queue; on a global queue the barrier is ignored and a write overlaps a read",
    run: demo,
};

/// The demo: one held read and one write, on real threads.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    let queue = match variant {
        Variant::Broken => "a global queue (ConcurrentQueue::global)",
        Variant::Fixed => "its own concurrent queue",
    };
    report.heading(format!(
        "real threads: the cache on {queue}; a reader's get_value is held open while main calls set_value"
    ));
    let (watched, trace) = run_scenario(variant);
    report.trace(&trace);
    let bug = match watched {
        Watched::Finished(outcome) => {
            report.line(format!(
                "=> reader got {:?}; overlaps seen: {}; a read after set_value got {:?}.",
                outcome.reader_got, outcome.races, outcome.then_got
            ));
            check(&outcome)
        }
        // Neither twin blocks for good: a proof or a stall is a failed scenario, never a catch.
        Watched::Deadlocked(proof) => {
            let waits = report.deadlocked(&proof);
            (variant == Variant::Fixed).then(|| format!("deadlock: {waits}"))
        }
        Watched::Stalled { idle } => report.stall(idle, &trace),
    };
    report.conclude(
        bug,
        "the barrier waited for the read in progress, ran alone, and the next read saw it",
    );
    report
}
