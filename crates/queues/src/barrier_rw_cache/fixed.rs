//! Q10, fixed: the guide's `ThreadSafeCache` as written — on its own concurrent queue.
//!
//! One line differs from the broken twin: the cache makes its *own* concurrent queue, as the guide
//! does (L954). On a queue it owns, a barrier waits for the reads already running, runs alone, and
//! holds back the reads enqueued after it — so a `sync` read after `set_value` sees the new value.
//! The guide is right here. (What a Rust programmer would write instead: an `RwLock<HashMap>`, or
//! a `Mutex` — the queue is a reader-writer lock with extra thread hops; see the book page.)

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
            queue: ConcurrentQueue::new("cache.queue", 2), // its own queue: barriers are honoured
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
