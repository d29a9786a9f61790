//! The data race: `count += 1` on a plain `UnsafeCell<usize>` that two threads share.
//!
//! This is the guide's `UnsafeCounter` (L6983–6993) as Swift really runs it: a plain memory cell
//! written by two threads with no synchronisation. Safe Rust refuses it (R1's compile-fail test);
//! it takes an `unsafe impl Sync` — a promise that is *false* here — to build it. Unlike R1's
//! atomic lost update, this is undefined behaviour: the compiler may assume no other thread writes
//! the cell, and Miri and ThreadSanitizer report it as a data race.
//!
//! Two versions:
//! * [`LoomRacyCounter`] (normal build) keeps the count in `loom::cell::UnsafeCell`, which checks
//!   every access against loom's happens-before record and panics with "Causality violation"
//!   before a racing access happens. loom sees races only on *its* cell: on a std `UnsafeCell` it
//!   is blind.
//! * `RacyCounter` (only with `--cfg racelab_ub`) is the real thing on std's `UnsafeCell`, for
//!   Miri, TSan, shuttle and the stress loop. It is deliberately unsound and exists only in the
//!   build `scripts/detectors` makes for itself.

use std::sync::Arc;

use racelab_kit::sync::prelude::*;

/// The racy counter on loom's checked cell.
pub struct LoomRacyCounter {
    count: loom::cell::UnsafeCell<usize>,
}

// Safety: a `LoomRacyCounter` only works inside a loom model (loom's cell panics outside one), where
// every model thread runs on the one OS thread that called `loom::model`, one at a time. Before each
// access loom checks that no other thread's access to the cell is concurrent with it and panics if
// one is — so no two accesses ever race, and sharing `&LoomRacyCounter` between model threads is
// sound. (That check is precisely how loom reports the data race.)
unsafe impl Sync for LoomRacyCounter {}

impl LoomRacyCounter {
    /// Zero.
    pub fn new() -> Self {
        LoomRacyCounter {
            count: loom::cell::UnsafeCell::new(0),
        }
    }

    /// `count += 1` on the plain cell.
    pub fn increment(&self) {
        // Safety: loom's `with_mut` has just checked that no other access to the cell is
        // concurrent with this one (it panics instead of calling us if one is), and `p` points
        // to the cell's live value.
        self.count.with_mut(|p| unsafe { *p += 1 });
    }

    /// The count.
    pub fn get(&self) -> usize {
        // Safety: as in `increment`, loom checked this read races with no write.
        self.count.with(|p| unsafe { *p })
    }
}

impl Default for LoomRacyCounter {
    fn default() -> Self {
        Self::new()
    }
}

/// loom model: T0 and T1 increment once each through loom's cell.
pub fn data_race_loom() {
    let counter = Arc::new(LoomRacyCounter::new());
    let threads = ["T0", "T1"].map(|name| {
        let counter = counter.clone();
        Loom::spawn(name, move || counter.increment())
    });
    for thread in threads {
        thread.join();
    }
    let count = counter.get();
    assert!(count == 2, "lost update: 2 increments, count {count}");
}

#[cfg(racelab_ub)]
pub use ub::{RacyCounter, data_race};

#[cfg(racelab_ub)]
mod ub {
    use std::cell::UnsafeCell;
    use std::sync::Arc;

    use racelab_kit::sync::prelude::*;

    // ANCHOR: racy
    /// The guide's `UnsafeCounter`: a plain cell, shared as if it were thread-safe. UNSOUND.
    pub struct RacyCounter {
        count: UnsafeCell<usize>,
    }

    // Safety: NONE — this is the bug, on purpose. `RacyCounter` is not thread-safe: `increment`
    // writes the cell with no synchronisation, so two threads calling it at once is a data race,
    // which is undefined behaviour. It exists only under `--cfg racelab_ub`, for Miri and
    // ThreadSanitizer to find; nothing in the normal build can name it.
    unsafe impl Sync for RacyCounter {}

    impl RacyCounter {
        /// `count += 1`. Not inlined, so a loop of them stays a loop of loads and stores.
        #[inline(never)]
        pub fn increment(&self) {
            // Safety: NOT safe when another thread increments at the same time (the data race
            // this type exists to show); sound only on one thread.
            unsafe { *self.count.get() += 1 }
        }

        /// The count.
        pub fn get(&self) -> usize {
            // Safety: called after every incrementing thread was joined, so no write races this
            // read (the join orders them).
            unsafe { *self.count.get() }
        }
    }
    // ANCHOR_END: racy

    /// The model: T0 and T1 increment `k` times each; the count must be `2k`. UB on real threads.
    pub fn data_race<P: Primitives>(k: usize) {
        let counter = Arc::new(RacyCounter {
            count: UnsafeCell::new(0),
        });
        let threads = ["T0", "T1"].map(|name| {
            let counter = counter.clone();
            P::spawn(name, move || (0..k).for_each(|_| counter.increment()))
        });
        for thread in threads {
            thread.join();
        }
        let count = counter.get();
        assert!(
            count == 2 * k,
            "lost update: {} increments, count {count}",
            2 * k
        );
    }
}
