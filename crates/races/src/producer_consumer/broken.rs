//! R6, broken: the consumer waits for an item inside `queue.sync`; the producer needs a barrier.
//!
//! This version is problematic.
//!
//! The guide's `ProducerConsumerQueue` (L4387–4434), ported as literally as safe Rust allows. The
//! concurrent `DispatchQueue` becomes an `RwLock<()>`: a read guard is a `queue.sync` block (many
//! can run at once), the write guard is a `.barrier` block (it runs alone, and only once every
//! block that started before it has finished). `consume` waits for an item *inside* its
//! `queue.sync`; `produce` must pass the barrier before it can add one. On an empty queue the
//! consumer waits for the producer, and the producer waits for the consumer to leave — forever.
//!
//! Two of the guide's bugs cannot even be written here. `condition.wait()` without
//! `condition.lock()` (L4401, L4413): `Condvar::wait` takes the `MutexGuard` by value, so there is
//! no way to wait without holding the lock (`tests/compile_fail/producer_consumer.rs`). And the
//! consumers' unsynchronised `items.removeFirst()` (L4416): the items live in a `Mutex`, because a
//! `Condvar` only waits with one. What remains is the deadlock, which no type system catches.
//!
//! In Swift `produce` returns at once and its barrier block sits in the queue; here the producer
//! thread stands for that block and blocks where the block would wait to start. `consumeAll` and
//! `count` (L4422–4433) are left out: they take part in no deadlock the check can reach.

use std::collections::VecDeque;
use std::fmt::Debug;

use racelab_kit::lock::{NamedCondvar, NamedRwLock};
use racelab_kit::say;
use racelab_kit::sync::prelude::*;

// ANCHOR: queue
/// The guide's `ProducerConsumerQueue<T>`.
pub struct ProducerConsumerQueue<P: Primitives, T: Send> {
    queue: NamedRwLock<P, ()>, // the concurrent DispatchQueue: read = queue.sync, write = .barrier
    items: P::Mutex<VecDeque<T>>,
    condition: NamedCondvar<P>, // one condition for "not empty" *and* "not full"
    max_capacity: usize,
}

impl<P: Primitives, T: Send + Debug> ProducerConsumerQueue<P, T> {
    /// An empty queue that holds at most `max_capacity` items.
    pub fn new(max_capacity: usize) -> Self {
        ProducerConsumerQueue {
            queue: NamedRwLock::new("queue", ()),
            items: P::Mutex::new(VecDeque::new()),
            condition: NamedCondvar::new("condition"),
            max_capacity,
        }
    }

    /// `queue.async(flags: .barrier) { … }`: adds `item` once there is space.
    pub fn produce(&self, item: T) {
        say!("waits for the barrier: it cannot start while a queue.sync block runs");
        let _barrier = self.queue.write(); // starts only when no queue.sync block is running
        say!("passes the barrier");
        let mut items = self.items.lock();
        while items.len() >= self.max_capacity {
            say!("waits for space, still holding the barrier");
            items = self.condition.wait(items); // no consumer can enter queue.sync to make space
        }
        say!("puts {item:?} in the queue");
        items.push_back(item);
        self.condition.notify_one();
    }

    /// `queue.sync { … }`: waits for an item and takes it.
    pub fn consume(&self) -> Option<T> {
        say!("calls queue.sync");
        let _sync = self.queue.read(); // held until this block returns — also while it waits
        say!("enters queue.sync");
        let mut items = self.items.lock();
        while items.is_empty() {
            say!("waits for an item, still inside queue.sync");
            items = self.condition.wait(items); // releases `items`, not `_sync`: the barrier stays shut
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
