//! One bug, many tools: four small concurrency bugs, written once, for every detector to try.
//!
//! Not a broken/fixed demo but a comparison (book page "One bug, many tools"): the same code runs
//! under loom (every interleaving), shuttle (random schedules from a seed, replayable), a plain
//! stress loop on real threads, Miri and ThreadSanitizer, and `scripts/detectors` prints what each
//! one catches and misses — with parking_lot's deadlock detector beside them, run from R8's own
//! crate (`cargo run -p races-deadlock-detection`), the one route to it. The bugs:
//!
//! | bug | code | undefined behaviour? |
//! |---|---|---|
//! | lost update | R1's broken counter ([`crate::unsafe_counter::broken`]): atomic load, then atomic store | no |
//! | data race | `+= 1` on an `UnsafeCell` shared through `unsafe impl Sync` ([`data_race`]) | **yes** |
//! | ABBA deadlock | R4's broken `DeadlockExample` ([`crate::lock_ordering::broken`]) | no |
//! | Relaxed message | `data` then `ready`, both `Relaxed` ([`message`]) | no |
//!
//! Each bug is a *model*: a function that runs the threads, checks the outcome and panics with
//! the bug's name when it shows. Generic over the world (`P: Primitives`), so loom, shuttle
//! (`racelab_kit::sync::Shuttle`, dev-only) and real threads run the very same code; Miri and
//! TSan run it on real threads (`examples/detectors.rs probe`).
//!
//! Why shuttle (a dev-dependency): loom proves small models correct but grows exponentially
//! with threads and steps; shuttle samples schedules at random instead — no proof, but it scales
//! to real-sized tests, and a failing schedule replays exactly from its seed. It treats every atomic as `SeqCst`, so it cannot see the Relaxed bug.
//!
//! The data race is undefined behaviour on real threads, so that type is compiled only with
//! `--cfg racelab_ub` (which `scripts/detectors` sets for its own build, in its own target
//! directory); the normal build has only the loom version, whose cell loom checks on every access.

use std::sync::Arc;

use racelab_kit::sync::prelude::*;

use crate::lock_ordering::{TwoLocks, broken as r4};
use crate::unsafe_counter::{Counter, broken as r1};

pub mod data_race;
pub mod message;

/// The four bugs, by the names the script and the table use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bug {
    /// R1's read-then-write counter: no UB, a wrong count.
    LostUpdate,
    /// An `UnsafeCell` written by two threads at once: UB.
    DataRace,
    /// R4's two locks in opposite orders.
    Abba,
    /// A message published with `Relaxed` stores.
    RelaxedMessage,
}

impl Bug {
    /// All four, in table order.
    pub const ALL: [Bug; 4] = [
        Bug::LostUpdate,
        Bug::DataRace,
        Bug::Abba,
        Bug::RelaxedMessage,
    ];

    /// `lost_update`, `data_race`, `abba`, `relaxed_message`.
    pub fn name(self) -> &'static str {
        match self {
            Bug::LostUpdate => "lost_update",
            Bug::DataRace => "data_race",
            Bug::Abba => "abba",
            Bug::RelaxedMessage => "relaxed_message",
        }
    }

    /// The bug called `name`, if any.
    pub fn from_name(name: &str) -> Option<Bug> {
        Bug::ALL.into_iter().find(|b| b.name() == name)
    }
}

// ANCHOR: lost_update
/// R1's broken counter, unchanged: T0 and T1 increment `k` times each; the count must be `2k`.
pub fn lost_update<P: Primitives>(k: usize) {
    let counter = Arc::new(r1::Counter::<P>::new());
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
// ANCHOR_END: lost_update

/// R4's broken `DeadlockExample`, unchanged: T0 calls `method1` and T1 `method2`, `k` times each.
/// Nothing to assert: the bug is that it may never return (loom and shuttle report "deadlock";
/// real threads need a watchdog).
pub fn abba<P: Primitives>(k: usize) {
    let locks = Arc::new(<r4::DeadlockExample<P> as TwoLocks>::new());
    let t0 = {
        let locks = locks.clone();
        P::spawn("T0", move || (0..k).for_each(|_| locks.method1(|| {})))
    };
    let t1 = {
        let locks = locks.clone();
        P::spawn("T1", move || (0..k).for_each(|_| locks.method2(|| {})))
    };
    t0.join();
    t1.join();
}
