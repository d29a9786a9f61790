//! R3, fixed: a counter that is atomic, and a flag that publishes the data written before it.
//!
//! The counter keeps its count in an `AtomicUsize` — what the guide's `AtomicCounter` is named
//! after but never uses — and `count += 1` becomes `fetch_add`, one read-modify-write that no other
//! thread can split. `Relaxed` is enough there: a counter needs every increment to count, not to
//! order any other memory. (The guide's own `increment()`, one `.barrier` block, is also correct: it
//! is the same fix with a lock, `*count.write() += 1`.)
//!
//! The flag is the case where ordering *is* the point: storing it with `Release` and loading it
//! with `Acquire` makes everything the writer did before the store visible to a reader whose load
//! sees it. The two twins of [`Message`] differ in those two orderings only.

use racelab_kit::say;
use racelab_kit::sync::{
    AtomicBoolApi, AtomicUsizeApi,
    Ordering::{Acquire, Relaxed, Release},
    Primitives,
};

// ANCHOR: counter
/// The counter, made of what its name says: an atomic.
pub struct Counter<P: Primitives> {
    count: P::AtomicUsize, // an atomic, not a lock around a plain integer
}

impl<P: Primitives> Counter<P> {
    /// A counter at zero.
    pub fn new() -> Self {
        Counter {
            count: P::AtomicUsize::new(0),
        }
    }

    /// Reads the count.
    pub fn get(&self) -> usize {
        let seen = self.count.load(Relaxed);
        say!("gets {seen}");
        seen
    }

    /// Sets the count.
    pub fn set(&self, value: usize) {
        self.count.store(value, Relaxed);
        say!("sets {value}");
    }
}

/// `count += 1` as one indivisible step.
pub fn increment<P: Primitives>(counter: &Counter<P>) {
    let seen = counter.count.fetch_add(1, Relaxed); // get, add and set in one step: no gap
    say!("gets {seen} and sets {} in one step", seen + 1);
}
// ANCHOR_END: counter

// ANCHOR: message
/// Data published through a flag: the writer fills `data`, then raises `ready`.
pub struct Message<P: Primitives> {
    data: P::AtomicUsize,
    ready: P::AtomicBool,
}

impl<P: Primitives> Message<P> {
    /// No data yet (0), flag down.
    pub fn new() -> Self {
        Message {
            data: P::AtomicUsize::new(0),
            ready: P::AtomicBool::new(false),
        }
    }

    /// The writer: store the data, then raise the flag.
    pub fn send(&self, value: usize) {
        self.data.store(value, Relaxed);
        say!("stores data = {value}");
        self.ready.store(true, Release); // Release: the stores above are published with the flag
        say!("raises the flag");
    }

    /// The reader: if the flag is up, read the data.
    pub fn receive(&self) -> Option<usize> {
        let up = self.ready.load(Acquire); // Acquire: seeing the flag up means seeing the data
        if !up {
            say!("sees the flag down");
            return None;
        }
        say!("sees the flag up");
        let data = self.data.load(Relaxed);
        say!("reads data = {data}");
        Some(data)
    }
}
// ANCHOR_END: message

impl<P: Primitives> Default for Counter<P> {
    fn default() -> Self {
        Self::new()
    }
}

impl<P: Primitives> Default for Message<P> {
    fn default() -> Self {
        Self::new()
    }
}
