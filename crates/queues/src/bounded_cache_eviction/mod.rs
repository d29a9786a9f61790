//! Q11 `bounded_cache_eviction` — a bounded cache that evicts "the oldest entries" by taking the
//! dictionary's first keys, which are neither the oldest nor the least used.
//!
//! Ports the guide's `ImageCache` twice over: the class behind a concurrent queue (L979–1004) and
//! the `actor` (L5484–5502). Both evict with `images.keys.prefix(count - max + 1)` under the
//! comment "Remove oldest entries". The locking is fine (barrier writes, or the actor); the
//! *policy* is wrong, and no thread is needed to see it:
//!
//! * a Swift `Dictionary` iterates in hash order, which is unspecified and seeded per process —
//!   "oldest" is really "arbitrary", and may be the entry the app read a moment ago;
//! * the capacity test runs before the key is looked up, so overwriting a cached key at capacity
//!   evicts some other entry for nothing.
//!
//! * **broken** ([`broken`]): the guide's code over a `HashMap` iterated in its own order.
//! * **fixed** ([`fixed`]): a small least-recently-used cache — each entry remembers its last use,
//!   only a new key evicts, and the victim is the least recently used.
//!
//! **The check** is model-based: [`search`] runs every sequence of up to [`MAX_OPS`] puts and gets
//! over four keys on a cache of [`CAPACITY`] and, after every step, compares it with
//! [`ReferenceLru`] — an obviously correct LRU, a list in recency order. Sequences are tried
//! shortest first, so the first mismatch is a minimal counterexample. An exhaustive enumeration
//! (37,448 sequences, well under a second) instead of proptest: no dependency, no seed to persist,
//! and "minimal" is true by construction rather than the result of shrinking.
//!
//! **Why a fixed hasher** ([`FixedState`], in [`fixed_hash`]): std's `HashMap` seeds its hasher
//! randomly per map, like Swift per process, so the broken twin's victim would change from run to
//! run — the bug, but not a reproducible test. The twins' maps hash with FNV-1a instead, written
//! out in `fixed_hash.rs`: the order is arbitrary but the same on every run, and — unlike std's
//! `DefaultHasher`, whose algorithm std may change in any release — no toolchain upgrade can
//! change the hashes, so the counterexample can be pinned.
//!
//! **What a professional would use**: the `lru` crate's `LruCache` (a hash map threaded with a
//! doubly linked list: O(1) `get`, `put`, and eviction; `get` takes `&mut self` for the same
//! reason as here). The fixed twin is hand-written instead because the three-line policy change
//! *is* the lesson and reads as a diff against the guide's code; its O(n) victim scan costs
//! nothing at the guide's 100 entries. No dependency is added.

use racelab_kit::demo::Demo;

pub mod broken;
pub mod fixed;
pub mod fixed_hash;
pub mod harness;
pub mod narrate;
pub mod reference_lru;

pub use fixed_hash::FixedState;
pub use harness::{
    OVERWRITE_AT_CAPACITY, READ_THEN_MAKE_ROOM, Search, check_variant, new_keys_only, replay,
    replay_variant, search, search_variant, search_where,
};
pub use reference_lru::ReferenceLru;

/// The stand-in for `UIImage`: an image id.
pub type Image = u32;

/// The capacity the check uses (the guide's is 100; three shows the same policy).
pub const CAPACITY: usize = 3;

/// The keys the check uses: one more than fits.
pub const KEYS: [&str; 4] = ["k0", "k1", "k2", "k3"];

/// The longest operation sequence the check tries.
pub const MAX_OPS: usize = 5;

/// One step of a sequence: put an image under a key, or get a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `set_image(image, KEYS[k])`.
    Put(usize),
    /// `get_image(KEYS[k])`.
    Get(usize),
}

impl Op {
    /// Every operation, in the order sequences are enumerated.
    pub const ALL: [Op; 8] = [
        Op::Put(0),
        Op::Put(1),
        Op::Put(2),
        Op::Put(3),
        Op::Get(0),
        Op::Get(1),
        Op::Get(2),
        Op::Get(3),
    ];
}

impl std::fmt::Display for Op {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Op::Put(k) => write!(f, "put {}", KEYS[*k]),
            Op::Get(k) => write!(f, "get {}", KEYS[*k]),
        }
    }
}

/// What the check needs of a cache; both twins implement it.
pub trait Cache {
    /// A new, empty cache.
    fn with_capacity(capacity: usize) -> Self;
    /// Looks `key` up.
    fn get(&mut self, key: &str) -> Option<Image>;
    /// Stores `image` under `key`.
    fn put(&mut self, key: &str, image: Image);
    /// The cached keys, sorted.
    fn cached(&self) -> Vec<String>;
}

/// A sequence on which a cache and the reference LRU disagree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counterexample {
    /// The operations, up to and including the one that disagreed.
    pub ops: Vec<Op>,
    /// What went wrong, in plain words.
    pub message: String,
}

// ANCHOR: check
/// Runs `ops` on a fresh `C` and on the reference; `Err` at the first step where a `get` answers
/// differently or the cached keys differ.
pub fn check<C: Cache>(ops: &[Op]) -> Result<(), Counterexample> {
    let mut cache = C::with_capacity(CAPACITY);
    let mut model = ReferenceLru::new(CAPACITY);
    for (step, op) in ops.iter().enumerate() {
        let fail = |message: String| Counterexample {
            ops: ops[..=step].to_vec(),
            message,
        };
        match *op {
            Op::Put(k) => {
                cache.put(KEYS[k], step as Image);
                model.put(KEYS[k], step as Image);
                let (got, want) = (cache.cached(), model.cached());
                if got != want {
                    return Err(fail(format!(
                        "after `{op}` the cache holds {got:?}; an LRU cache holds {want:?}"
                    )));
                }
            }
            Op::Get(k) => {
                let (got, want) = (cache.get(KEYS[k]), model.get(KEYS[k]));
                if got != want {
                    return Err(fail(format!(
                        "`{op}` answered {got:?}, an LRU cache answers {want:?}"
                    )));
                }
            }
        }
    }
    Ok(())
}
// ANCHOR_END: check

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "Q11",
    name: "bounded_cache_eviction",
    summary: "a bounded cache evicts \"the oldest entries\" in hash order: arbitrary, often the hottest",
    run: narrate::demo,
};
