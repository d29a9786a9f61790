//! R1 `unsafe_counter` — `count += 1` from two threads loses updates.
//!
//! Ports the guide's "1. Race Conditions" (L311–335), "1. Shared Mutable State" (L3794–3859) and
//! its test copy (L6983–6993). The guide's explanation is right; what Rust adds is that the Swift
//! code does not compile here (see `tests/compile_fail/unsafe_counter.rs`), so the broken twin is
//! the closest safe program: an atomic read, then an atomic write.
//!
//! The check: two threads increment once each; afterwards the count must be 2. loom runs it under
//! every interleaving. The broken counter fails in the textbook one — both read 0, both write 1.

use std::sync::Arc;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::explore::{Exploration, explore};
use racelab_kit::sync::prelude::*;

pub mod broken;
pub mod fixed;

/// What the check needs from a counter. Each twin implements it in its own file
/// (`impl super::Counter for Counter<P>`); R3's counters implement it too and run the same check.
pub trait Counter: Send + Sync + 'static {
    /// A counter at zero.
    fn new() -> Self;
    /// Adds one: the caller's `count += 1`.
    fn increment(&self);
    /// Reads the count.
    fn get(&self) -> usize;
}

// ANCHOR: check
/// Two threads, `T0` and `T1`, increment once each; then the count must be 2.
pub fn two_increments<P: Primitives, C: Counter>() {
    let counter = Arc::new(C::new());
    let threads = ["T0", "T1"].map(|name| {
        let counter = counter.clone();
        P::spawn(name, move || counter.increment())
    });
    for thread in threads {
        thread.join();
    }
    let count = counter.get();
    if count != 2 {
        panic!("lost update: 2 increments, but the count is {count}");
    }
}
// ANCHOR_END: check

/// Runs the check under loom for one twin.
pub fn explore_variant(variant: Variant) -> Exploration {
    match variant {
        Variant::Broken => explore(two_increments::<Loom, broken::Counter<Loom>>),
        Variant::Fixed => explore(two_increments::<Loom, fixed::Counter<Loom>>),
    }
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "R1",
    name: "unsafe_counter",
    summary: "count += 1 from two threads loses an update; fetch_add does not",
    run: demo,
};

/// The demo: the loom search, narrated.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading("loom: T0 and T1 call increment() once each, in every possible order");
    let x = explore_variant(variant);
    report.exploration(&x);
    report.conclude(
        x.failure.map(|f| f.message),
        format!(
            "2 increments count 2 in all {} interleavings",
            x.interleavings
        ),
    );
    report
}
