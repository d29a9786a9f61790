//! R2, fixed: the check and the act happen inside one critical section.
//!
//! Making each method safe is not enough; the *invariant* ("never above the limit") must be
//! protected by one lock held across the check and the act. The same holds for every variant:
//! one `queue.sync { }` block around both, one actor method, or a single atomic
//! `fetch_update`/compare-exchange loop.

use racelab_kit::say;
use racelab_kit::sync::prelude::*;

use super::{Capped, Counter};

// ANCHOR: counter
/// The guide's `SafeCounterWithLock`: one lock, taken by every method.
pub struct SafeCounter<P: Primitives> {
    count: P::Mutex<usize>,
}

impl<P: Primitives> Counter for SafeCounter<P> {
    /// A counter at zero.
    fn new() -> Self {
        SafeCounter {
            count: P::Mutex::new(0),
        }
    }

    /// Adds one, under the lock.
    fn increment(&self) {
        *self.count.lock() += 1;
    }

    /// Reads the count, under the lock.
    fn get(&self) -> usize {
        *self.count.lock()
    }
}

impl<P: Primitives> Capped for SafeCounter<P> {
    /// Adds one if the count is below `limit`; says whether it did.
    fn increment_below(&self, limit: usize) -> bool {
        let mut count = self.count.lock(); // one critical section for the check and the act
        say!("sees {}", *count);
        if *count >= limit {
            return false;
        }
        *count += 1;
        say!("increments");
        true
    }
}
// ANCHOR_END: counter
