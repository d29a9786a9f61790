//! Q4 `thread_explosion` — a thread per item runs all `N` items at once on `N` threads; a pool of
//! `k` threads (or a `k`-permit semaphore) runs at most `k`.
//!
//! Ports the guide's "Performance Considerations › 1. Thread Creation Overhead" (L488–521; the
//! code is L498–520). The guide's "BAD" code starts a `Thread` per item; its "GOOD" code sends
//! each item to a custom concurrent `DispatchQueue` with `queue.async`. The diagnosis is right; the
//! fix is only partial:
//!
//! * it holds only while `processItem` never blocks. When a concurrent queue's workers block (I/O,
//!   locks, `Thread.sleep`), GCD starts *more* worker threads to keep the CPUs busy — Apple's name
//!   for the result is "thread explosion" — up to a cap of about 64 per process; the same items
//!   that exploded as `Thread`s now explode as GCD workers, with a ceiling;
//! * it has no backpressure: `N` items become `N` closures queued at once.
//!
//! GCD's own answers are `DispatchQueue.concurrentPerform` for CPU-bound loops, and a width limit
//! (a `DispatchSemaphore`, or `OperationQueue.maxConcurrentOperationCount`) for blocking work.
//!
//! * **The check**: every item enters a `running` gauge (the kit's
//!   [`Gauge`](racelab_kit::gauge::Gauge): a count and its `fetch_max` peak), and blocks on a
//!   [`Latch`]. `main` waits — for the state itself, with
//!   [`racelab_kit::wait::until`], never a sleep — until as many items run
//!   as the manager has threads for, then opens the latch and waits for all `N` to finish. The
//!   check: `peak <= k`.
//! * **broken** ([`broken`]): `std::thread` per item: `N` threads, all `N` items running at once —
//!   guaranteed, not a matter of luck, because every item blocks until all are counted.
//! * **fixed** ([`fixed`]): a rayon pool of `k` threads: `N` items are queued, `k` run, `peak == k`;
//!   and a [`ThrottledManager`](throttled::ThrottledManager) that takes a
//!   [`DispatchSemaphore`](racelab_dispatch::semaphore::DispatchSemaphore) permit per item, so the caller
//!   itself waits — only `k` items are handed over while the first `k` are stuck.
//!
//! What a thread costs is measured, not claimed: `cargo bench -p queues --bench thread_explosion`
//! (spawn-per-item vs a rayon pool, for many small jobs).

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};
use std::thread::ThreadId;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::gauge::Gauge as InFlight;
use racelab_kit::latch::Latch;
use racelab_kit::sync::lock_unpoisoned;
use racelab_kit::wait;

pub mod broken;
pub mod fixed;
pub mod throttled;

/// How many items the scenario processes.
pub const N: usize = 64;
/// The width the fixed managers allow.
pub const K: usize = 4;

// ANCHOR: gauge
/// What the items report: how many run now and the most that ever ran at once (the kit's
/// in-flight gauge), how many are done, on which threads — and the latch every item waits on.
#[derive(Default)]
pub struct Gauge {
    running: InFlight,
    done: AtomicUsize,
    handed: AtomicUsize,
    threads: Mutex<HashSet<ThreadId>>,
    latch: Latch,
}

/// The guide's `processItem`, for an item that blocks: it counts itself in, waits on the latch,
/// and counts itself out.
pub fn process_item(item: &str, gauge: &Gauge) {
    let running = gauge.running.enter(); // running now + 1; the peak is kept with it
    lock_unpoisoned(&gauge.threads).insert(std::thread::current().id());
    gauge.latch.wait(); // blocked, e.g. on I/O
    std::hint::black_box(item);
    drop(running); // out before it counts as done
    gauge.done.fetch_add(1, SeqCst);
}
// ANCHOR_END: gauge

impl Gauge {
    /// A manager calls this for each item it hands to a thread or a pool.
    pub fn handed_over(&self) {
        self.handed.fetch_add(1, SeqCst);
    }

    /// Lets every item, present and future, run to the end.
    pub fn open_latch(&self) {
        self.latch.open();
    }

    /// Items running right now.
    pub fn running(&self) -> usize {
        self.running.now()
    }
}

/// Which manager processes the items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Manager {
    /// The guide's `BadThreadManager`: a thread per item (broken).
    ThreadPerItem,
    /// A pool of `K` threads (fixed).
    Pool,
    /// A thread per item, but only `K` in flight: a semaphore permit each (fixed).
    Throttled,
}

