//! R3, fixed: a flag that publishes the data written before it.
//!
//! Storing the flag with `Release` and loading it with `Acquire` makes everything the writer did
//! before the store visible to a reader whose load sees it. The two twins of [`Message`] differ in
//! those two orderings only.

use racelab_kit::say;
use racelab_kit::sync::prelude::*;

// ANCHOR: message
/// Data published through a flag: the writer fills `data`, then raises `ready`.
pub struct Message<P: Primitives> {
    data: P::AtomicUsize,
    ready: P::AtomicBool,
}

impl<P: Primitives> super::Message for Message<P> {
    /// No data yet (0), flag down.
    fn new() -> Self {
        Message {
            data: P::AtomicUsize::new(0),
            ready: P::AtomicBool::new(false),
        }
    }

    /// The writer: store the data, then raise the flag.
    fn send(&self, value: usize) {
        self.data.store(value, Relaxed);
        say!("stores data = {value}");
        self.ready.store(true, Release); // Release: the stores above are published with the flag
        say!("raises the flag");
    }

    /// The reader: if the flag is up, read the data.
    fn receive(&self) -> Option<usize> {
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
