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

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::say;
use racelab_kit::trace::{Trace, as_actor};

pub mod broken;
pub mod fixed;
pub mod fixed_hash;

pub use fixed_hash::FixedState;

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

impl Cache for broken::ImageCache {
    fn with_capacity(capacity: usize) -> Self {
        Self::new(capacity)
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

impl Cache for fixed::ImageCache {
    fn with_capacity(capacity: usize) -> Self {
        Self::new(capacity)
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

/// The outcome of [`search`]: how many sequences ran, and the first (shortest) that failed.
#[derive(Debug, Clone)]
pub struct Search {
    /// Sequences checked, the failing one included.
    pub sequences: usize,
    /// The first counterexample, if any.
    pub failure: Option<Counterexample>,
}

/// Every sequence of 1..=[`MAX_OPS`] operations from [`Op::ALL`], shortest first, each run
/// through [`check`]; stops at the first failure, which is therefore minimal.
pub fn search<C: Cache>() -> Search {
    search_where::<C>(|_| true)
}

/// Whether every put in `ops` stores a key the cache does not hold (per the reference LRU): the
/// sequences where only the eviction *order* can go wrong, not the overwrite.
pub fn new_keys_only(ops: &[Op]) -> bool {
    let mut model = ReferenceLru::new(CAPACITY);
    ops.iter().all(|op| match *op {
        Op::Put(k) => {
            let new = !model.cached().iter().any(|c| c == KEYS[k]);
            model.put(KEYS[k], 0);
            new
        }
        Op::Get(k) => {
            model.get(KEYS[k]);
            true
        }
    })
}

/// [`search`], over only the sequences `keep` accepts (still shortest first).
pub fn search_where<C: Cache>(keep: fn(&[Op]) -> bool) -> Search {
    let mut sequences = 0;
    for len in 1..=MAX_OPS {
        let mut digits = vec![0usize; len];
        loop {
            let ops: Vec<Op> = digits.iter().map(|&d| Op::ALL[d]).collect();
            if keep(&ops) {
                sequences += 1;
                if let Err(failure) = check::<C>(&ops) {
                    return Search {
                        sequences,
                        failure: Some(failure),
                    };
                }
            }
            // Next sequence of this length, odometer style; done when it wraps.
            let Some(i) = digits.iter().rposition(|&d| d + 1 < Op::ALL.len()) else {
                break;
            };
            digits[i] += 1;
            digits[i + 1..].iter_mut().for_each(|d| *d = 0);
        }
    }
    Search {
        sequences,
        failure: None,
    }
}

/// Runs [`search_where`] for one twin.
pub fn search_variant(variant: Variant, keep: fn(&[Op]) -> bool) -> Search {
    match variant {
        Variant::Broken => search_where::<broken::ImageCache>(keep),
        Variant::Fixed => search_where::<fixed::ImageCache>(keep),
    }
}

/// Runs [`check`] on one twin.
pub fn check_variant(variant: Variant, ops: &[Op]) -> Result<(), Counterexample> {
    match variant {
        Variant::Broken => check::<broken::ImageCache>(ops),
        Variant::Fixed => check::<fixed::ImageCache>(ops),
    }
}

/// Put k0, k1, k2, read k2, put k3: the broken cache (whose map lists k2 first) evicts k2, the
/// entry just read.
pub const READ_THEN_MAKE_ROOM: [Op; 5] =
    [Op::Put(0), Op::Put(1), Op::Put(2), Op::Get(2), Op::Put(3)];

/// Put k0, k1, k2, then a new image for k0: nothing needs to go.
pub const OVERWRITE_AT_CAPACITY: [Op; 4] = [Op::Put(0), Op::Put(1), Op::Put(2), Op::Put(0)];

/// Replays `ops` on a fresh `C` with a trace installed: `app` says what it asks, `cache` what it
/// does, `lru` what a least-recently-used cache would evict.
pub fn replay<C: Cache>(ops: &[Op]) -> Trace {
    let trace = Trace::new();
    let _installed = trace.install();
    let mut cache = C::with_capacity(CAPACITY);
    let mut model = ReferenceLru::new(CAPACITY);
    for (step, op) in ops.iter().enumerate() {
        as_actor("app", || say!("{op}"));
        match *op {
            Op::Put(k) => {
                let full = model.cached().len() >= CAPACITY;
                let cached = model.cached().iter().any(|c| c == KEYS[k]);
                let victim = model.least_recent().map(str::to_string);
                as_actor("cache", || cache.put(KEYS[k], step as Image));
                model.put(KEYS[k], step as Image);
                match (full, cached, victim) {
                    (true, true, _) => as_actor("lru", || {
                        say!("would evict nothing: {} is already cached", KEYS[k])
                    }),
                    (true, false, Some(v)) => {
                        as_actor("lru", || say!("would evict {v}, the least recently used"))
                    }
                    _ => {}
                }
            }
            Op::Get(k) => {
                as_actor("cache", || cache.get(KEYS[k]));
                model.get(KEYS[k]);
            }
        }
    }
    trace
}

/// Replays `ops` on one twin.
pub fn replay_variant(variant: Variant, ops: &[Op]) -> Trace {
    match variant {
        Variant::Broken => replay::<broken::ImageCache>(ops),
        Variant::Fixed => replay::<fixed::ImageCache>(ops),
    }
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "Q11",
    name: "bounded_cache_eviction",
    summary: "a bounded cache evicts \"the oldest entries\" in hash order: arbitrary, often the hottest",
    run: demo,
};

/// One section of the demo: how the check went, then a sequence replayed on the twin — the
/// counterexample if there is one, `example` otherwise. Returns what went wrong, if anything.
fn section(
    report: &mut Report,
    variant: Variant,
    outcome: Result<(), Counterexample>,
    example: &[Op],
) -> Option<String> {
    let ops = match &outcome {
        Err(failure) => failure.ops.clone(),
        Ok(()) => example.to_vec(),
    };
    report.trace(&replay_variant(variant, &ops));
    match outcome {
        Err(failure) => {
            report.line(format!("=> {}", failure.message));
            Some(failure.message)
        }
        Ok(()) => {
            report.line("=> the cache agrees with the reference LRU.");
            None
        }
    }
}

/// Narrates a search's size and turns it into an outcome.
fn searched(report: &mut Report, result: Search) -> Result<(), Counterexample> {
    match result.failure {
        Some(failure) => {
            report.line(format!(
                "sequence {} disagrees with the LRU; replayed:",
                result.sequences
            ));
            Err(failure)
        }
        None => {
            report.line(format!(
                "all {} sequences agree with the LRU; the first counterexample for the broken twin, replayed:",
                result.sequences
            ));
            Ok(())
        }
    }
}

/// The demo: the exhaustive check against the reference LRU (new keys only, then the entry just
/// read, then every sequence, overwrites included), each failure replayed in plain words.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading(format!(
        "every sequence of up to {MAX_OPS} puts (of new keys) and gets over k0..k3, cache of {CAPACITY}, against a reference LRU"
    ));
    let fresh = searched(&mut report, search_variant(variant, new_keys_only));
    let first = section(
        &mut report,
        variant,
        fresh,
        &[Op::Put(0), Op::Put(1), Op::Put(2), Op::Put(3)],
    );

    report.heading("read k2, then make room for k3: does the entry just read survive?");
    let read = check_variant(variant, &READ_THEN_MAKE_ROOM);
    let second = section(&mut report, variant, read, &READ_THEN_MAKE_ROOM);

    report.heading(format!(
        "every sequence of up to {MAX_OPS} puts and gets, overwrites included"
    ));
    let all = searched(&mut report, search_variant(variant, |_| true));
    let third = section(&mut report, variant, all, &OVERWRITE_AT_CAPACITY);

    let bugs: Vec<String> = [first, second, third].into_iter().flatten().collect();
    report.conclude(
        bugs.first()
            .map(|first| format!("{} of 3 checks fail; the first: {first}", bugs.len())),
        "after every put and get the cache holds exactly what a least-recently-used cache holds",
    );
    report
}
