//! R3 `atomic_counter` — an "atomic" counter with no atomics, and the memory ordering the section
//! promised.
//!
//! Ports the guide's "4. Atomic Operations" (L4208–4289). Its `AtomicCounter` (L4268–4288) exposes
//! `count` with a `queue.sync` getter and a `.barrier` setter, so `counter.count += 1` from outside is
//! a get and a separate set: two threads both get 0, both set 1, and an update is lost. Its own
//! `increment()` (one barrier block) is correct. The class contains no atomic operation, although the
//! section is about hardware atomics, compare-and-swap and memory ordering; and L4249's "no
//! contention between threads" is false — a contended atomic still bounces its cache line between
//! cores.
//!
//! Two models, two twins, two checks, both run by loom under every interleaving:
//!
//! * [`broken`]/[`fixed`] `Counter`, under R1's check [`two_increments`] (the same trait and the
//!   same function, reused): `T0` and `T1` do `count += 1` once each; the count must be 2. The
//!   broken counter (an `RwLock`, get then set) loses an update; the fixed one (`fetch_add`) does
//!   not.
//! * [`message`]: a writer stores data then raises a flag; a reader that sees the flag must see
//!   the data ([`message::publish_once`]). With a `Relaxed` flag the reader can read stale data;
//!   with `Release`/`Acquire` it cannot.

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::explore::{Exploration, explore};
use racelab_kit::sync::prelude::*;

pub mod broken;
pub mod fixed;
pub mod message;

pub use crate::unsafe_counter::{Counter, two_increments};
pub use message::explore_message;

/// Runs the counter check (R1's [`two_increments`]) under loom for one twin.
pub fn explore_variant(variant: Variant) -> Exploration {
    match variant {
        Variant::Broken => explore(two_increments::<Loom, broken::Counter<Loom>>),
        Variant::Fixed => explore(two_increments::<Loom, fixed::Counter<Loom>>),
    }
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "R3",
    name: "atomic_counter",
    summary: "get-then-set loses an update, a Relaxed flag publishes stale data; fetch_add and Release/Acquire do not",
    run: demo,
};

/// The demo: both loom searches, narrated.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading("loom: T0 and T1 do `count += 1` once each, in every possible order");
    let counter = explore_variant(variant);
    report.exploration(&counter);
    report.heading(
        "loom: writer stores data, then raises a flag; reader reads data if the flag is up",
    );
    let message = explore_message(variant);
    report.exploration(&message);

    // Caught only if every check found its bug; holds only if none did.
    report.conclude_each(
        [&counter, &message].map(|x| x.failure.as_ref().map_or(Ok(()), |f| Err(f.message.clone()))),
        format!(
            "2 increments count 2 in all {} interleavings; a reader that sees the flag sees the data \
             in all {}",
            counter.interleavings, message.interleavings
        ),
    );
    report
}
