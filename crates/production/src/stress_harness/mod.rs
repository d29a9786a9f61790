//! P6 `stress_harness` — a stress test that blocks the thread its operations need measures
//! nothing.
//!
//! Ports the guide's `ConcurrentStressTester`, "Concurrent Operation Stress Testing"
//! (L6586–6781). What it gets wrong:
//!
//! * `group.wait(timeout:)` (L6650) **blocks a thread inside an async function**. Swift's
//!   cooperative pool promises forward progress only to code that does not block. When it runs on
//!   the main actor (the class is `@MainActor`, or — with Swift 6.2's
//!   `NonisolatedNonsendingByDefault`, SE-0461 — it is called from the main actor), the
//!   operations' `MainActor.run` hops can never run, and the wait always times out with 0
//!   successes.
//! * After that timeout the results are read while the operations still write them (L6660–6670),
//!   and `timeoutResult` is ignored.
//! * The semaphore starts at `concurrentOperations` (L6618) for `concurrentOperations` operations:
//!   it never makes anyone wait, so it limits nothing.
//! * `duration` is the wait's timeout, not how long the test runs.
//! * `endMemory - startMemory` on `UInt64` (L6657) traps when resident memory shrinks; the
//!   success rate is 0/0 = NaN when nothing finished (L6772); the CPU figure is
//!   `Double.random(in: 0...100)` (L6756), so it is dropped here.
//!
//! [`broken`] is the guide's harness: tasks on the runtime, a `std::sync::mpsc` channel as the
//! `DispatchGroup` and its blocking `recv_timeout` as `group.wait(timeout:)`, a `Mutex` as the
//! main actor. [`fixed`] runs the operations in a `JoinSet`, at most `limit` at once (a
//! `Semaphore(limit)`), counts with atomics, records latencies in an `hdrhistogram`, and joins
//! until a `tokio::time::Instant` deadline; past it, it cancels what still runs, joins what had
//! already finished, and counts the rest as unfinished (`operations − ok − failed`, so no
//! operation is counted twice whichever task tokio polls first on the deadline tick). A
//! **declared rewrite**: the key lines are the semaphore, the `select!` join loop and
//! `memory_delta`. Memory is read through the chapter's shared [`crate::memory`].
//!
//! How it is caught: **one forced schedule, by construction.** On a `current_thread` runtime a
//! spawned task runs only when the thread polls it; the broken harness blocks that very thread, so
//! no operation can even start before its wait returns — the count is 0 whatever the wait's
//! timeout, and no verdict reads a clock. The wait's real duration is only what the test costs
//! ([`LOAD`]'s 100 ms). Everything else is on the paused clock and the scripted service.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::explore::panic_message;
use racelab_kit::trace::{Trace, traced};
use racelab_kit::{rt, say};
use tower::Service;

use crate::scripted::{Scripted, Step};

pub mod broken;
pub mod fixed;

/// What a stress test runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Load {
    /// How many operations to run (the guide's `concurrentOperations`).
    pub operations: usize,
    /// At most this many at once (the guide has no such number: its semaphore counts
    /// `operations`).
    pub limit: usize,
    /// The guide's `duration`: its blocking wait's timeout; the fixed harness's deadline.
    pub duration: Duration,
}

/// The check's load: 8 operations, at most 2 at once, 100 ms.
pub const LOAD: Load = Load {
    operations: 8,
    limit: 2,
    duration: Duration::from_millis(100),
};

/// How the harness summarises latency.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Latency {
    /// The guide's one number: the mean of the response times (0 if there were none).
    Average(Duration),
    /// Percentiles from an `hdrhistogram`.
    Percentiles {
        /// The median.
        p50: Duration,
        /// 99th percentile.
        p99: Duration,
        /// 99.9th percentile.
        p999: Duration,
    },
}

/// The guide's `TestResult`, without the random CPU figure.
#[derive(Clone, Debug, PartialEq)]
pub struct TestResult {
    /// The test's name.
    pub test_name: &'static str,
    /// How many operations it was asked to run.
    pub concurrent_operations: usize,
    /// How long the test took (tokio's clock: virtual in the checks).
    pub duration: Duration,
    /// Operations that answered `Ok`.
    pub success_count: u64,
    /// Operations that answered `Err`.
    pub failure_count: u64,
    /// Operations not finished when the report was written (the fixed harness counts them; the
    /// guide's does not know).
    pub unfinished: u64,
    /// Latency.
    pub latency: Latency,
    /// Resident memory at the end minus at the start, in bytes.
    pub memory_usage: i64,
    /// Successes over finished operations, in percent, as the guide's report prints it.
    pub success_rate: String,
}

/// Where the harness reads resident memory: the chapter's shared [`crate::memory`] module.
pub use crate::memory::{Memory, ProcStatus, Readings};

/// A stress tester: runs `load` against `service` (call *i* is request `i`) and reports.
pub trait StressTester: Default + Send + Sync + 'static {
    /// The guide's `stressTest(_:testName:concurrentOperations:duration:)`.
    fn stress_test<S>(
        &self,
        service: S,
        test_name: &'static str,
        load: Load,
        memory: Arc<dyn Memory>,
    ) -> impl Future<Output = TestResult> + Send
    where
        S: Service<usize, Response = (), Error = &'static str> + Clone + Send + 'static,
        S::Future: Send;
}

