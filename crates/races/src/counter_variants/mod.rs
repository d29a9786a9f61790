//! R2 `counter_variants` — every method is safe; "check, then increment" is not.
//!
//! Ports the guide's safe counters: the serial queue and the actor (L338–369, L3962–4031) and
//! `NSLock`/`DispatchSemaphore` (L4113–4206). They are all correct as far as they go — loom
//! confirms that two plain `increment`s always count 2 — and they share a trap the guide never
//! mentions: callers compose them. "Increment if below the limit", written as a `get` and an
//! `increment`, overshoots the limit; loom finds the interleaving. The fix holds one lock across
//! the check and the act.
//!
//! The guide's `attributes: .serial` (L342, L4017) does not exist in Dispatch (a serial queue is
//! the default); it is one of 18 such lines.
//!
//! [`variants`] holds six correct counters and `benches/counter_variants.rs` measures them, to
//! answer the guide's claim that a serial queue costs less than a lock (L3976, L3996).

use std::sync::Arc;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::explore::{Exploration, explore};
use racelab_kit::sync::prelude::*;

pub mod broken;
pub mod fixed;
pub mod variants;

pub use crate::unsafe_counter::{Counter, two_increments};

/// What the last-ticket check needs beyond R1's [`Counter`] (whose check, [`two_increments`],
/// shows each method alone is safe). Each twin implements both traits in its own file.
pub trait Capped: Counter {
    /// Adds one if below `limit`; says whether it did.
    fn increment_below(&self, limit: usize) -> bool;
}

// ANCHOR: check
/// One ticket left: T0 and T1 each try to take it with `increment_below(1)`. Exactly one may
/// succeed, and the count must end at 1.
pub fn last_ticket<P: Primitives, C: Capped>() {
    let counter = Arc::new(C::new());
    let threads = ["T0", "T1"].map(|name| {
        let counter = counter.clone();
        P::spawn(name, move || counter.increment_below(1))
    });
    let winners = threads
        .into_iter()
        .map(|thread| thread.join())
        .filter(|&took| took)
        .count();
    let count = counter.get();
    if count > 1 || winners != 1 {
        panic!("overshoot: limit 1, but {winners} threads took a ticket and the count is {count}");
    }
}
// ANCHOR_END: check

/// Runs the last-ticket check under loom for one twin.
pub fn explore_variant(variant: Variant) -> Exploration {
    match variant {
        Variant::Broken => explore(last_ticket::<Loom, broken::SafeCounter<Loom>>),
        Variant::Fixed => explore(last_ticket::<Loom, fixed::SafeCounter<Loom>>),
    }
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "R2",
    name: "counter_variants",
    summary: "every counter method is safe; check-then-increment overshoots; one lock scope fixes it",
    run: demo,
};

/// The demo: the last-ticket search, narrated; the fixed run also shows each counter variant
/// counting correctly on real threads.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading("loom: one ticket left; T0 and T1 both call increment_below(1)");
    let x = explore_variant(variant);
    report.exploration(&x);
    if variant == Variant::Fixed {
        report.heading("real threads: each counter variant, 2 threads × 1000 increments");
        for (name, count) in variants::variants_count(2, 1000) {
            report.line(format!("{name:<22} counts {count}"));
        }
        report.line("(their costs: `cargo bench -p races`, and the book's R2 page)");
    }
    report.conclude(
        x.failure.map(|f| f.message),
        format!(
            "exactly one thread takes the last ticket in all {} interleavings",
            x.interleavings
        ),
    );
    report
}
