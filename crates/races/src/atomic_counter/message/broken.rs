//! R3, broken: a flag published with `Relaxed`, which does not publish the data written before it.
//!
//! This version is problematic.
//!
//! The guide's section promises memory ordering but never shows any; [`Message`] is the classic
//! case. The writer stores the data, then raises a flag; a reader that sees the flag reads the
//! data. With the flag written and read `Relaxed`, nothing orders the data store before the flag
//! store as the reader sees them: it can see the flag up and still read the old data.

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
        self.ready.store(true, Relaxed); // Relaxed publishes the flag, not the data before it
        say!("raises the flag");
    }

    /// The reader: if the flag is up, read the data.
    fn receive(&self) -> Option<usize> {
        let up = self.ready.load(Relaxed); // Relaxed: the flag says nothing about the data
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
