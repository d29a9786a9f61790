//! R6, beyond the fix: a bounded queue with the guide's smaller bugs fixed too — one mutex, two
//! condition variables, and a way to say "no more items".
//!
//! [`fixed`](super::fixed) is the deadlock fix alone (no queue lock around the wait), so that it
//! diffs against the broken twin by that fix. This file goes on from there to the queue one would
//! actually write by hand, fixing the three smaller bugs:
//!
//! * two conditions instead of one: a consumer waits on `not_empty` and wakes a producer through
//!   `not_full`, and the other way round, so `notify_one` never wakes the wrong side;
//! * `produce` blocks while the queue is full (the guide's async `produce` returned at once, so a
//!   fast producer piled up unbounded barrier blocks);
//! * `close()`: after it, `produce` hands the item back and `consume` returns `None` once the queue
//!   is drained, so consumer loops end (the guide's `while true` consumers never do).
//!
//! Every wait is in a `while` loop that re-checks its condition, because a wake-up only means "look
//! again": another consumer may have taken the item first.
//!
//! This is a bounded channel, written out by hand to show how it works. To ship, use one that
//! exists: [`std::sync::mpsc::sync_channel`] (see [`super::channel`]), `crossbeam_channel::bounded`,
//! or `tokio::sync::mpsc::channel` in async code.

use std::collections::VecDeque;
use std::fmt::Debug;

use racelab_kit::lock::NamedCondvar;
use racelab_kit::say;
use racelab_kit::sync::prelude::*;

// ANCHOR: bounded
/// What the mutex guards: the items, and whether the queue is closed. Under one lock, so a consumer
/// cannot see "open", then miss the wake-up `close()` sends before it starts to wait.
struct Buffer<T> {
    items: VecDeque<T>,
    closed: bool,
}

/// A bounded queue that blocks on empty and on full, and can be closed.
pub struct ProducerConsumerQueue<P: Primitives, T: Send> {
    buffer: P::Mutex<Buffer<T>>, // no queue lock: nothing else is held while a thread waits
    not_empty: NamedCondvar<P>,  // consumers wait here, producers notify it
    not_full: NamedCondvar<P>,   // producers wait here, consumers notify it
    max_capacity: usize,
}

impl<P: Primitives, T: Send + Debug> ProducerConsumerQueue<P, T> {
    /// An empty, open queue that holds at most `max_capacity` items.
    pub fn new(max_capacity: usize) -> Self {
        ProducerConsumerQueue {
            buffer: P::Mutex::new(Buffer {
                items: VecDeque::new(),
                closed: false,
            }),
            not_empty: NamedCondvar::new("not_empty"),
            not_full: NamedCondvar::new("not_full"),
            max_capacity,
        }
    }

    /// Adds `item`, waiting while the queue is full. A closed queue hands the item back.
    pub fn produce(&self, item: T) -> Result<(), T> {
        let mut buffer = self.buffer.lock();
        while buffer.items.len() >= self.max_capacity && !buffer.closed {
            say!("waits for space");
            buffer = self.not_full.wait(buffer); // releases the lock while it sleeps
        }
        if buffer.closed {
            say!("finds the queue closed, keeps {item:?}");
            return Err(item);
        }
        say!("puts {item:?} in the queue");
        buffer.items.push_back(item);
        self.not_empty.notify_one(); // wakes a consumer, never another producer
        say!("signals not_empty");
        Ok(())
    }

    /// Takes the oldest item, waiting while the queue is empty; `None` once it is closed and empty.
    pub fn consume(&self) -> Option<T> {
        let mut buffer = self.buffer.lock(); // no queue.sync around the wait
        while buffer.items.is_empty() && !buffer.closed {
            say!("waits for an item");
            buffer = self.not_empty.wait(buffer); // releases the lock: a producer can get in
        }
        let Some(item) = buffer.items.pop_front() else {
            say!("finds the queue closed and empty: gets None");
            return None;
        };
        say!("takes {item:?}");
        self.not_full.notify_one(); // wakes a producer, never another consumer
        Some(item)
    }

    /// No more items: waiting producers get theirs back, consumers drain what is left, then `None`.
    pub fn close(&self) {
        self.buffer.lock().closed = true;
        say!("closes the queue");
        self.not_empty.notify_all(); // every waiting consumer must look again
        self.not_full.notify_all();
    }
}
// ANCHOR_END: bounded
