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

use std::sync::Arc;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::lock::{LOCKS, UNLOCKS, WANTS};
use racelab_kit::say;
use racelab_kit::sync::prelude::*;
use racelab_kit::trace::{Trace, traced};
use racelab_kit::wait;
use racelab_kit::watchdog::{self, Outcome};

pub mod broken;
pub mod fixed;

/// Runs a closure when dropped: the guide's `defer { }`.
pub struct Defer<F: FnMut()>(pub F);

impl<F: FnMut()> Drop for Defer<F> {
    fn drop(&mut self) {
        (self.0)()
    }
}

/// What the paper checks need from either detector.
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

impl Detector for broken::DeadlockDetector {
    fn new() -> Self {
        broken::DeadlockDetector::new()
    }
    fn request(&self, thread: &str, lock: &str) -> bool {
        self.acquire_lock(lock, thread)
    }
    fn acquired(&self, _thread: &str, _lock: &str) {}
    fn would_deadlock(&self, thread: &str, lock: &str) -> bool {
        self.would_cause_deadlock(lock, thread)
    }
    fn edges(&self) -> Vec<String> {
        broken::DeadlockDetector::edges(self)
    }
}

impl Detector for fixed::DeadlockDetector {
    fn new() -> Self {
        fixed::DeadlockDetector::new()
    }
    fn request(&self, thread: &str, lock: &str) -> bool {
        self.acquire_lock(lock, thread)
    }
    fn acquired(&self, thread: &str, lock: &str) {
        fixed::DeadlockDetector::acquired(self, lock, thread)
    }
    fn would_deadlock(&self, thread: &str, lock: &str) -> bool {
        self.would_cause_deadlock(lock, thread)
    }
    fn edges(&self) -> Vec<String> {
        fixed::DeadlockDetector::edges(self)
    }
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

/// [`abba`] told in words, with the detector's graph: what the demo prints and the test pins.
pub fn abba_on_paper<D: Detector>() -> (bool, String) {
    let detector = D::new();
    let deadlock = abba(&detector);
    let mut text = String::from("T1 holds A, T2 holds B, T1 waits for B.\n");
    text.push_str(&format!(
        "would T2 waiting for A deadlock? the detector says: {}\n",
        if deadlock { "yes" } else { "no" }
    ));
    text.push_str("its graph:\n");
    for edge in detector.edges() {
        text.push_str(&format!("   {edge}\n"));
    }
    (deadlock, text)
}

/// What the real-thread scenarios need from either lock manager.
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

macro_rules! manager {
    ($twin:ident) => {
        impl Manager for $twin::SafeLockManager {
            fn new(lock_names: &[&'static str]) -> Self {
                $twin::SafeLockManager::new(lock_names)
            }
            fn with_lock<T>(&self, lock_name: &str, operation: impl FnOnce() -> T) -> Option<T> {
                $twin::SafeLockManager::with_lock(self, lock_name, operation)
            }
            fn with_multiple_locks<T>(
                &self,
                lock_names: &[&str],
                operation: impl FnOnce() -> T,
            ) -> Option<T> {
                $twin::SafeLockManager::with_multiple_locks(self, lock_names, operation)
            }
        }
    };
}
manager!(broken);
manager!(fixed);

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
    run: demo,
};

/// The demo: the detector on paper, then wired into the lock manager on real threads.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading("on paper: the textbook deadlock, fed to the detector");
    let (deadlock, text) = match variant {
        Variant::Broken => abba_on_paper::<broken::DeadlockDetector>(),
        Variant::Fixed => abba_on_paper::<fixed::DeadlockDetector>(),
    };
    report.line(text.trim_end());

    report.heading("real threads: T1 takes A then B, T2 takes B then A, through the manager");
    let (outcome, trace) = run_gated(variant);
    report.trace(&trace);
    let watched_result = match &outcome {
        Outcome::Finished(done) => Some(*done),
        _ => None,
    };
    let hung = match outcome {
        Outcome::Finished((t1, t2)) => {
            report.line(format!(
                "=> both threads finished (T1 got in: {}, T2 got in: {}).",
                yes(t1),
                yes(t2)
            ));
            None
        }
        Outcome::Deadlocked(proof) => Some(report.deadlocked(&proof)),
        Outcome::Stalled { idle } => Some(format!("stalled: {}", report.stalled(idle, &trace))),
    };

    let both_got_in = matches!(watched_result, Some((true, true)));
    let bug = match (variant, deadlock, hung) {
        (Variant::Broken, false, Some(waits)) => Some(format!(
            "the detector saw no cycle on paper, and let T1 and T2 deadlock: {waits}"
        )),
        (Variant::Broken, _, _) => None,
        (Variant::Fixed, true, None) if both_got_in => None,
        (Variant::Fixed, deadlock, hung) => Some(format!(
            "cycle seen on paper: {}; real threads: {}",
            yes(deadlock),
            hung.unwrap_or_else(|| "finished, but not both got in".into())
        )),
    };
    report.conclude(
        bug,
        "the detector names the cycle on paper, and on real threads refuses the lock that would close it",
    );
    report
}

fn yes(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}
