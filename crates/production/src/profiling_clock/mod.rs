//! P9 `profiling_clock` — a profiler that traps when memory shrinks and times with a clock that
//! can run backwards.
//!
//! Ports `PerformanceProfiler` and `PerformanceMetrics` from "Instruments for Concurrency
//! Analysis" (L1210–1299), with `BottleneckDetector` from "Performance Bottlenecks
//! Identification" (L1366–1394) in prose. Checked against the guide:
//!
//! * `endMemory - startMemory` (L1225, L1242) subtracts two `UInt64`s. Swift traps on overflow,
//!   so any operation after which the resident size is *smaller* crashes the app. The broken
//!   twin traps the same way in every build profile (`checked_sub(…).expect("attempt to subtract
//!   with overflow")`): Rust's own `-` would wrap to a number near 2^64 in a release build.
//! * `CFAbsoluteTimeGetCurrent()` (L1216, L1221) reads the wall clock, which NTP or the user can
//!   step: a duration can come out negative, or hours long. A duration wants a monotonic clock.
//! * Also (prose, see the book page): `memoryDelta` is a `UInt64` handed to a `Double` parameter
//!   (L1227 vs L1270), which does not compile, and `recordOperation` throws it away (L1271–1276);
//!   `BottleneckDetector` calls `profiler.getAverageDuration(for:)` (L1375), which
//!   `PerformanceProfiler` does not have, and it would warn on the running average, not on the
//!   call it just timed.
//!
//! The readings are injected ([`Probe`]): a [`ScriptedProbe`] answers each reading from a
//! script, so "the operation freed 20 MB" and "NTP stepped the clock back" happen on every run.
//!
//! The check ([`records_what_happened`]): `decode` frees a 20 MB buffer in 0.5 s; `resize`
//! allocates 10 MB in 0.5 s while the wall clock is stepped back 1 s. The metrics must record
//! 0.5 s and −20 MB, then 0.5 s and +10 MB.
//!
//! * [`broken`] traps on `decode` and records −0.5 s for `resize`.
//! * [`fixed`] reads a monotonic clock and takes a signed memory delta.
//!
//! How it is caught: **exhaustive: one thread, so one schedule** — scripted readings, no
//! interleaving.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::play::panic_text;
use racelab_kit::say;
use racelab_kit::sync::lock_unpoisoned;
use racelab_kit::trace::{Trace, as_actor, traced};

use crate::memory::{Memory, Readings};

pub mod broken;
pub mod fixed;

pub use crate::memory::MB;

// ANCHOR: probe
/// Where a profiler's readings come from. On a real system: the wall clock is
/// `SystemTime::now()`, the monotonic clock `Instant::now()`, and the resident size — the
/// [`Memory`] supertrait, the chapter's shared [`crate::memory`] — `VmRSS` from
/// `/proc/self/status` ([`crate::memory::ProcStatus`]; Apple:
/// `mach_task_basic_info.resident_size`).
pub trait Probe: Memory {
    /// `CFAbsoluteTimeGetCurrent()`: seconds on the wall clock, which can be set.
    fn wall_clock(&self) -> f64;
    /// Seconds on a monotonic clock (`Instant`, `ContinuousClock`): only ever moves forward.
    fn monotonic(&self) -> f64;
}
// ANCHOR_END: probe

/// A probe that answers every reading from a script, in order, and says what it read. (Not the
/// chapter's fault injector [`crate::scripted::Scripted`]: this one scripts readings.)
#[derive(Debug)]
pub struct ScriptedProbe {
    wall: Mutex<VecDeque<f64>>,
    monotonic: Mutex<VecDeque<f64>>,
    resident: Arc<Readings>,
}

impl ScriptedProbe {
    /// The readings each source gives, in order.
    pub fn new(wall: [f64; 2], monotonic: [f64; 2], resident: [u64; 2]) -> Self {
        ScriptedProbe {
            wall: Mutex::new(wall.into()),
            monotonic: Mutex::new(monotonic.into()),
            resident: Readings::new(&resident),
        }
    }
}

/// The next scripted reading of one clock (a script too short is a bug in the check).
fn next(script: &Mutex<VecDeque<f64>>) -> f64 {
    lock_unpoisoned(script)
        .pop_front()
        .expect("the script has a reading for every call")
}

impl Probe for ScriptedProbe {
    fn wall_clock(&self) -> f64 {
        let t = next(&self.wall);
        as_actor("system", || say!("wall clock reads {t:.3} s"));
        t
    }

    fn monotonic(&self) -> f64 {
        let t = next(&self.monotonic);
        as_actor("system", || say!("monotonic clock reads {t:.3} s"));
        t
    }
}

