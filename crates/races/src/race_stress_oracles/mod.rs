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
//! Also wrong in the guide, not ported (see the book page): the test's own check-then-remove
//! (L6856–6857) races with the other removers; `detectedRaces` (L6787) is appended to from async
//! methods of a non-`Sendable` class; Swift 6 rejects capturing the non-`Sendable` managers in
//! `addTask` closures.

use std::fmt::Debug;
use std::sync::Arc;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::explore::{Exploration, explore};
use racelab_kit::say;
use racelab_kit::sync::{JoinApi, Loom, Primitives, Std};
use racelab_kit::trace::{Trace, traced};

use crate::unsafe_counter::{self, Counter};
use managers::{ArrayManager, ArrayRun, CounterRun, DataManager, DataRun};

pub mod broken;
pub mod fixed;
pub mod managers;

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

/// Iterations per thread in the gated real-thread runs: enough to show a pattern, short enough to
/// read.
pub const GATED_ITERATIONS: usize = 2;

// ANCHOR: array_gated
/// The array workload on real threads, 1 adder and 1 remover, with the remover's turn first: A0
/// is spawned first, as in the guide, but a gate holds it until R0 is done. A legal order for
/// any scheduler, forced here so that it happens on every run.
pub fn array_gated(trace: &Trace) -> ArrayRun {
    let manager = Arc::new(ArrayManager::<Std>::new());
    let a0 = {
        let (manager, trace) = (manager.clone(), trace.clone());
        Std::spawn("A0", move || {
            trace.gate("R0", &["is done"]);
            managers::adder(&manager, 0, GATED_ITERATIONS);
        })
    };
    let r0 = {
        let manager = manager.clone();
        Std::spawn("R0", move || {
            let removed = managers::remover(&manager, GATED_ITERATIONS);
            say!("is done");
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
pub fn data_gated(trace: &Trace) -> DataRun {
    let manager = Arc::new(DataManager::<Std>::new());
    let w0 = {
        let (manager, trace) = (manager.clone(), trace.clone());
        Std::spawn("W0", move || {
            trace.gate("W1", &["is done"]);
            managers::writer(&manager, 0, GATED_ITERATIONS);
        })
    };
    let w1 = {
        let manager = manager.clone();
        Std::spawn("W1", move || {
            managers::writer(&manager, 1, GATED_ITERATIONS);
            say!("is done");
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
pub fn counter_gated<C: Counter>(trace: &Trace) -> CounterRun {
    let counter = Arc::new(C::new());
    let t0 = {
        let counter = counter.clone();
        Std::spawn("T0", move || {
            (0..GATED_ITERATIONS).for_each(|_| counter.increment());
            say!("is done");
        })
    };
    let t1 = {
        let (counter, trace) = (counter.clone(), trace.clone());
        Std::spawn("T1", move || {
            trace.gate("T0", &["is done"]);
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
    threads.into_iter().for_each(JoinApi::join);
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

/// A twin's oracles on the gated array run: the run, the oracle's word, and the trace.
pub fn run_array_gated(variant: Variant) -> (ArrayRun, Result<(), String>, Trace) {
    let ((run, said), trace) = traced(|trace| {
        let run = array_gated(trace);
        let said = match variant {
            Variant::Broken => <broken::Oracles as StressOracles>::array(&run),
            Variant::Fixed => <fixed::Oracles as StressOracles>::array(&run),
        };
        (run, said)
    });
    (run, said, trace)
}

/// A twin's oracles on the gated data run.
pub fn run_data_gated(variant: Variant) -> (DataRun, Result<(), String>, Trace) {
    let ((run, said), trace) = traced(|trace| {
        let run = data_gated(trace);
        let said = match variant {
            Variant::Broken => <broken::Oracles as StressOracles>::data(&run),
            Variant::Fixed => <fixed::Oracles as StressOracles>::data(&run),
        };
        (run, said)
    });
    (run, said, trace)
}

/// A twin's array oracle under loom, on the correct array.
pub fn explore_array(variant: Variant) -> Exploration {
    match variant {
        Variant::Broken => explore(array_model::<broken::Oracles>),
        Variant::Fixed => explore(array_model::<fixed::Oracles>),
    }
}

/// A twin's data oracle under loom, on the correct store.
pub fn explore_data(variant: Variant) -> Exploration {
    match variant {
        Variant::Broken => explore(data_model::<broken::Oracles>),
        Variant::Fixed => explore(data_model::<fixed::Oracles>),
    }
}

/// What a twin's counter search saw on one of R1's counters.
#[derive(Debug)]
pub enum CounterSearch {
    /// One gated run on real threads.
    RealRun {
        /// What happened.
        run: CounterRun,
        /// The oracle's word.
        said: Result<(), String>,
        /// Who did what.
        trace: Trace,
    },
    /// loom's search.
    Loom(Exploration),
}

impl CounterSearch {
    /// The race the search reported, if any.
    pub fn alarm(&self) -> Option<&str> {
        match self {
            CounterSearch::RealRun { said, .. } => said.as_ref().err().map(String::as_str),
            CounterSearch::Loom(x) => x.failure.as_ref().map(|f| f.message.as_str()),
        }
    }
}

/// Searches one of R1's counters (`r1`: its broken or fixed twin) the way twin `variant` does.
pub fn search_counter(variant: Variant, r1: Variant) -> CounterSearch {
    fn with<O: StressOracles>(r1: Variant) -> CounterSearch {
        type R1Broken<P> = unsafe_counter::broken::Counter<P>;
        type R1Fixed<P> = unsafe_counter::fixed::Counter<P>;
        match O::SEARCH {
            Search::OneRealRun => {
                let ((run, said), trace) = traced(|trace| {
                    let run = match r1 {
                        Variant::Broken => counter_gated::<R1Broken<Std>>(trace),
                        Variant::Fixed => counter_gated::<R1Fixed<Std>>(trace),
                    };
                    let said = O::counter(&run);
                    (run, said)
                });
                CounterSearch::RealRun { run, said, trace }
            }
            Search::Loom => CounterSearch::Loom(match r1 {
                Variant::Broken => explore(counter_model::<O, R1Broken<Loom>>),
                Variant::Fixed => explore(counter_model::<O, R1Fixed<Loom>>),
            }),
        }
    }
    match variant {
        Variant::Broken => with::<broken::Oracles>(r1),
        Variant::Fixed => with::<fixed::Oracles>(r1),
    }
}

/// "no race detected" or the alarm, for narration.
fn word(said: &Result<(), String>) -> String {
    match said {
        Ok(()) => "no race detected".to_string(),
        Err(alarm) => alarm.clone(),
    }
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "R15",
    name: "race_stress_oracles",
    summary: "stress-test oracles flag correct code and miss broken code; right expected values and loom do not",
    run: demo,
};

/// The demo: each oracle on correct code (forced orders, then every interleaving), then the
/// counter oracle on R1's broken and fixed counters, searched the twin's way.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    // What the twin got wrong: false alarms on correct code (oracle: where), and misses.
    let mut alarms: Vec<(&str, &str)> = Vec::new();
    let mut misses: Vec<&str> = Vec::new();

    report.heading("real threads, a correct array: the remover's turn first (A0 waits for R0)");
    let (run, said, trace) = run_array_gated(variant);
    report.trace(&trace);
    report.line(format!(
        "=> {} added, {} remove tries, {} removed, {} left",
        run.adds, run.remove_tries, run.removed, run.final_count
    ));
    report.line(format!("=> the array oracle: {}", word(&said)));
    if said.is_err() {
        report.line("   a false alarm: this array is correct.");
        alarms.push(("array", "forced order"));
    }

    report.heading("real threads, a correct store: writer 1 is done first (W0 waits for W1)");
    let (run, said, trace) = run_data_gated(variant);
    report.trace(&trace);
    report.line(format!("=> the final value is {:?}", run.final_value));
    report.line(format!("=> the data oracle: {}", word(&said)));
    if said.is_err() {
        report.line("   a false alarm: this store is correct.");
        alarms.push(("data", "forced order"));
    }

    report.heading("loom: the correct array (A0 adds once, R0 tries once), every interleaving");
    let array = explore_array(variant);
    report.exploration(&array);
    if array.found_bug() {
        alarms.push(("array", "loom"));
    }
    report.heading("loom: the correct store (W0 and W1 write once each), every interleaving");
    let data = explore_data(variant);
    report.exploration(&data);
    if data.found_bug() {
        alarms.push(("data", "loom"));
    }

    for (r1, name) in [(Variant::Broken, "broken"), (Variant::Fixed, "fixed")] {
        let search = search_counter(variant, r1);
        match &search {
            CounterSearch::RealRun { run, said, trace } => {
                report.heading(format!(
                    "one real run of R1's {name} counter: this time T1 starts after T0 is done"
                ));
                report.trace(trace);
                report.line(format!(
                    "=> count {} of {}: {}",
                    run.final_count,
                    run.threads * run.iterations,
                    word(said)
                ));
            }
            CounterSearch::Loom(x) => {
                report.heading(format!(
                    "loom: R1's {name} counter, T0 and T1 increment once each, every interleaving"
                ));
                report.exploration(x);
            }
        }
        match (r1, search.alarm()) {
            (Variant::Broken, None) => {
                report.line("   a miss: R1's broken counter loses updates (see R1).");
                misses.push("missed R1's broken counter");
            }
            (Variant::Fixed, Some(_)) => alarms.push(("counter", "R1's fixed counter")),
            _ => {}
        }
    }

    let mut wrong: Vec<String> = Vec::new();
    if !alarms.is_empty() {
        let each: Vec<String> = alarms.iter().map(|(o, w)| format!("{o} ({w})")).collect();
        wrong.push(format!("false alarms on correct code: {}", each.join(", ")));
    }
    wrong.extend(misses.iter().map(|m| m.to_string()));
    let bug = (!wrong.is_empty()).then(|| wrong.join("; "));
    report.conclude(
        bug,
        format!(
            "no false alarm on correct code (forced orders; all {} + {} interleavings); R1's broken counter flagged",
            array.interleavings, data.interleavings
        ),
    );
    report
}