/// The scripted service of the check: call *n* answers `Ok` after *n* ms (1 ms … 8 ms).
pub fn service() -> Scripted<usize, (), &'static str> {
    Scripted::new((1..=8).map(|ms| Step::ok(()).taking(Duration::from_millis(ms))))
}

/// What the check saw.
#[derive(Clone, Debug, PartialEq)]
pub struct Observed {
    /// The harness's report.
    pub result: TestResult,
    /// Calls the service had seen when the report came back.
    pub calls_at_report: usize,
    /// Calls it had seen once everything had time to run.
    pub calls_after: usize,
    /// The most calls running at once.
    pub max_in_flight: usize,
}

// ANCHOR: check
/// Runs [`LOAD`] through harness `H` against the scripted [`service`], then lets anything still
/// spawned run for as long again (paused time) and looks at what the service saw.
pub async fn stress<H: StressTester>(memory: Arc<dyn Memory>) -> Result<Observed, String> {
    let service = service();
    let harness = rt::spawn("harness", {
        let service = service.clone();
        async move {
            let result = H::default()
                .stress_test(service.clone(), "Scripted Call", LOAD, memory)
                .await;
            (result, service.count()) // in the same poll: no other task has run since
        }
    });
    let (result, calls_at_report) = harness.await.map_err(|e| panicked(e.into_panic()))?;
    say!("gets the report at {}: {}", rt::now(), counts(&result));
    say!("  {}", latency(&result));
    tokio::time::sleep(LOAD.duration).await;
    let observed = Observed {
        result,
        calls_at_report,
        calls_after: service.count(),
        max_in_flight: service.max_in_flight(),
    };
    say!(
        "{} ms later (paused clock): the service saw {} calls, at most {} at once",
        LOAD.duration.as_millis(),
        observed.calls_after,
        observed.max_in_flight
    );
    Ok(observed)
}

/// Every operation accounted for in the report, none run after it, at most `limit` at once.
pub fn verdict(seen: &Observed) -> Result<(), String> {
    let r = &seen.result;
    let counted = r.success_count + r.failure_count + r.unfinished;
    if counted != LOAD.operations as u64 {
        return Err(format!(
            "the report accounts for {counted} of {} operations ({} ok, {} failed)",
            LOAD.operations, r.success_count, r.failure_count
        ));
    }
    if seen.calls_after != seen.calls_at_report {
        return Err(format!(
            "{} calls ran after the report was written",
            seen.calls_after - seen.calls_at_report
        ));
    }
    if seen.max_in_flight > LOAD.limit {
        return Err(format!(
            "{} calls ran at once, with a limit of {}",
            seen.max_in_flight, LOAD.limit
        ));
    }
    Ok(())
}
// ANCHOR_END: check

/// A report's counts, in words.
pub fn counts(r: &TestResult) -> String {
    format!(
        "{} ok, {} failed, {} unfinished",
        r.success_count, r.failure_count, r.unfinished
    )
}

/// A report's latency, success rate and memory, in words.
pub fn latency(r: &TestResult) -> String {
    let latency = match r.latency {
        Latency::Average(avg) => format!("avg {} ms", avg.as_millis()),
        Latency::Percentiles { p50, p99, p999 } => format!(
            "p50 {} p99 {} p99.9 {} ms",
            p50.as_millis(),
            p99.as_millis(),
            p999.as_millis()
        ),
    };
    format!(
        "{latency}, success rate {}, memory {:+} B",
        r.success_rate, r.memory_usage
    )
}

fn panicked(payload: Box<dyn std::any::Any + Send>) -> String {
    format!("the harness panicked: {}", panic_message(&*payload))
}

/// Runs the check for one twin on the paused clock, with a trace installed. Memory grows by
/// 256 KiB during the run.
pub fn run(variant: Variant) -> (Result<Observed, String>, Trace) {
    let memory = || Readings::new(&[4 << 20, (4 << 20) + (256 << 10)]);
    traced(|_| match variant {
        Variant::Broken => rt::run_as("test", stress::<broken::StressTester>(memory())),
        Variant::Fixed => rt::run_as("test", stress::<fixed::StressTester>(memory())),
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "P6",
    name: "stress_harness",
    summary: "a blocking wait starves the tasks it waits for; JoinSet + Semaphore",
    run: demo,
};

/// The demo: 8 scripted operations, at most 2 at once, through one harness.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading(format!(
        "current_thread runtime, paused clock: {} operations of 1–8 ms, at most {} at once",
        LOAD.operations, LOAD.limit
    ));
    let (outcome, trace) = run(variant);
    report.trace(&trace);
    let bug = match outcome {
        Ok(seen) => verdict(&seen).err(),
        Err(failed) => Some(failed),
    };
    report.conclude(
        bug,
        "every operation counted in the report, none after it, at most 2 at once",
    );
    report
}
