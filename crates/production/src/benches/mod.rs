//! P7 `benches` — a benchmarker that stores results on a queue and reads them beside it loses
//! the result it just measured; and what a benchmark needs instead (criterion).
//!
//! Ports the guide's `PerformanceBenchmarker`, "Comprehensive Performance Benchmarking"
//! (L7028–7304). `benchmark()` stores its result with `benchmarkQueue.async` (L7093–7095, and
//! L7147–7149 for the async variant), but `compareBenchmarks` and `generateBenchmarkReport` read
//! `benchmarks` directly (L7155–7156, L7198): in Swift a data race; in any language a compare
//! right after `benchmark()` can run before the queued write and find no entry.
//!
//! [`broken`] is that: the write goes through a [`SerialQueue`] (a task that runs jobs in order),
//! the read does not. [`fixed`] reads through the same queue, so the read runs after every write
//! queued before it; `benchmark()` still returns the measurement too.
//!
//! How it is caught: **one forced schedule.** A [`Gate`] holds the queue's worker before its
//! first job, and the check compares right after two `benchmark()` calls, before it opens the
//! gate: the queued writes have certainly not run.
//!
//! The timing itself (one `Instant` pair per iteration, results dropped with `_ =`, a
//! `Thread.sleep(0.001)` as the "work") is prose in the book, which teaches criterion instead and
//! links the workspace's benches; there are no timing assertions in `cargo test`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::rt::{self, Gate};
use racelab_kit::say;
use racelab_kit::trace::{Trace, traced};
use tokio::sync::mpsc;

pub mod broken;
pub mod fixed;

/// The guide's `BenchmarkResult`, without memory and the random CPU figure.
#[derive(Clone, Debug, PartialEq)]
pub struct BenchmarkResult {
    /// The benchmark's name.
    pub name: String,
    /// Timed iterations.
    pub iterations: u32,
    /// All of them.
    pub total_time: Duration,
    /// Mean per iteration.
    pub average_time: Duration,
    /// Fastest iteration.
    pub min_time: Duration,
    /// Slowest iteration.
    pub max_time: Duration,
}

type Job = Box<dyn FnOnce() + Send>;

/// A serial queue (the guide's `DispatchQueue(label: "benchmark")`): one task runs its jobs in
/// the order they were queued. Its worker waits at `gate` before the first job.
#[derive(Clone, Debug)]
pub struct SerialQueue {
    jobs: mpsc::UnboundedSender<Job>,
}

impl SerialQueue {
    /// Starts the queue's worker task (`benchmark-queue`), held at `gate` until it opens.
    pub fn new(gate: Gate) -> Self {
        let (jobs, mut queued) = mpsc::unbounded_channel::<Job>();
        rt::spawn("benchmark-queue", async move {
            gate.wait().await;
            while let Some(job) = queued.recv().await {
                job();
            }
        });
        SerialQueue { jobs }
    }

    /// `queue.async { job }`: runs `job` later, in order.
    pub fn run_async(&self, job: impl FnOnce() + Send + 'static) {
        let _ = self.jobs.send(Box::new(job));
    }

    /// `queue.sync { job }` for async callers: waits until `job` has run, after every job queued
    /// before it, and returns its value.
    pub async fn run<T: Send + 'static>(&self, job: impl FnOnce() -> T + Send + 'static) -> T {
        let (reply, answer) = tokio::sync::oneshot::channel();
        self.run_async(move || {
            let _ = reply.send(job());
        });
        answer
            .await
            .expect("the queue's worker runs every job it accepted")
    }
}

/// The results store both twins share: a `Mutex` (Rust will not compile the guide's unguarded
/// dictionary) — which makes the race a stale read instead of a data race.
pub type Benchmarks = Arc<Mutex<HashMap<String, BenchmarkResult>>>;

/// What a benchmarker does: measure and store; compare two stored results.
pub trait Benchmarker {
    /// A benchmarker whose queue's worker is held at `gate`.
    fn new(gate: Gate) -> Self;
    /// Its serial queue.
    fn queue(&self) -> &SerialQueue;
    /// `benchmark(_:name:iterations:warmupIterations:)`.
    fn benchmark<T>(
        &self,
        operation: impl FnMut() -> T,
        name: &str,
        iterations: u32,
        warmup_iterations: u32,
    ) -> BenchmarkResult;
    /// `compareBenchmarks(_:_:)`: `None` when either is missing.
    fn compare_benchmarks(
        &self,
        name1: &str,
        name2: &str,
    ) -> impl Future<Output = Option<String>> + Send;
}

/// The guide's comparison text (time only), with `n/a` where it would divide by zero.
pub fn comparison(b1: &BenchmarkResult, b2: &BenchmarkResult) -> String {
    let (t1, t2) = (b1.average_time.as_secs_f64(), b2.average_time.as_secs_f64());
    let percent = if t1 > 0.0 {
        format!("{:.1}%", (t2 - t1) / t1 * 100.0)
    } else {
        "n/a".to_string()
    };
    format!(
        "{} vs {}: {t1:.6}s vs {t2:.6}s ({percent})",
        b1.name, b2.name
    )
}

/// The two names the check benchmarks.
pub const NAMES: [&str; 2] = ["Serial Queue Sync", "Concurrent Queue Sync"];

// ANCHOR: check
/// Benchmarks two operations, then compares them at once — before the queue's worker has run
/// anything (its gate opens only after the compare has been asked).
pub async fn compare_right_after<B: Benchmarker>() -> Result<(), String> {
    let queue = Gate::new("the benchmark queue");
    let benchmarker = B::new(queue.clone());
    for name in NAMES {
        benchmarker.benchmark(|| std::hint::black_box(1 + 1), name, 10, 1);
        say!("benchmark(\"{name}\") returned");
    }
    say!("compareBenchmarks right away");
    let opener = async {
        queue.arrived(1).await;
        say!("opens the queue");
        queue.open();
    };
    let (compared, ()) =
        tokio::join!(biased; benchmarker.compare_benchmarks(NAMES[0], NAMES[1]), opener);
    match compared {
        Some(_) => say!("gets the comparison"),
        None => say!("gets nil: an entry is missing"),
    }
    benchmarker.queue().run(|| ()).await;
    say!("has waited for the queue to run everything queued");
    let again = benchmarker.compare_benchmarks(NAMES[0], NAMES[1]).await;
    say!(
        "compares again: {}",
        if again.is_some() { "found both" } else { "nil" }
    );
    compared.map(|_| ()).ok_or_else(|| {
        "compare right after benchmark(): no entry, its write still queued".to_string()
    })
}
// ANCHOR_END: check

/// Runs the check for one twin on the paused clock, with a trace installed.
pub fn run(variant: Variant) -> (Result<(), String>, Trace) {
    traced(|_| match variant {
        Variant::Broken => rt::run_as(
            "caller",
            compare_right_after::<broken::PerformanceBenchmarker>(),
        ),
        Variant::Fixed => rt::run_as(
            "caller",
            compare_right_after::<fixed::PerformanceBenchmarker>(),
        ),
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "P7",
    name: "benches",
    summary: "queue.async writes, direct reads: a compare right after misses them",
    run: demo,
};

/// The demo: benchmark twice, compare at once.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading("two benchmark() calls, then compareBenchmarks at once; the queue is held");
    let (outcome, trace) = run(variant);
    report.trace(&trace);
    report.conclude(
        outcome.err(),
        "the compare right after benchmark() found both results",
    );
    report
}
