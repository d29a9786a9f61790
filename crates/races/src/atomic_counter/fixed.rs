//! R3, fixed: a counter that is atomic.
//!
//! The counter keeps its count in an `AtomicUsize` — what the guide's `AtomicCounter` is named
//! after but never uses — and `count += 1` becomes `fetch_add`, one read-modify-write that no other
//! thread can split. `Relaxed` is enough there: a counter needs every increment to count, not to
//! order any other memory. (The guide's own `increment()`, one `.barrier` block, is also correct: it
//! is the same fix with a lock, `*count.write() += 1`.) The flag, where ordering *is* the point, is
//! its own twin in [`super::message`].

use racelab_kit::say;
use racelab_kit::sync::prelude::*;

// ANCHOR: counter
/// The counter, made of what its name says: an atomic.
pub struct Counter<P: Primitives> {
    count: P::AtomicUsize, // an atomic, not a lock around a plain integer
}

impl<P: Primitives> Counter<P> {
    /// Sets the count.
    pub fn set(&self, value: usize) {
        self.count.store(value, Relaxed);
        say!("sets {value}");
    }
}

impl<P: Primitives> super::Counter for Counter<P> {
    /// A counter at zero.
    fn new() -> Self {
        Counter {
            count: P::AtomicUsize::new(0),
        }
    }

    /// Reads the count.
    fn get(&self) -> usize {
        let seen = self.count.load(Relaxed);
        say!("gets {seen}");
        seen
    }

    /// `count += 1` as one indivisible step.
    fn increment(&self) {
        let seen = self.count.fetch_add(1, Relaxed); // get, add and set in one step: no gap
        say!("gets {seen} and sets {} in one step", seen + 1);
    }
}
// ANCHOR_END: counter