impl Manager {
    /// How many items can run at once: the scenario holds them all until that many run.
    pub fn threads_for(self, n: usize) -> usize {
        match self {
            Manager::ThreadPerItem => n,
            Manager::Pool | Manager::Throttled => K.min(n),
        }
    }

    fn describe(self) -> String {
        match self {
            Manager::ThreadPerItem => "a thread per item".into(),
            Manager::Pool => format!("a rayon pool of {K} threads"),
            Manager::Throttled => format!("a thread per item, {K} semaphore permits"),
        }
    }
}

/// What one run saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Items processed.
    pub items: usize,
    /// Items running at once when no more could start (all held by the latch).
    pub running_held: usize,
    /// Items handed to a thread or pool by then.
    pub handed_held: usize,
    /// The most items that ever ran at once.
    pub peak: usize,
    /// Items finished.
    pub done: usize,
    /// Distinct threads that ran an item.
    pub threads: usize,
}

// ANCHOR: scenario
/// On real threads: `n` items, each blocking on the latch. `main` waits until as many run as the
/// manager has threads for, opens the latch, and waits for all to finish. Never sleeps: every wait
/// is for the gauge itself (`wait::until`, which panics after `GATE_TIMEOUT` if the scenario is
/// wrong).
pub fn scenario(manager: Manager, n: usize) -> Outcome {
    let gauge = Arc::new(Gauge::default());
    let items: Vec<String> = (0..n).map(|i| format!("item {i}")).collect();
    let mut pool = None; // kept alive until every item is done
    let feeder = match manager {
        Manager::ThreadPerItem => {
            broken::ThreadManager::new(gauge.clone()).process_items(items);
            None
        }
        Manager::Pool => {
            pool.insert(fixed::ThreadManager::new(gauge.clone(), K))
                .process_items(items);
            None
        }
        Manager::Throttled => {
            let throttled = throttled::ThrottledManager::new(gauge.clone(), K);
            // It blocks while K items are in flight, so it feeds from a thread of its own.
            Some(std::thread::spawn(move || throttled.process_items(items)))
        }
    };
    let can_run = manager.threads_for(n);
    wait::until(format!("{can_run} items run at once"), || {
        gauge.running() == can_run
    });
    let running_held = gauge.running();
    let handed_held = gauge.handed.load(SeqCst);
    gauge.open_latch();
    wait::until(format!("the {n} items finish"), || {
        gauge.done.load(SeqCst) == n
    });
    if let Some(feeder) = feeder {
        feeder.join().expect("the feeder");
    }
    drop(pool);
    Outcome {
        items: n,
        running_held,
        handed_held,
        peak: gauge.running.peak(),
        done: gauge.done.load(SeqCst),
        threads: lock_unpoisoned(&gauge.threads).len(),
    }
}
// ANCHOR_END: scenario

/// The check both twins face: never more than `K` items at once.
pub fn explosion(outcome: &Outcome) -> Option<String> {
    (outcome.peak > K).then(|| {
        format!(
            "thread explosion: {} items ran at once on {} threads (the limit was {K})",
            outcome.peak, outcome.threads
        )
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "Q4",
    name: "thread_explosion",
    summary: "a thread per item runs every blocked item at once on its own thread; a k-thread pool or k permits run k",
    run: demo,
};

fn narrate(report: &mut Report, manager: Manager) -> Outcome {
    report.heading(format!(
        "real threads: {N} items, each blocked until main opens a latch; {}",
        manager.describe()
    ));
    let o = scenario(manager, N);
    report.line(format!(
        "main: hands {N} items to the manager ({})",
        manager.describe()
    ));
    report.line(format!(
        "main: sees {} items running at once, {} handed over; no more can start",
        o.running_held, o.handed_held
    ));
    report.line("main: opens the latch");
    report.line(format!(
        "main: sees all {} items done: at most {} ran at once, on {} thread(s)",
        o.done, o.peak, o.threads
    ));
    o
}

/// The demo: the items on real threads; the fixed twin runs both fixes.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    let managers: &[Manager] = match variant {
        Variant::Broken => &[Manager::ThreadPerItem],
        Variant::Fixed => &[Manager::Pool, Manager::Throttled],
    };
    let mut bug = None;
    for &manager in managers {
        let outcome = narrate(&mut report, manager);
        bug = bug.or(explosion(&outcome));
    }
    report.conclude(
        bug,
        format!("{N} blocking items ran at most {K} at a time, with a pool and with {K} permits"),
    );
    report
}
