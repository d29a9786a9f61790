//! R8 `deadlock_detector` — the guide's detector never sees a cycle; a wait-for graph does.
//!
//! Ports the guide's "Deadlock Detection and Prevention" (L4616–4803): a `DeadlockDetector` that
//! keeps a graph of who asked for which lock and refuses a request that would close a cycle, and a
//! `SafeLockManager` that asks it before every `lock()`. The detector's graph only ever has edges
//! from a thread to a lock, so it can never contain a cycle, and it approves everything
//! (`broken.rs`). A tester that cannot fail is the worst kind, so racelab tests the tester:
//!
//! * **On paper** ([`abba`]): the detector is a plain data structure, so a test feeds it the
//!   textbook deadlock — T1 holds A, T2 holds B, T1 waits for B — and asks whether T2 waiting for A
//!   would deadlock. The guide's says no; the fixed one (a wait-for graph: thread → the lock it
//!   waits for → that lock's owner, `fixed.rs`) says yes and names the cycle, and raises no alarm
//!   on a plain chain of contention ([`chain`]).
//! * **On real threads** ([`gated`]): each detector wired into the guide's lock manager, and two
//!   threads taking A then B and B then A, with gates forcing each to take its first lock before
//!   the other asks for its second (as in R4). The guide's manager deadlocks — the
//!   [`watchdog`] proves it ("T1 waits for B held by T2; T2 waits for A held by T1": the very
//!   wait-for cycle the fixed detector looks for). The fixed one refuses T2's request for A, T2
//!   lets B go, T1 finishes, and T2 tries again and finishes too.
//!
//! parking_lot ships the professional version: with its `deadlock_detection` feature,
//! `parking_lot::deadlock::check_deadlock()` finds the same cycle among real, blocked threads.
//! That feature changes parking_lot for every crate built alongside it (it roughly triples an
//! uncontended `parking_lot::Mutex` lock/unlock — measured in the book), so it lives in its own
//! crate, `crates/races-deadlock-detection`, which `races` does not depend on.
//!
//! The twins are a **declared rewrite**: the guide's graph has the wrong kind of edge, so the
//! fixed detector is a different data structure, not a changed line. The key lines (the book shows
//! them side by side, `// ANCHOR: key`): the broken `acquire_lock` adds the edge thread → lock it
//! asked for, and its cycle search has nothing to follow out of a lock; the fixed `acquire_lock`
//! walks `WaitFor::cycle` (lock → owner → the lock the owner waits for → …) before it records the
//! wait, and the new `acquired` records the owner — called by the manager right after the real
//! `lock()` (`self.detector.acquired(lock_name, &thread_id)`), the one line the manager gains.
//! The guide's `defer` is `scopeguard::guard`.

use std::sync::Arc;

use racelab_kit::demo::{Demo, Variant};
use racelab_kit::lock::{LOCKS, UNLOCKS, WANTS};
use racelab_kit::say;
use racelab_kit::sync::prelude::*;
use racelab_kit::trace::{Trace, traced};
use racelab_kit::wait;
use racelab_kit::watchdog::{self, Outcome};

pub mod broken;
pub mod fixed;
pub mod harness;
pub mod narrate;

pub use narrate::abba_on_paper;

/// What the paper checks need from either detector. The twins' APIs differ (the guide's detector
/// is never told that a lock was taken), so the adapters are hand-written, in [`harness`].
pub trait Detector: Send + Sync + 'static {
    /// An empty graph.
    fn new() -> Self;
    /// `thread` asks for `lock` (is about to wait for it); `false` if refused.
    fn request(&self, thread: &str, lock: &str) -> bool;
    /// `thread` got `lock` (the guide's detector is not told: it counts the request as holding).
    fn acquired(&self, thread: &str, lock: &str);
    /// Whether `thread` waiting for `lock` would deadlock.
    fn would_deadlock(&self, thread: &str, lock: &str) -> bool;
    /// The graph, one edge per line.
    fn edges(&self) -> Vec<String>;
}

/// `thread` asks for `lock`, is granted it, and takes it.
fn holds<D: Detector>(detector: &D, thread: &str, lock: &str) {
    assert!(
        detector.request(thread, lock),
        "{thread} may take a free {lock}"
    );
    detector.acquired(thread, lock);
}

