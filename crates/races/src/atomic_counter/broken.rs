//! R3, broken: the guide's `AtomicCounter`, whose `count += 1` is a get and a separate set; and a
//! flag published with `Relaxed`, which does not publish the data written before it.
//!
//! This version is problematic.
//!
//! The guide's class (L4268–4288) has no atomics in it: `count` is a property whose getter is
//! `queue.sync { _count }` (a shared read) and whose setter is a `.barrier` block (an exclusive
//! write). Each accessor is safe on its own; `counter.count += 1` calls them one after the other,
//! and another thread can run its own get and set in between. Here that is an `RwLock<usize>`:
//! `get` takes the read lock, `set` the write lock, and [`increment`] is the caller's `count += 1`.
//!
//! The section promises memory ordering but never shows any; [`Message`] is the classic case. The
//! writer stores the data, then raises a flag; a reader that sees the flag reads the data. With the
//! flag written and read `Relaxed`, nothing orders the data store before the flag store as the
//! reader sees them: it can see the flag up and still read the old data.

use racelab_kit::say;
use racelab_kit::sync::{AtomicBoolApi, AtomicUsizeApi, Ordering::Relaxed, Primitives, RwLockApi};

// ANCHOR: counter
/// The guide's `AtomicCounter` (L4268–4288): a count behind a reader-writer lock.
pub struct Counter<P: Primitives> {
    count: P::RwLock<usize>,
}

impl<P: Primitives> Counter<P> {
    /// A counter at zero.
    pub fn new() -> Self {
        Counter {
            count: P::RwLock::new(0),
        }
    }

    /// The getter, `queue.sync { _count }`: a shared read.
    pub fn get(&self) -> usize {
        let seen = *self.count.read();
        say!("gets {seen}");
        seen
    }

    /// The setter, `queue.async(flags: .barrier) { self._count = newValue }`: an exclusive write.
    pub fn set(&self, value: usize) {
        *self.count.write() = value;
        say!("sets {value}");
    }
}

/// The caller's `counter.count += 1`: get, add one, set — two lock scopes, with a gap between.
pub fn increment<P: Primitives>(counter: &Counter<P>) {
    counter.set(counter.get() + 1); // another thread may set between our get and our set
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
        self.ready.store(true, Relaxed); // Relaxed publishes the flag, not the data before it
        say!("raises the flag");
    }

    /// The reader: if the flag is up, read the data.
    pub fn receive(&self) -> Option<usize> {
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
