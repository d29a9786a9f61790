//! R1, broken: `count += 1` done as a separate read and write.
//!
//! This version is problematic.
//!
//! Safe Rust will not compile the guide's `UnsafeCounter` at all (a plain `usize` shared between
//! threads is either not `Sync` or not mutable — see `tests/compile_fail/unsafe_counter.rs`). The
//! closest program safe Rust *does* accept keeps the count in an atomic but still reads and writes
//! it in two steps, which is exactly what `count += 1` means in Swift. No undefined behaviour any
//! more — but the race on the *value* is still there. It even uses `SeqCst`, the strongest ordering:
//! ordering is not the problem, the gap between the read and the write is.

use racelab_kit::say;
use racelab_kit::sync::prelude::*;

// ANCHOR: counter
/// The guide's `UnsafeCounter` (L317–327), with its `count` in an atomic.
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

    /// `count += 1`, spelled out: read, add, write.
    fn increment(&self) {
        let seen = self.count.load(SeqCst);
        say!("reads {seen}");
        self.count.store(seen + 1, SeqCst); // another thread may have written since we read
        say!("writes {}", seen + 1);
    }

    /// The current count.
    fn get(&self) -> usize {
        self.count.load(SeqCst)
    }
}
// ANCHOR_END: counter
