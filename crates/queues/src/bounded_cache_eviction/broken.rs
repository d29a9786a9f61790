//! Q11 broken twin — the guide's `ImageCache` (L979–1004, and the `actor` copy at L5484–5502),
//! ported line for line. This version is problematic.
//!
//! "Remove oldest entries" takes the first keys the dictionary happens to iterate: that order is
//! not insertion order and not recency, so the entry evicted is arbitrary — it can be the one just
//! read. And the capacity test runs before the key is looked up, so overwriting an entry that is
//! already cached, at capacity, evicts some *other* entry for nothing.
//!
//! The map hashes with [`FixedState`] so the arbitrary order is at least the
//! same on every run (see the module doc of [`super`]).

use std::collections::HashMap;

use racelab_kit::say;

use super::{FixedState, Image};

// ANCHOR: cache
/// A bounded image cache that evicts in the map's iteration order.
pub struct ImageCache {
    images: HashMap<String, Image, FixedState>,
    max_cache_size: usize,
}

impl ImageCache {
    /// An empty cache holding at most `max_cache_size` images.
    pub fn new(max_cache_size: usize) -> Self {
        ImageCache {
            images: HashMap::default(),
            max_cache_size,
        }
    }

    /// The cached image for `key`, if any.
    pub fn get_image(&mut self, key: &str) -> Option<Image> {
        let image = self.images.get(key).copied();
        say!(
            "get {key}: {}",
            if image.is_some() { "hit" } else { "miss" }
        );
        image
    }

    /// Caches `image` under `key`, evicting "the oldest entries" first when full.
    pub fn set_image(&mut self, image: Image, key: &str) {
        if self.images.len() >= self.max_cache_size {
            // Remove oldest entries
            let count = self.images.len() - self.max_cache_size + 1;
            let oldest_keys: Vec<String> = self.images.keys().take(count).cloned().collect();
            for key in oldest_keys {
                self.images.remove(&key);
                say!("evicts {key}");
            }
        }
        self.images.insert(key.to_string(), image);
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
