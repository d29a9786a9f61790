//! Q11 fixed twin — the same `ImageCache`, evicting the least recently used entry.
//!
//! Three changes, each marked: every entry remembers when it was last used (a `get` counts, so
//! `get` now takes `&mut self` — in an LRU a read is a write); eviction happens only when the key
//! is *new*; and the victim is the entry with the oldest use, not the map's first key. The scan
//! for the victim is O(n), fine for the guide's 100 entries; a production cache would use
//! `lru::LruCache` (hash map + intrusive list, O(1) everything) — see the module doc of [`super`].

use std::collections::HashMap;

use racelab_kit::say;

use super::{FixedState, Image};

// ANCHOR: cache
/// A bounded image cache that evicts the least recently used entry.
pub struct ImageCache {
    // Each image carries the tick of its last use; `clock` counts uses.
    images: HashMap<String, (Image, u64), FixedState>,
    clock: u64,
    max_cache_size: usize,
}

impl ImageCache {
    /// An empty cache holding at most `max_cache_size` images.
    pub fn new(max_cache_size: usize) -> Self {
        ImageCache {
            images: HashMap::default(),
            clock: 0,
            max_cache_size,
        }
    }

    /// The cached image for `key`, if any; a hit makes it the most recently used.
    pub fn get_image(&mut self, key: &str) -> Option<Image> {
        self.clock += 1; // a read is a use: it refreshes the entry
        let clock = self.clock;
        let image = self.images.get_mut(key).map(|(image, used)| {
            *used = clock;
            *image
        });
        say!(
            "get {key}: {}",
            if image.is_some() { "hit" } else { "miss" }
        );
        image
    }

    /// Caches `image` under `key`, evicting the least recently used entry first when full.
    pub fn set_image(&mut self, image: Image, key: &str) {
        self.clock += 1;
        // Only a new key needs room: overwriting an entry must not evict another one.
        if !self.images.contains_key(key) && self.images.len() >= self.max_cache_size {
            // Remove the least recently used entry, not whichever the map lists first.
            let oldest = self.images.iter().min_by_key(|(_, (_, used))| *used);
            if let Some(key) = oldest.map(|(key, _)| key.clone()) {
                self.images.remove(&key);
                say!("evicts {key}");
            }
        }
        self.images.insert(key.to_string(), (image, self.clock));
        say!("stores {key} ({} cached)", self.images.len());
    }

    /// The cached keys, sorted (for the check).
    pub fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.images.keys().cloned().collect();
        keys.sort();
        keys
    }
}
// ANCHOR_END: cache

impl super::Cache for ImageCache {
    fn with_capacity(capacity: usize) -> Self {
        ImageCache::new(capacity)
    }
    fn get(&mut self, key: &str) -> Option<Image> {
        self.get_image(key)
    }
    fn put(&mut self, key: &str, image: Image) {
        self.set_image(image, key)
    }
    fn cached(&self) -> Vec<String> {
        self.keys()
    }
}
