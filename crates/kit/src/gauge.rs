//! A gauge of work in flight: how many are inside right now, and the most there ever were.
//!
//! Width checks all ask the same two questions — "how many jobs run at this moment?" (a scenario
//! waits for that number before it opens a gate) and "what is the most that ever ran at once?"
//! (the check: `peak <= width`). The answer is always the same two atomics: a running count and a
//! `fetch_max` of it. Written by hand each time it is easy to get subtly wrong — forget the
//! `fetch_sub` on an early return or a panic, record the peak before the increment — so it lives
//! here once:
//!
//! ```
//! use racelab_kit::gauge::Gauge;
//!
//! let gauge = Gauge::new();
//! {
//!     let _a = gauge.enter();
//!     let _b = gauge.enter();
//!     assert_eq!(gauge.now(), 2);
//! } // both leave here, even on a panic
//! assert_eq!((gauge.now(), gauge.peak()), (0, 2));
//! ```
//!
//! [`Gauge::enter`] returns a guard ([`Inside`]) that leaves when dropped, so "leave" cannot be
//! forgotten; drop it by hand where the order matters ("leaves, then says it finished").
//!
//! Real threads only: it is plain `std` atomics, `SeqCst` so the peak is one total order. A loom
//! model counts with its own `P::AtomicUsize` where the count is part of what is explored.

use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

/// How many are inside right now, and the most that ever were at once.
#[derive(Debug, Default)]
pub struct Gauge {
    now: AtomicUsize,
    peak: AtomicUsize,
}

impl Gauge {
    /// An empty gauge: nobody inside, peak 0.
    pub const fn new() -> Self {
        Gauge {
            now: AtomicUsize::new(0),
            peak: AtomicUsize::new(0),
        }
    }

    /// Counts the caller in and records the new peak; the returned guard counts it out again.
    #[must_use = "the caller leaves the gauge when the guard is dropped"]
    pub fn enter(&self) -> Inside<'_> {
        let now = self.now.fetch_add(1, SeqCst) + 1;
        self.peak.fetch_max(now, SeqCst);
        Inside { gauge: self }
    }

    /// How many are inside right now.
    pub fn now(&self) -> usize {
        self.now.load(SeqCst)
    }

    /// The most that were ever inside at once.
    pub fn peak(&self) -> usize {
        self.peak.load(SeqCst)
    }
}

/// One caller inside a [`Gauge`]; leaves it when dropped.
#[derive(Debug)]
pub struct Inside<'a> {
    gauge: &'a Gauge,
}

impl Drop for Inside<'_> {
    fn drop(&mut self) {
        self.gauge.now.fetch_sub(1, SeqCst);
    }
}
