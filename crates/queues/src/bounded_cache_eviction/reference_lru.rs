//! Q11's oracle: the reference LRU [`check`](super::check) compares each twin against, step by
//! step. Not a twin and not a production cache: a list in recency order, too slow to ship and too
//! simple to be wrong.

use super::Image;

// ANCHOR: reference
/// The reference LRU the check compares against: entries in recency order, least recent first.
/// Too slow for production, too simple to be wrong.
pub struct ReferenceLru {
    entries: Vec<(String, Image)>,
    capacity: usize,
}

impl ReferenceLru {
    /// An empty reference cache.
    pub fn new(capacity: usize) -> Self {
        ReferenceLru {
            entries: Vec::new(),
            capacity,
        }
    }

    /// A hit moves the entry to the back (most recent).
    pub fn get(&mut self, key: &str) -> Option<Image> {
        let at = self.entries.iter().position(|(k, _)| k == key)?;
        let entry = self.entries.remove(at);
        let image = entry.1;
        self.entries.push(entry);
        Some(image)
    }

    /// A put replaces the key's entry, or evicts the front when full, then goes to the back.
    pub fn put(&mut self, key: &str, image: Image) {
        if let Some(at) = self.entries.iter().position(|(k, _)| k == key) {
            self.entries.remove(at);
        } else if self.entries.len() >= self.capacity {
            self.entries.remove(0);
        }
        self.entries.push((key.to_string(), image));
    }

    /// The least recently used key, the next to go.
    pub fn least_recent(&self) -> Option<&str> {
        self.entries.first().map(|(k, _)| k.as_str())
    }

    /// The cached keys, sorted.
    pub fn cached(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.entries.iter().map(|(k, _)| k.clone()).collect();
        keys.sort();
        keys
    }
}
// ANCHOR_END: reference
