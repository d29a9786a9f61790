//! R2, broken: every method is thread-safe, and the composition still races.
//!
//! This version is problematic.
//!
//! The guide's `SafeCounterWithLock` (L4172–4187) is correct: `increment` and `getCount` each
//! hold the lock for their whole body. The bug is in what callers build from them. "Take a ticket
//! if any are left" — `if counter.getCount() < limit { counter.increment() }` — is two critical
//! sections with a gap between them, and two threads can both pass the check before either
//! increments: the counter overshoots its limit.

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
        let seen = self.get(); // one critical section…
        say!("sees {seen}");
        if seen >= limit {
            return false;
        }
        self.increment(); // …and another: the count may have changed in between
        say!("increments");
        true
    }
}
// ANCHOR_END: counter
