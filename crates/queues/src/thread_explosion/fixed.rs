//! Q4, fixed: the same manager, but the items go to a pool of `k` threads.
//!
//! The one changed line: `spawn` a thread per item becomes `pool.spawn` on a rayon pool built with
//! `k` threads (the manager builds and keeps that pool: the other changed lines). Now `N` items are `N` queued closures and `k` threads: at most `k` run at once,
//! however long each blocks. This is what the guide's "GOOD" code (a concurrent `DispatchQueue`,
//! L510–520) *means* to do — but GCD's concurrent queues do not keep that promise: when their
//! workers block, GCD starts more threads (thread explosion, up to its cap of about 64), so the
//! GCD spelling of this fix is a width limit, not the queue alone.
//!
//! Neither version has **backpressure**: `process_items` hands over all `N` items at once, and
//! the pool's queue holds every one. [`ThrottledManager`](super::throttled::ThrottledManager), a
//! second lesson in a file of its own, adds it with the library's `DispatchSemaphore`: the caller
//! takes a permit before handing over each item and the item returns it when done, so the caller
//! itself waits once `k` items are in flight — GCD's "semaphore + queue" width limit.

use std::sync::Arc;

use rayon::ThreadPoolBuilder;

use super::{Gauge, process_item};

// ANCHOR: manager
/// The guide's `GoodQueueManager`, with a pool that really is bounded.
pub struct ThreadManager {
    gauge: Arc<Gauge>,
    pool: rayon::ThreadPool,
}

impl ThreadManager {
    /// A manager whose items report to `gauge`, run by a pool of `k` threads.
    pub fn new(gauge: Arc<Gauge>, k: usize) -> Self {
        let pool = ThreadPoolBuilder::new().num_threads(k).build().unwrap(); // exactly k threads
        ThreadManager { gauge, pool }
    }

    /// Starts processing every item and returns at once.
    pub fn process_items(&self, items: Vec<String>) {
        for item in items {
            self.gauge.handed_over();
            let gauge = self.gauge.clone();
            self.pool.spawn(move || process_item(&item, &gauge)); // k threads, N queued items
        }
    }
}
// ANCHOR_END: manager