impl Memory for ScriptedProbe {
    fn resident(&self) -> u64 {
        let bytes = self.resident.resident();
        as_actor("system", || say!("resident memory is {} MB", bytes / MB));
        bytes
    }
}

/// `class PerformanceMetrics`: every operation's durations and memory deltas, by name. (The
/// guide's concurrent queue with barrier writes is correct; a mutex says the same in Rust.)
#[derive(Debug, Default)]
pub struct PerformanceMetrics {
    operations: Mutex<BTreeMap<String, Vec<(f64, f64)>>>,
}

impl PerformanceMetrics {
    /// `recordOperation(name:duration:memoryDelta:)` — keeping the memory delta, which the
    /// guide's drops.
    pub fn record_operation(&self, name: &str, duration: f64, memory_delta: f64) {
        lock_unpoisoned(&self.operations)
            .entry(name.to_string())
            .or_default()
            .push((duration, memory_delta));
    }

    /// The last (duration in s, memory delta in bytes) recorded for `name`.
    pub fn last(&self, name: &str) -> Option<(f64, f64)> {
        lock_unpoisoned(&self.operations)
            .get(name)
            .and_then(|samples| samples.last().copied())
    }
}

/// What the check needs of a twin: `profileOperation(_:name:)` and its metrics.
pub trait Profiler: Default {
    /// Runs `operation`, reading the clock and the resident size before and after, and records
    /// the difference under `name`.
    fn profile_operation<T>(
        &self,
        probe: &dyn Probe,
        operation: impl FnOnce() -> T,
        name: &str,
    ) -> T;
    /// What was recorded.
    fn metrics(&self) -> &PerformanceMetrics;
}

/// One profiled operation: its name, what happens while it runs, its readings, and what a
/// correct profiler records.
struct Case {
    name: &'static str,
    story: &'static str,
    probe: fn() -> ScriptedProbe,
    duration: f64,
    memory_delta_mb: f64,
}

const CASES: [Case; 2] = [
    Case {
        name: "decode",
        story: "frees a 20 MB buffer and takes 0.5 s",
        probe: || ScriptedProbe::new([1000.0, 1000.5], [50.0, 50.5], [120 * MB, 100 * MB]),
        duration: 0.5,
        memory_delta_mb: -20.0,
    },
    Case {
        name: "resize",
        story: "allocates 10 MB in 0.5 s while NTP steps the wall clock back 1 s",
        probe: || ScriptedProbe::new([2000.0, 1999.5], [60.0, 60.5], [100 * MB, 110 * MB]),
        duration: 0.5,
        memory_delta_mb: 10.0,
    },
];

// ANCHOR: check
/// Profiles `decode` (frees 20 MB) and `resize` (allocates 10 MB while the wall clock steps back):
/// the metrics must say 0.5 s and −20 MB, then 0.5 s and +10 MB.
pub fn records_what_happened<P: Profiler>() -> Result<(), String> {
    let profiler = P::default();
    let mut wrong = Vec::new();
    for case in &CASES {
        say!("profiles {}, which {}", case.name, case.story);
        let probe = (case.probe)();
        let panicked = panic_text(|| {
            profiler.profile_operation(&probe, || (), case.name);
        });
        if let Some(panic) = panicked {
            say!("panics: {panic}");
            wrong.push(format!("profiling {} panicked: {panic}", case.name));
            continue;
        }
        let (duration, delta) = profiler.metrics().last(case.name).unwrap_or_default();
        let delta_mb = delta / MB as f64;
        say!("records {}: {duration:.3} s, {delta_mb:+.0} MB", case.name);
        if duration != case.duration || delta_mb != case.memory_delta_mb {
            wrong.push(format!(
                "{} recorded {duration:.3} s and {delta_mb:+.0} MB, but took {:.3} s and changed \
                 memory by {:+.0} MB",
                case.name, case.duration, case.memory_delta_mb
            ));
        }
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(wrong.join("; "))
    }
}
// ANCHOR_END: check

/// Runs the check for one twin, with a trace installed.
pub fn run(variant: Variant) -> (Result<(), String>, Trace) {
    traced(|_| {
        as_actor("app", || match variant {
            Variant::Broken => records_what_happened::<broken::PerformanceProfiler>(),
            Variant::Fixed => records_what_happened::<fixed::PerformanceProfiler>(),
        })
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "P9",
    name: "profiling_clock",
    summary: "the profiler traps when memory shrinks and times with a wall clock that steps back",
    run: demo,
};

/// The demo: the two profiled operations, narrated.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading("scripted readings: an operation that frees memory, then a wall-clock step");
    let (outcome, trace) = run(variant);
    report.trace(&trace);
    report.conclude(
        outcome.err(),
        "both operations recorded 0.5 s, decode −20 MB and resize +10 MB",
    );
    report
}
