//! R15 `race_stress_oracles` — "run it 10,000 times" flags correct code and misses broken code.
//!
//! Ports the guide's "Race Condition Stress Testing" (L6783–7024): `RaceConditionStressTester`
//! runs each workload once on real threads and compares the outcome with an expected value. This
//! demo judges those *oracles* the only way an oracle can be judged — on code whose correctness is
//! known:
//!
//! * on **correct** code (the guide's managers with a lock each, [`managers`]) an oracle must pass
//!   in every order the threads can run. The guide's array and data oracles fail: a gate that lets
//!   the remover run first (or writer 1 write first) makes them report a race on correct code every
//!   time, and loom finds the same orders on its own;
//! * on **broken** code (R1's counter, reused from [`crate::unsafe_counter::broken`]) an oracle
//!   must fail. The guide's counter oracle is right, but one run on real threads is one schedule:
//!   when T1 starts after T0 is done — a schedule the OS often picks — the broken counter passes.
//!
//! The fixed twin ([`fixed`]) changes the expected values (`adds − successful removes`; "the last
//! write of *some* writer") and the search (loom, every interleaving). How often a plain stress
//! loop sees R1's lost update is a *measurement*, not a test: `scripts/detectors` measures it and
//! writes the book's table (`cargo run --release -p races --example detectors -- oracles`).
//!
//! Plumbing: running one twin's oracles (and searching R1's counters its way) is [`harness`]; the
//! demo's report is [`narrate`].
//!
//! Also wrong in the guide, not ported (see the book page): the test's own check-then-remove
//! (L6856–6857) races with the other removers; `detectedRaces` (L6787) is appended to from async
//! methods of a non-`Sendable` class; Swift 6 rejects capturing the non-`Sendable` managers in
//! `addTask` closures.

use std::fmt::Debug;
use std::sync::Arc;

use racelab_kit::demo::Demo;
use racelab_kit::sync::prelude::*;
use racelab_kit::trace::Step;
use racelab_kit::{step, wait};

use crate::unsafe_counter::Counter;
use managers::{ArrayManager, ArrayRun, CounterRun, DataManager, DataRun};

pub mod broken;
pub mod fixed;
pub mod harness;
pub mod managers;
pub mod narrate;

pub use harness::{
    CounterSearch, explore_array, explore_data, run_array_gated, run_data_gated, search_counter,
};

/// How a twin looks for the race it checks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Search {
    /// Run the threads once on real threads and look at the result (the guide).
    OneRealRun,
    /// Run them under loom, in every interleaving.
    Loom,
}

/// A set of stress-test oracles: each says `Err("race detected: …")` or `Ok(())` for one run.
pub trait StressOracles: Send + Sync + 'static {
    /// How the counter race is searched for.
    const SEARCH: Search;
    /// Judges one run of the array workload.
    fn array(run: &ArrayRun) -> Result<(), String>;
    /// Judges one run of the data workload.
    fn data(run: &DataRun) -> Result<(), String>;
    /// Judges one run of the counter workload.
    fn counter(run: &CounterRun) -> Result<(), String>;
}

/// `Ok` when `actual == expected`, else the guide's "race detected" with both values.
pub(crate) fn mismatch<T: PartialEq + Debug>(
    what: &str,
    expected: T,
    actual: T,
) -> Result<(), String> {
    if actual == expected {
        Ok(())
    } else {
        Err(format!(
            "race detected: expected {what} {expected:?}, got {actual:?}"
        ))
    }
}

/// `Ok` when `actual` is one of `expected`, else "race detected" with all of them.
pub(crate) fn one_of<T: PartialEq + Debug>(
    what: &str,
    expected: impl IntoIterator<Item = T>,
    actual: &T,
) -> Result<(), String> {
    let expected: Vec<T> = expected.into_iter().collect();
    if expected.contains(actual) {
        Ok(())
    } else {
        Err(format!(
            "race detected: expected {what} one of {expected:?}, got {actual:?}"
        ))
    }
}

/// "is done": a thread of a gated run has finished its work (what the other thread waits for).
pub const IS_DONE: Step = Step("is done");

/// Iterations per thread in the gated real-thread runs: enough to show a pattern, short enough to
/// read.
pub const GATED_ITERATIONS: usize = 2;