// ANCHOR: abba
/// The textbook deadlock, fed to a detector: T1 holds A, T2 holds B, T1 waits for B. Would T2
/// waiting for A deadlock? (It would: T2 waits for A, held by T1, who waits for B, held by T2.)
pub fn abba<D: Detector>(detector: &D) -> bool {
    holds(detector, "T1", "A");
    holds(detector, "T2", "B");
    assert!(
        detector.request("T1", "B"),
        "T1 may wait for B: no cycle yet"
    );
    detector.would_deadlock("T2", "A")
}

/// A plain contention chain, no cycle: T1 holds A; T2 holds B and waits for A. Would T3 waiting
/// for B deadlock? (No: T1 will release A, then T2 gets it and releases B.)
pub fn chain<D: Detector>(detector: &D) -> bool {
    holds(detector, "T1", "A");
    holds(detector, "T2", "B");
    assert!(detector.request("T2", "A"), "T2 may wait for A: no cycle");
    detector.would_deadlock("T3", "B")
}
// ANCHOR_END: abba

/// What the real-thread scenarios need from either lock manager; each twin's `SafeLockManager`
/// implements it in its own file.
pub trait Manager: Send + Sync + 'static {
    /// One lock per name.
    fn new(lock_names: &[&'static str]) -> Self;
    /// Runs `operation` holding `lock_name`; `None` if refused.
    fn with_lock<T>(&self, lock_name: &str, operation: impl FnOnce() -> T) -> Option<T>;
    /// Runs `operation` holding every lock named; `None` if refused.
    fn with_multiple_locks<T>(
        &self,
        lock_names: &[&str],
        operation: impl FnOnce() -> T,
    ) -> Option<T>;
}

// ANCHOR: gated
/// T1 takes A then B while T2 takes B then A, through the manager, on real threads. T2 starts
/// once T1 holds A; T1 asks for B once T2 holds B; T2 asks for A once T1 has asked for B. If
/// T2 is refused, it has let B go; it waits for T1 to finish and tries once more. Returns
/// whether each thread got into its critical section.
pub fn gated<M: Manager>() -> Outcome<(bool, bool)> {
    watchdog::watch(move || {
        let manager = Arc::new(M::new(&["A", "B"]));
        let t1 = {
            let manager = manager.clone();
            Std::spawn("T1", move || {
                manager.with_lock("A", || {
                    wait::until("T2 locks B", || wait::reached_on("T2", LOCKS, "B"));
                    manager.with_lock("B", || say!("is in the critical section"))
                })
            })
        };
        wait::until("T1 locks A", || wait::reached_on("T1", LOCKS, "A"));
        let t2 = {
            let manager = manager.clone();
            Std::spawn("T2", move || {
                let first = manager.with_lock("B", || {
                    wait::until("T1 wants B", || wait::reached_on("T1", WANTS, "B"));
                    manager.with_lock("A", || say!("is in the critical section"))
                });
                if first.flatten().is_some() {
                    return true;
                }
                wait::until("T1 unlocks A", || wait::reached_on("T1", UNLOCKS, "A"));
                say!("tries again");
                let again = manager.with_lock("B", || {
                    manager.with_lock("A", || say!("is in the critical section"))
                });
                again.flatten().is_some()
            })
        };
        let t1_done = t1.join().flatten().is_some();
        (t1_done, t2.join())
    })
}
// ANCHOR_END: gated

/// Runs the gated scenario for one twin and returns its trace.
pub fn run_gated(variant: Variant) -> (Outcome<(bool, bool)>, Trace) {
    traced(|_| match variant {
        Variant::Broken => gated::<broken::SafeLockManager>(),
        Variant::Fixed => gated::<fixed::SafeLockManager>(),
    })
}

// ANCHOR: duplicate
/// One thread, `with_multiple_locks(["B", "A", "A"])`: a name given twice. (The watchdog's
/// threads narrate into the caller's trace, as everywhere.)
pub fn duplicate_name<M: Manager>() -> Outcome<bool> {
    watchdog::watch(move || {
        let manager = Arc::new(M::new(&["A", "B"]));
        let t1 = Std::spawn("T1", move || {
            manager.with_multiple_locks(&["B", "A", "A"], || say!("is in the critical section"))
        });
        t1.join().is_some()
    })
}
// ANCHOR_END: duplicate

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "R8",
    name: "deadlock_detector",
    summary: "the guide's detector never sees a cycle; a wait-for graph refuses the lock that closes one",
    run: narrate::demo,
};
