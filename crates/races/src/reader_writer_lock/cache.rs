//! R7's benchmark subject: a read-only cache behind four different locks.
//!
//! The guide recommends a reader-writer lock for "read-heavy workloads" and caches (L4505, L4527,
//! L4533–4535: "Excellent for concurrent reads", "Scales well with number of readers"). Whether it
//! pays depends on what a read costs: every `read()` still writes the lock's reader count, so two
//! threads that only read still fight over one cache line. `benches/rwlock_vs_mutex.rs` measures
//! std's and parking_lot's `Mutex` and `RwLock` around the same `HashMap`, with a short critical
//! section (one lookup) and a longer one ([`LONG`] lookups), on one and two threads. The book's R7
//! page shows the table.
//!
//! The cache is never written while measured — the best case for a reader-writer lock. If an
//! `RwLock` loses here, it loses with writers too.

use std::collections::HashMap;

/// The cached map: key → value.
pub type Map = HashMap<u64, u64>;

/// How many entries the cache holds.
pub const ENTRIES: u64 = 1024;

/// How many lookups the "long" critical section does.
pub const LONG: u64 = 64;

/// A map with [`ENTRIES`] entries.
pub fn filled() -> Map {
    (0..ENTRIES).map(|k| (k, k * 2)).collect()
}

// ANCHOR: cache
/// A map behind some lock, read through a closure.
pub trait Cache: Send + Sync + 'static {
    /// What the benchmark calls it.
    const NAME: &'static str;
    /// A cache holding `map`.
    fn new(map: Map) -> Self;
    /// Runs `f` with shared access to the map.
    fn with_read<R>(&self, f: impl FnOnce(&Map) -> R) -> R;
}

/// The short critical section: one lookup.
pub fn short<C: Cache>(cache: &C, key: u64) -> u64 {
    cache.with_read(|map| map.get(&(key % ENTRIES)).copied().unwrap_or(0))
}

/// The longer critical section: [`LONG`] lookups under one lock.
pub fn long<C: Cache>(cache: &C, key: u64) -> u64 {
    cache.with_read(|map| {
        (0..LONG)
            .map(|i| map.get(&((key + i) % ENTRIES)).copied().unwrap_or(0))
            .sum()
    })
}
// ANCHOR_END: cache

/// `std::sync::Mutex`.
pub struct StdMutexCache(std::sync::Mutex<Map>);
/// `std::sync::RwLock`, read-locked.
pub struct StdRwLockCache(std::sync::RwLock<Map>);
/// `parking_lot::Mutex`.
pub struct ParkingLotMutexCache(parking_lot::Mutex<Map>);
/// `parking_lot::RwLock`, read-locked.
pub struct ParkingLotRwLockCache(parking_lot::RwLock<Map>);

impl Cache for StdMutexCache {
    const NAME: &'static str = "std_mutex";
    fn new(map: Map) -> Self {
        StdMutexCache(std::sync::Mutex::new(map))
    }
    fn with_read<R>(&self, f: impl FnOnce(&Map) -> R) -> R {
        f(&self.0.lock().unwrap_or_else(|p| p.into_inner()))
    }
}

impl Cache for StdRwLockCache {
    const NAME: &'static str = "std_rwlock";
    fn new(map: Map) -> Self {
        StdRwLockCache(std::sync::RwLock::new(map))
    }
    fn with_read<R>(&self, f: impl FnOnce(&Map) -> R) -> R {
        f(&self.0.read().unwrap_or_else(|p| p.into_inner()))
    }
}

impl Cache for ParkingLotMutexCache {
    const NAME: &'static str = "parking_lot_mutex";
    fn new(map: Map) -> Self {
        ParkingLotMutexCache(parking_lot::Mutex::new(map))
    }
    fn with_read<R>(&self, f: impl FnOnce(&Map) -> R) -> R {
        f(&self.0.lock())
    }
}

impl Cache for ParkingLotRwLockCache {
    const NAME: &'static str = "parking_lot_rwlock";
    fn new(map: Map) -> Self {
        ParkingLotRwLockCache(parking_lot::RwLock::new(map))
    }
    fn with_read<R>(&self, f: impl FnOnce(&Map) -> R) -> R {
        f(&self.0.read())
    }
}