// ANCHOR: array_gated
/// The array workload on real threads, 1 adder and 1 remover, with the remover's turn first: A0
/// is spawned first, as in the guide, but a gate holds it until R0 is done. A legal order for
/// any scheduler, forced here so that it happens on every run.
pub fn array_gated() -> ArrayRun {
    let manager = Arc::new(ArrayManager::<Std>::new());
    let a0 = {
        let manager = manager.clone();
        Std::spawn("A0", move || {
            wait::until("R0 is done", || wait::reached("R0", IS_DONE));
            managers::adder(&manager, 0, GATED_ITERATIONS);
        })
    };
    let r0 = {
        let manager = manager.clone();
        Std::spawn("R0", move || {
            let removed = managers::remover(&manager, GATED_ITERATIONS);
            step!(IS_DONE);
            removed
        })
    };
    a0.join();
    let removed = r0.join();
    ArrayRun {
        adds: GATED_ITERATIONS,
        remove_tries: GATED_ITERATIONS,
        removed,
        final_count: manager.count(),
    }
}
// ANCHOR_END: array_gated

/// The data workload on real threads, 2 writers, with writer 1 (spawned last) done first.
pub fn data_gated() -> DataRun {
    let manager = Arc::new(DataManager::<Std>::new());
    let w0 = {
        let manager = manager.clone();
        Std::spawn("W0", move || {
            wait::until("W1 is done", || wait::reached("W1", IS_DONE));
            managers::writer(&manager, 0, GATED_ITERATIONS);
        })
    };
    let w1 = {
        let manager = manager.clone();
        Std::spawn("W1", move || {
            managers::writer(&manager, 1, GATED_ITERATIONS);
            step!(IS_DONE);
        })
    };
    w0.join();
    w1.join();
    DataRun {
        writers: 2,
        iterations: GATED_ITERATIONS,
        final_value: manager.get_value(),
    }
}

/// A counter (one of R1's twins) on real threads, T1 started after T0 is done: one schedule out
/// of many, and one a real OS often picks when each thread has little to do.
pub fn counter_gated<C: Counter>() -> CounterRun {
    let counter = Arc::new(C::new());
    let t0 = {
        let counter = counter.clone();
        Std::spawn("T0", move || {
            (0..GATED_ITERATIONS).for_each(|_| counter.increment());
            step!(IS_DONE);
        })
    };
    let t1 = {
        let counter = counter.clone();
        Std::spawn("T1", move || {
            wait::until("T0 is done", || wait::reached("T0", IS_DONE));
            (0..GATED_ITERATIONS).for_each(|_| counter.increment());
        })
    };
    t0.join();
    t1.join();
    CounterRun {
        threads: 2,
        iterations: GATED_ITERATIONS,
        final_count: counter.get(),
    }
}

// ANCHOR: models
/// loom model: a correct array, 1 adder and 1 remover, once each; the oracle must not cry race.
pub fn array_model<O: StressOracles>() {
    let run = managers::array_workload::<Loom>(1, 1, 1);
    if let Err(alarm) = O::array(&run) {
        panic!("{alarm} (on a correct array)");
    }
}

/// loom model: a correct store, 2 writers, one write each.
pub fn data_model<O: StressOracles>() {
    let run = managers::data_workload::<Loom>(0, 2, 1);
    if let Err(alarm) = O::data(&run) {
        panic!("{alarm} (on a correct store)");
    }
}

/// loom model: one of R1's counters, 2 threads, one increment each, judged by the oracle.
pub fn counter_model<O: StressOracles, C: Counter>() {
    let counter = Arc::new(C::new());
    let threads = ["T0", "T1"].map(|name| {
        let counter = counter.clone();
        Loom::spawn(name, move || counter.increment())
    });
    for thread in threads {
        thread.join();
    }
    let run = CounterRun {
        threads: 2,
        iterations: 1,
        final_count: counter.get(),
    };
    if let Err(alarm) = O::counter(&run) {
        panic!("{alarm}");
    }
}
// ANCHOR_END: models

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "R15",
    name: "race_stress_oracles",
    summary: "stress-test oracles flag correct code and miss broken code; right expected values and loom do not",
    run: narrate::demo,
};
