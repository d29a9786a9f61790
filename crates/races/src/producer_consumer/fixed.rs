//! R6, fixed: no queue lock around the wait — the deadlock fix, and only that.
//!
//! The broken twin waits for an item inside `queue.sync` (a read lock), so the producer's barrier
//! (the write lock) can never start. The fix removes the queue lock: the mutex around the items is
//! all the exclusion a buffer needs, and `Condvar::wait` releases it while it sleeps, so a waiting
//! consumer holds nothing a producer needs. Everything else is the guide's code, unchanged.
//!
//! Three smaller bugs of the guide's queue remain here on purpose, so that this file differs from
//! the broken twin by the fix alone; [`bounded`](super::bounded) is the queue with all of them
//! fixed (two conditions, `produce` that waits while full, `close()`), and
//! [`channel`](super::channel) the one to ship.
//!
//! Why it is safe now: a thread that waits holds only the mutex `Condvar::wait` gives back while
//! it sleeps, so no wait can keep out the thread that would end it.

use std::collections::VecDeque;
use std::fmt::Debug;

use racelab_kit::lock::NamedCondvar;
use racelab_kit::say;
use racelab_kit::sync::prelude::*;

// ANCHOR: queue
/// The guide's `ProducerConsumerQueue<T>`.
pub struct ProducerConsumerQueue<P: Primitives, T: Send> {
    items: P::Mutex<VecDeque<T>>,
    condition: NamedCondvar<P>, // one condition for "not empty" *and* "not full"
    max_capacity: usize,
}

impl<P: Primitives, T: Send + Debug> ProducerConsumerQueue<P, T> {
    /// An empty queue that holds at most `max_capacity` items.
    pub fn new(max_capacity: usize) -> Self {
        ProducerConsumerQueue {
            items: P::Mutex::new(VecDeque::new()),
            condition: NamedCondvar::new("condition"),
            max_capacity,
        }
    }

    /// `queue.async(flags: .barrier) { … }`: adds `item` once there is space.
    pub fn produce(&self, item: T) {
        let mut items = self.items.lock(); // no barrier: nothing to wait for but the mutex
        while items.len() >= self.max_capacity {
            say!("waits for space");
            items = self.condition.wait(items); // releases `items`: a consumer can make space
        }
        say!("puts {item:?} in the queue");
        items.push_back(item);
        self.condition.notify_one();
    }

    /// `queue.sync { … }`: waits for an item and takes it.
    pub fn consume(&self) -> Option<T> {
        let mut items = self.items.lock(); // no queue.sync around the wait
        while items.is_empty() {
            say!("waits for an item");
            items = self.condition.wait(items); // releases `items`, and nothing else is held
        }
        let item = items
            .pop_front()
            .expect("the loop waited until there was one");
        say!("takes {item:?}");
        self.condition.notify_one();
        Some(item)
    }
}
// ANCHOR_END: queue

impl<P: Primitives> super::Queue for ProducerConsumerQueue<P, u32> {
    fn new(max_capacity: usize) -> Self {
        Self::new(max_capacity)
    }
    fn produce(&self, item: u32) {
        self.produce(item)
    }
    fn consume(&self) -> Option<u32> {
        self.consume()
    }
}
