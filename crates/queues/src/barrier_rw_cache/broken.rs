//! Q10, broken: the guide's `ThreadSafeCache` on a queue that is not its own — a global queue.
//!
//! This version is problematic.
//!
//! The tempting shortcut: "the global queue is concurrent already, why make one?" So the cache
//! keeps `DispatchQueue.global()` instead of `DispatchQueue(label:attributes: .concurrent)`, and
//! every other line is the guide's. But GCD ignores barriers on the global queues — there,
//! `async(flags: .barrier)` is a plain `async` — so `setValue` runs while `getValue`s are reading.

use std::collections::HashMap;
use std::sync::Arc;

use racelab_kit::step;

use super::race_cell::RaceCell;
use racelab_dispatch::concurrent_queue::ConcurrentQueue;

// ANCHOR: cache
/// The guide's `ThreadSafeCache`: reads with `sync`, writes with a barrier.
pub struct ThreadSafeCache {
    queue: ConcurrentQueue,
    cache: Arc<RaceCell<HashMap<String, u32>>>,
}

impl ThreadSafeCache {
    /// An empty cache.
    pub fn new() -> Self {
        ThreadSafeCache {
            queue: ConcurrentQueue::global("global", 2), // "concurrent already": a shared global queue
            cache: Arc::default(),
        }
    }

    /// Multiple readers can access simultaneously.
    pub fn get_value(&self, key: &str) -> Option<u32> {
        let (cache, key) = (self.cache.clone(), key.to_string());
        let read = move || {
            cache.read(|cache| {
                let value = cache.get(&key).copied();
                step!(super::READS, on & key, " = {value:?}");
                value
            })
        };
        self.queue
            .sync(read)
            .expect("not called from the cache's queue")
    }

    /// Writer blocks all other operations (readers and writers).
    pub fn set_value(&self, value: u32, key: &str) {
        let (cache, key) = (self.cache.clone(), key.to_string());
        self.queue.barrier_async(move || {
            cache.write(|cache| cache.insert(key.clone(), value));
            step!(super::WRITES, on & key, " = {value}");
        });
    }

    /// Multiple readers can run concurrently.
    pub fn get_all_keys(&self) -> Vec<String> {
        let cache = self.cache.clone();
        let read = move || cache.read(|cache| cache.keys().cloned().collect());
        self.queue
            .sync(read)
            .expect("not called from the cache's queue")
    }
}
// ANCHOR_END: cache

impl super::Cache for ThreadSafeCache {
    fn new() -> Self {
        ThreadSafeCache::new()
    }
    fn get_value(&self, key: &str) -> Option<u32> {
        ThreadSafeCache::get_value(self, key)
    }
    fn set_value(&self, value: u32, key: &str) {
        ThreadSafeCache::set_value(self, value, key)
    }
    fn storage(&self) -> &RaceCell<HashMap<String, u32>> {
        &self.cache
    }
    fn label(&self) -> &str {
        self.queue.label()
    }
}

impl Default for ThreadSafeCache {
    fn default() -> Self {
        Self::new()
    }
}
