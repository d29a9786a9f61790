//! The ABBA deadlock on parking_lot's locks, for parking_lot's deadlock detector (cargo feature
//! `deadlock-detection`, which `scripts/detectors` turns on for its own build only: the detector
//! adds bookkeeping to every parking_lot lock, which would skew R2's benchmarks).
//!
//! The detector only sees parking_lot's own locks, so R4's `DeadlockExample` (std `Mutex`) is
//! invisible to it; this is the same two methods on `parking_lot::Mutex`. A background check
//! (`parking_lot::deadlock::check_deadlock`) walks the graph of who holds and who waits for which
//! lock and reports each cycle once.

use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use parking_lot::Mutex;

/// R4's `DeadlockExample`, on parking_lot's locks.
pub struct DeadlockExample {
    lock1: Mutex<()>,
    lock2: Mutex<()>,
}

impl DeadlockExample {
    /// Both free.
    pub fn new() -> Self {
        DeadlockExample {
            lock1: Mutex::new(()),
            lock2: Mutex::new(()),
        }
    }

    /// `lock1`, then `lock2`.
    pub fn method1(&self) {
        let _first = self.lock1.lock();
        let _second = self.lock2.lock();
    }

    /// `lock2`, then `lock1`: the opposite order.
    pub fn method2(&self) {
        let _first = self.lock2.lock();
        let _second = self.lock1.lock();
    }
}

impl Default for DeadlockExample {
    fn default() -> Self {
        Self::new()
    }
}

/// How one run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Both threads finished: no deadlock this time.
    Finished,
    /// The detector reported a cycle of this many threads (they are stuck for good, left behind).
    Reported(usize),
    /// Neither, within the time limit (stuck, but not reported).
    Stuck,
}

/// One run: T0 calls `method1` and T1 `method2`, `k` times each, while this thread polls the
/// detector, for at most `limit`.
pub fn run_once(k: usize, limit: Duration) -> Outcome {
    let locks = Arc::new(DeadlockExample::new());
    let t0 = {
        let locks = locks.clone();
        thread::spawn(move || (0..k).for_each(|_| locks.method1()))
    };
    let t1 = {
        let locks = locks.clone();
        thread::spawn(move || (0..k).for_each(|_| locks.method2()))
    };
    let started = Instant::now();
    loop {
        let cycles = parking_lot::deadlock::check_deadlock();
        if let Some(cycle) = cycles.first() {
            return Outcome::Reported(cycle.len());
        }
        if t0.is_finished() && t1.is_finished() {
            return Outcome::Finished;
        }
        if started.elapsed() > limit {
            return Outcome::Stuck;
        }
        // Polling, not ordering: the two threads run freely; this only paces the checks.
        thread::sleep(Duration::from_micros(200));
    }
}
