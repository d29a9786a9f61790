//! R4 `lock_ordering` — two locks taken in opposite orders deadlock; one global order does not.
//!
//! Ports the guide's "2. Deadlocks" (L371–439). The guide is right on both counts: its
//! `DeadlockExample` can deadlock and its `SafeLockExample` cannot. What racelab adds is proof
//! instead of a sleep:
//!
//! * **loom** runs `method1` and `method2` on two threads in every interleaving: the broken twin
//!   deadlocks in one of them (loom reports every thread blocked), the fixed twin finishes in all.
//! * **real threads** run the same two methods with a gate in the guide's "simulate some work"
//!   spot, which holds each thread after its first lock until the other has made its move. The
//!   broken twin then deadlocks every time; the [`watchdog`] proves it the moment the second
//!   thread blocks — "T0 waits for lock2 held by T1; T1 waits for lock1 held by T0", a cycle — and
//!   the demo exits by itself.
//!
//! Not in the guide: `NSLock` is not recursive, so a `method1` that calls itself while holding
//! `lock1` deadlocks alone. `std::sync::Mutex` is not re-entrant either (a second `lock()` on the
//! same thread may deadlock or panic); parking_lot's `ReentrantMutex` is the explicit opt-in.

use std::sync::Arc;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::explore::{Exploration, explore};
use racelab_kit::lock::{LOCKS, WANTS};
use racelab_kit::sync::prelude::*;
use racelab_kit::trace::{Trace, traced};
use racelab_kit::wait;
use racelab_kit::watchdog::{self, Outcome};

pub mod broken;
pub mod fixed;

/// What the checks need from either twin; each twin implements it in its own file.
pub trait TwoLocks: Send + Sync + 'static {
    /// Both locks free.
    fn new() -> Self;
    /// The method that takes `lock1` first.
    fn method1(&self, work: impl FnOnce());
    /// The other method.
    fn method2(&self, work: impl FnOnce());
}

// ANCHOR: check
/// T0 calls `method1` while T1 calls `method2`; both must finish. (Under loom, "must finish" is
/// checked by loom itself: if every thread is blocked it reports a deadlock.)
pub fn both_methods<P: Primitives, L: TwoLocks>() {
    let locks = Arc::new(L::new());
    let t0 = {
        let locks = locks.clone();
        P::spawn("T0", move || locks.method1(|| {}))
    };
    let t1 = {
        let locks = locks.clone();
        P::spawn("T1", move || locks.method2(|| {}))
    };
    t0.join();
    t1.join();
}
// ANCHOR_END: check

/// Runs the check under loom for one twin.
pub fn explore_variant(variant: Variant) -> Exploration {
    match variant {
        Variant::Broken => explore(both_methods::<Loom, broken::DeadlockExample<Loom>>),
        Variant::Fixed => explore(both_methods::<Loom, fixed::DeadlockExample<Loom>>),
    }
}

// ANCHOR: gated
/// The same two calls on real threads, with gates where the guide sleeps. T1 starts once T0
/// holds its first lock; T0's "work" waits until T1 holds a lock or is blocked on one; T1's
/// "work" waits until T0 has gone for its second lock. Whatever the twin, every step happens in
/// one order, so the narration is the same on every run.
pub fn gated<L: TwoLocks>() -> Outcome<()> {
    watchdog::watch(|| {
        let locks = Arc::new(L::new());
        let t0 = {
            let locks = locks.clone();
            Std::spawn("T0", move || {
                locks.method1(|| {
                    wait::until("T1 locks or blocks", || {
                        wait::reached("T1", LOCKS) || wait::blocked("T1")
                    })
                })
            })
        };
        wait::until("T0 locks lock1", || wait::reached("T0", LOCKS));
        let t1 = {
            let locks = locks.clone();
            Std::spawn("T1", move || {
                locks.method2(|| {
                    wait::until("T0 wants lock2", || wait::reached_on("T0", WANTS, "lock2"))
                })
            })
        };
        t0.join();
        t1.join();
    })
}
// ANCHOR_END: gated

/// Runs the gated scenario for one twin and returns its trace.
pub fn run_gated(variant: Variant) -> (Outcome<()>, Trace) {
    traced(|_| match variant {
        Variant::Broken => gated::<broken::DeadlockExample<Std>>(),
        Variant::Fixed => gated::<fixed::DeadlockExample<Std>>(),
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "R4",
    name: "lock_ordering",
    summary: "two locks taken in opposite orders deadlock; one global order does not",
    run: demo,
};

/// The demo: loom's search, then real threads under the watchdog.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading("loom: T0 calls method1 while T1 calls method2, in every possible order");
    let x = explore_variant(variant);
    report.exploration(&x);

    report.heading("real threads: gates hold each thread after its first lock");
    let (outcome, trace) = run_gated(variant);
    report.trace(&trace);
    let stuck = match outcome {
        Outcome::Finished(()) => {
            report.line("=> both threads finished.");
            None
        }
        Outcome::Deadlocked(proof) => Some(Ok(report.deadlocked(&proof))),
        Outcome::Stalled { idle } => Some(Err(report.stalled(idle, &trace))),
    };

    let loom_deadlock = x.failure.as_ref().is_some_and(|f| f.is_deadlock());
    let bug = match (variant, loom_deadlock, stuck) {
        (Variant::Broken, true, Some(Ok(cycle))) => Some(format!("deadlock: {cycle}")),
        (Variant::Broken, _, _) => None,
        (Variant::Fixed, false, None) => None,
        (Variant::Fixed, loom, stuck) => Some(format!(
            "loom deadlock: {loom}; real threads: {}",
            match stuck {
                Some(Ok(proof)) => format!("deadlocked: {proof}"),
                Some(Err(words)) => format!("stalled: {words}"),
                None => "finished".into(),
            }
        )),
    };
    report.conclude(
        bug,
        format!(
            "both threads finish in all {} interleavings and on real threads",
            x.interleavings
        ),
    );
    report
}
