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
//! Two models, two checks, both run by loom under every interleaving:
//!
//! * [`two_increments`]: `T0` and `T1` do `count += 1` once each; the count must be 2. The broken
//!   counter (an `RwLock`, get then set) loses an update; the fixed one (`fetch_add`) does not.
//! * [`publish_once`]: a writer stores data then raises a flag; a reader that sees the flag must
//!   see the data. With a `Relaxed` flag the reader can read stale data; with `Release`/`Acquire`
//!   it cannot.

use std::sync::Arc;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::explore::{Exploration, explore};
use racelab_kit::sync::{JoinApi, Loom, Primitives};

pub mod broken;
pub mod fixed;

/// What the counter check needs; both twins' counters have it.
pub trait Counter: Send + Sync + 'static {
    /// A counter at zero.
    fn new() -> Self;
    /// The caller's `count += 1`.
    fn increment(&self);
    /// Reads the count.
    fn get(&self) -> usize;
}

/// What the publication check needs; both twins' messages have it.
pub trait Message: Send + Sync + 'static {
    /// Nothing published yet.
    fn new() -> Self;
    /// Publishes `value`.
    fn send(&self, value: usize);
    /// The value, if the flag says it is there.
    fn receive(&self) -> Option<usize>;
}

macro_rules! twin {
    ($ty:ident) => {
        impl<P: Primitives> Counter for $ty::Counter<P> {
            fn new() -> Self {
                $ty::Counter::new()
            }
            fn increment(&self) {
                $ty::increment(self)
            }
            fn get(&self) -> usize {
                $ty::Counter::get(self)
            }
        }

        impl<P: Primitives> Message for $ty::Message<P> {
            fn new() -> Self {
                $ty::Message::new()
            }
            fn send(&self, value: usize) {
                $ty::Message::send(self, value)
            }
            fn receive(&self) -> Option<usize> {
                $ty::Message::receive(self)
            }
        }
    };
}
twin!(broken);
twin!(fixed);

// ANCHOR: check
/// Two threads, `T0` and `T1`, do `count += 1` once each; then the count must be 2.
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

/// What the writer publishes.
pub const DATA: usize = 42;

// ANCHOR: check_message
/// A `writer` sends [`DATA`] while a `reader` receives: if the reader sees the flag, it must see
/// the data.
pub fn publish_once<P: Primitives, M: Message>() {
    let message = Arc::new(M::new());
    let writer = {
        let message = message.clone();
        P::spawn("writer", move || message.send(DATA))
    };
    let reader = P::spawn("reader", move || message.receive());
    writer.join();
    if let Some(data) = reader.join()
        && data != DATA
    {
        panic!("stale read: the reader saw the flag up but data = {data}, not {DATA}");
    }
}
// ANCHOR_END: check_message

/// Runs the counter check under loom for one twin.
pub fn explore_variant(variant: Variant) -> Exploration {
    match variant {
        Variant::Broken => explore(two_increments::<Loom, broken::Counter<Loom>>),
        Variant::Fixed => explore(two_increments::<Loom, fixed::Counter<Loom>>),
    }
}

/// Runs the publication check under loom for one twin.
pub fn explore_message(variant: Variant) -> Exploration {
    match variant {
        Variant::Broken => explore(publish_once::<Loom, broken::Message<Loom>>),
        Variant::Fixed => explore(publish_once::<Loom, fixed::Message<Loom>>),
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

    let failures: Vec<String> = [&counter, &message]
        .into_iter()
        .filter_map(|x| x.failure.as_ref().map(|f| f.message.clone()))
        .collect();
    // A broken twin is caught only if *both* of its bugs were found.
    let bug = match variant {
        Variant::Broken if failures.len() < 2 => None,
        _ if failures.is_empty() => None,
        _ => Some(failures.join("; ")),
    };
    report.conclude(
        bug,
        format!(
            "2 increments count 2 in all {} interleavings; a reader that sees the flag sees the data \
             in all {}",
            counter.interleavings, message.interleavings
        ),
    );
    report
}
