//! The cache a Rust programmer would write — an `RwLock<HashMap>` — and the caveat it shares with
//! the guide's queue: a get-miss-then-set made of two steps is not atomic.
//!
//! [`get_or_compute_two_steps`](RwLockCache::get_or_compute_two_steps) is the usual first attempt, and it is wrong the same way two
//! `getValue` / `setValue` calls on the guide's cache are: two callers can both miss, both compute,
//! both insert — each step is protected, the pair is not. [`get_or_compute`](RwLockCache::get_or_compute) does the check and the
//! insert under one write lock, with `HashMap::entry(..).or_insert_with`, so exactly one caller
//! computes. (On the queue, the fix is the same idea: one barrier block that checks and sets.)
//! Written over the kit's [`Primitives`], so loom checks both on every interleaving.

use std::collections::HashMap;

use racelab_kit::say;
use racelab_kit::sync::prelude::*;

/// A cache behind a reader-writer lock, counting how often it had to compute a value.
pub struct RwLockCache<P: Primitives> {
    map: P::RwLock<HashMap<&'static str, u32>>,
    computed: P::AtomicUsize,
}

impl<P: Primitives> RwLockCache<P> {
    /// An empty cache.
    pub fn new() -> Self {
        RwLockCache {
            map: P::RwLock::new(HashMap::new()),
            computed: P::AtomicUsize::new(0),
        }
    }

    /// How many times a value was computed.
    pub fn computed(&self) -> usize {
        self.computed.load(SeqCst)
    }

    fn compute(&self, key: &str) -> u32 {
        let n = self.computed.fetch_add(1, SeqCst) + 1;
        say!("misses {key}: computes it (computation #{n})");
        42
    }

    // ANCHOR: two_steps
    /// The value for `key`, computed on a miss — in two steps: a read, then a write.
    pub fn get_or_compute_two_steps(&self, key: &'static str) -> u32 {
        if let Some(value) = self.map.read().get(key).copied() {
            say!("hits {key}");
            return value;
        }
        let value = self.compute(key); // another caller may be computing it too
        self.map.write().insert(key, value);
        value
    }
    // ANCHOR_END: two_steps

    // ANCHOR: entry
    /// The value for `key`, computed on a miss — the check and the insert under one write lock.
    pub fn get_or_compute(&self, key: &'static str) -> u32 {
        if let Some(value) = self.map.read().get(key).copied() {
            say!("hits {key}");
            return value; // the fast path stays a shared read
        }
        *self
            .map
            .write()
            .entry(key)
            .or_insert_with(|| self.compute(key)) // checked again under the write lock
    }
    // ANCHOR_END: entry
}

impl<P: Primitives> Default for RwLockCache<P> {
    fn default() -> Self {
        Self::new()
    }
}

// ANCHOR: check
/// Two threads ask for the same missing key at once; the value must be computed once.
pub fn two_callers<P: Primitives>(entry_api: bool) {
    let cache = std::sync::Arc::new(RwLockCache::<P>::new());
    let callers: Vec<_> = ["T0", "T1"]
        .into_iter()
        .map(|name| {
            let cache = cache.clone();
            P::spawn(name, move || {
                if entry_api {
                    cache.get_or_compute("avatar")
                } else {
                    cache.get_or_compute_two_steps("avatar")
                }
            })
        })
        .collect();
    for caller in callers {
        caller.join();
    }
    let computed = cache.computed();
    if computed != 1 {
        panic!("one missing key, computed {computed} times");
    }
}
// ANCHOR_END: check
