//! R3, broken: the guide's `AtomicCounter`, whose `count += 1` is a get and a separate set.
//!
//! This version is problematic.
//!
//! The guide's class (L4268–4288) has no atomics in it: `count` is a property whose getter is
//! `queue.sync { _count }` (a shared read) and whose setter is a `.barrier` block (an exclusive
//! write). Each accessor is safe on its own; `counter.count += 1` calls them one after the other,
//! and another thread can run its own get and set in between. Here that is an `RwLock<usize>`:
//! `get` takes the read lock, `set` the write lock, and `increment` is the caller's `count += 1`.
//! The section's memory-ordering lesson is its own twin, in [`super::message`].

use racelab_kit::say;
use racelab_kit::sync::prelude::*;

// ANCHOR: counter
/// The guide's `AtomicCounter` (L4268–4288): a count behind a reader-writer lock.
pub struct Counter<P: Primitives> {
    count: P::RwLock<usize>,
}

impl<P: Primitives> Counter<P> {
    /// The setter, `queue.async(flags: .barrier) { self._count = newValue }`: an exclusive write.
    pub fn set(&self, value: usize) {
        *self.count.write() = value;
        say!("sets {value}");
    }
}

impl<P: Primitives> super::Counter for Counter<P> {
    /// A counter at zero.
    fn new() -> Self {
        Counter {
            count: P::RwLock::new(0),
        }
    }

    /// The getter, `queue.sync { _count }`: a shared read.
    fn get(&self) -> usize {
        let seen = *self.count.read();
        say!("gets {seen}");
        seen
    }

    /// The caller's `counter.count += 1`: get, add one, set — two lock scopes, with a gap between.
    fn increment(&self) {
        self.set(self.get() + 1); // another thread may set between our get and our set
    }
}
// ANCHOR_END: counter
