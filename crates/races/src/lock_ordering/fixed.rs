//! R4, fixed: every method takes the locks in one global order — `lock1`, then `lock2`.
//!
//! The guide's `SafeLockExample` (L413–438). A cycle of waiting needs some thread to hold a
//! later lock while wanting an earlier one; with one order for everybody, whoever holds `lock1`
//! never waits for a thread that holds `lock2` but wants `lock1`, because no such thread exists.
//! The guide is right here. (Rust's guards release in reverse order on scope exit, which is what
//! the guide's `defer`s do.)

use racelab_kit::lock::NamedMutex;
use racelab_kit::say;
use racelab_kit::sync::prelude::*;

// ANCHOR: locks
/// Two locks, and two methods that need both.
pub struct DeadlockExample<P: Primitives> {
    lock1: NamedMutex<P, ()>,
    lock2: NamedMutex<P, ()>,
}

impl<P: Primitives> super::TwoLocks for DeadlockExample<P> {
    /// Both locks free.
    fn new() -> Self {
        DeadlockExample {
            lock1: NamedMutex::new("lock1", ()),
            lock2: NamedMutex::new("lock2", ()),
        }
    }

    /// Takes `lock1`, does some `work`, then takes `lock2`.
    fn method1(&self, work: impl FnOnce()) {
        let _first = self.lock1.lock();
        work();
        let _second = self.lock2.lock();
        say!("is in the critical section");
    }

    /// Takes `lock1`, does some `work`, then takes `lock2` — the same order as `method1`.
    fn method2(&self, work: impl FnOnce()) {
        let _first = self.lock1.lock(); // lock1 first, like everybody else
        work();
        let _second = self.lock2.lock();
        say!("is in the critical section");
    }
}
// ANCHOR_END: locks
