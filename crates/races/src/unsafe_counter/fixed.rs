//! R1, fixed: the read, the add and the write happen as one indivisible step.
//!
//! `fetch_add` is a single read-modify-write instruction (`lock xadd` on x86): no other thread's
//! write can land between its read and its write, so no increment is ever lost. The ordering stays
//! `SeqCst` only so that the twins differ in one statement: `Relaxed` is enough for a counter, which needs
//! every increment to count, not to order other memory (R3 shows when ordering does matter).

use racelab_kit::say;
use racelab_kit::sync::prelude::*;

// ANCHOR: counter
/// The counter with an indivisible increment.
pub struct Counter<P: Primitives> {
    count: P::AtomicUsize,
}

impl<P: Primitives> super::Counter for Counter<P> {
    /// A counter at zero.
    fn new() -> Self {
        Counter {
            count: P::AtomicUsize::new(0),
        }
    }

    /// Read, add and write in one atomic step.
    fn increment(&self) {
        let seen = self.count.fetch_add(1, SeqCst); // one step: nothing can land in between
        say!("reads {seen} and writes {} in one step", seen + 1);
    }

    /// The current count.
    fn get(&self) -> usize {
        self.count.load(SeqCst)
    }
}
// ANCHOR_END: counter
