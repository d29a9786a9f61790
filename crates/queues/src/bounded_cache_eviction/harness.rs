//! Q11's search and replay, apart from the check in [`super`]: every sequence of up to
//! [`MAX_OPS`] operations run through [`check`] shortest first (so the first failure is minimal),
//! the two hand-picked sequences the demo replays, and the replay that narrates a sequence with a
//! trace installed.

use racelab_kit::demo::Variant;
use racelab_kit::say;
use racelab_kit::trace::{Trace, as_actor};

use super::{
    CAPACITY, Cache, Counterexample, Image, KEYS, MAX_OPS, Op, ReferenceLru, broken, check, fixed,
};

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
