//! P12's fixed `MemoryEfficientManager`: every entry carries the tokio `Instant` it was stored at,
//! and the cleanup keeps only the entries younger than [`MAX_AGE`] — `retain`, against the stored
//! time. tokio's `Instant` (not `std`'s) so that a paused clock moves it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use racelab_kit::sync::lock_unpoisoned;
use racelab_kit::{rt, say};
use tokio::task::JoinHandle;
use tokio::time::Instant;

use super::{MAX_AGE, at};

/// `class MemoryEfficientManager { private var cache: [String: Any] }`, its serial queue a mutex.
#[derive(Debug, Default)]
pub struct MemoryEfficientManager {
    cache: Arc<Mutex<HashMap<String, (String, Instant)>>>, // each entry remembers when it was stored
}

// ANCHOR: cleanup
impl super::Cache for MemoryEfficientManager {
    fn insert(&self, key: &str, value: &str) {
        let entry = (value.to_string(), Instant::now()); // the timestamp the cleanup needs
        lock_unpoisoned(&self.cache).insert(key.to_string(), entry);
    }

    fn cleanup_cache(&self) -> JoinHandle<()> {
        let cache = Arc::clone(&self.cache);
        rt::spawn("memory-queue", async move {
            // Remove old entries to prevent memory leaks
            let now = Instant::now(); // monotonic, and paused in a test
            let mut cache = lock_unpoisoned(&cache);
            let before = cache.len();
            cache.retain(|_key, (_value, stored)| now.duration_since(*stored) < MAX_AGE); // the age decides
            say!(
                "cleans up at {}: keeps {} of {before} entries",
                at(),
                cache.len()
            );
        })
    }

    fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = lock_unpoisoned(&self.cache).keys().cloned().collect();
        keys.sort();
        keys
    }
}
// ANCHOR_END: cleanup
