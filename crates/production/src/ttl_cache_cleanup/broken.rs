//! P12's broken `MemoryEfficientManager`: the guide's cleanup, ported line for line. This version
//! is problematic: the entries carry no timestamp, the cutoff is computed and never used, and the
//! filter keeps every entry (`return true`), so the cleanup "to prevent memory leaks" removes
//! nothing and the cache only grows.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use racelab_kit::sync::lock_unpoisoned;
use racelab_kit::{rt, say};
use tokio::task::JoinHandle;

use super::{MAX_AGE, at};

/// `class MemoryEfficientManager { private var cache: [String: Any] }`, its serial queue a mutex.
#[derive(Debug, Default)]
pub struct MemoryEfficientManager {
    cache: Arc<Mutex<HashMap<String, String>>>,
}

// ANCHOR: cleanup
impl super::Cache for MemoryEfficientManager {
    fn insert(&self, key: &str, value: &str) {
        let entry = value.to_string();
        lock_unpoisoned(&self.cache).insert(key.to_string(), entry);
    }

    fn cleanup_cache(&self) -> JoinHandle<()> {
        let cache = Arc::clone(&self.cache);
        rt::spawn("memory-queue", async move {
            // Remove old entries to prevent memory leaks
            let _cutoff = MAX_AGE; // `cutoffDate`: "1 hour ago", computed and never used
            let mut cache = lock_unpoisoned(&cache);
            let before = cache.len();
            cache.retain(|_key, _value| true); // Keep only recent entries ("Simplified for example")
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
