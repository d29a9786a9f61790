//! R4, broken: two methods take the same two locks in opposite orders.
//!
//! This version is problematic.
//!
//! The guide's `DeadlockExample` (L377–402), line for line. `method1` takes `lock1` then `lock2`;
//! `method2` takes `lock2` then `lock1`. If each gets its first lock before the other gets its
//! second, each waits for a lock the other holds — forever. The guide widens the window with
//! `Thread.sleep(0.1)` "to simulate some work"; here that spot is the `work` parameter, so a test
//! can put a gate there and make the bad order certain instead of likely.

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

    /// Takes `lock2`, does some `work`, then takes `lock1` — the opposite order.
    fn method2(&self, work: impl FnOnce()) {
        let _first = self.lock2.lock(); // lock2 first: the opposite of method1
        work();
        let _second = self.lock1.lock();
        say!("is in the critical section");
    }
}
// ANCHOR_END: locks
