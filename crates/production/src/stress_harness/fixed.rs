//! The stress harness, fixed: a **declared rewrite** of [`super::broken`]. The key lines: a
//! `Semaphore(limit)` that makes operations wait, a `JoinSet` joined in a `select!` loop that
//! ends at a `tokio::time::Instant` deadline (nothing blocks a thread), atomic counters, an
//! `hdrhistogram` for percentiles, and a signed `memory_delta`. A latency runs from the call to
//! its answer, once the operation holds a permit: service time, not the time an operation queued
//! behind the limit waited.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::Duration;

use hdrhistogram::Histogram;
use racelab_kit::say;
use tokio::sync::Semaphore;
use tokio::task::JoinSet;
use tokio::time::{Instant, sleep_until};
use tower::{Service, ServiceExt};

use super::{Latency, Load, Memory, TestResult};
use crate::memory;

/// The tester.
#[derive(Debug, Default)]
pub struct StressTester;

// ANCHOR: memory
/// Signed: memory may shrink during a test (the chapter's [`crate::memory::delta`]).
pub fn memory_delta(start_memory: u64, end_memory: u64) -> i64 {
    memory::delta(start_memory, end_memory) // signed: negative when memory shrank
}

/// The success rate, or `n/a` when nothing finished (never NaN).
#[expect(clippy::cast_precision_loss, reason = "a percentage for a report")]
pub fn success_rate(success_count: u64, failure_count: u64) -> String {
    match success_count + failure_count {
        0 => "n/a".to_string(), // 0/0 is no rate at all
        finished => format!("{:.1}%", success_count as f64 / finished as f64 * 100.0),
    }
}
// ANCHOR_END: memory

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX).max(1)
}

impl super::StressTester for StressTester {
    // ANCHOR: stress_test
    async fn stress_test<S>(
        &self,
        service: S,
        test_name: &'static str,
        load: Load,
        memory: Arc<dyn Memory>,
    ) -> TestResult
    where
        S: Service<usize, Response = (), Error = &'static str> + Clone + Send + 'static,
        S::Future: Send,
    {
        let start_time = Instant::now();
        let deadline = start_time + load.duration;
        let start_memory = memory.resident();
        let semaphore = Arc::new(Semaphore::new(load.limit)); // at most `limit` at once
        let successes = Arc::new(AtomicU64::new(0));
        let failures = Arc::new(AtomicU64::new(0));
        // 1 µs to 1 hour, 3 significant digits.
        let mut latencies = Histogram::<u64>::new_with_bounds(1, 3_600_000_000, 3)
            .expect("1 µs – 1 h at 3 significant digits is a valid histogram");
        let mut tasks = JoinSet::new();

        say!(
            "starts {} operations, at most {} at once, deadline {} ms",
            load.operations,
            load.limit,
            load.duration.as_millis()
        );
        let mut started = 0;
        while started < load.operations {
            tokio::select! {
                biased;
                () = sleep_until(deadline) => break,
                Some(joined) = tasks.join_next(), if !tasks.is_empty() => {
                    if let Ok(took) = joined {
                        let _ = latencies.record(micros(took));
                    }
                }
                permit = semaphore.clone().acquire_owned() => {
                    let permit = permit.expect("the semaphore is never closed");
                    let (successes, failures) = (successes.clone(), failures.clone());
                    let service = service.clone();
                    tasks.spawn(async move {
                        let _permit = permit;
                        let operation_start = Instant::now();
                        match service.oneshot(started).await {
                            Ok(()) => successes.fetch_add(1, Relaxed),
                            Err(_) => failures.fetch_add(1, Relaxed),
                        };
                        operation_start.elapsed()
                    });
                    started += 1;
                }
            }
        }
        loop {
            tokio::select! {
                biased;
                () = sleep_until(deadline) => break,
                joined = tasks.join_next() => match joined {
                    Some(Ok(took)) => { let _ = latencies.record(micros(took)); }
                    Some(Err(_)) => {} // a panicked operation: neither ok nor failed
                    None => break,
                },
            }
        }
        tasks.abort_all(); // past the deadline: cancel what is still running …
        while let Some(joined) = tasks.join_next().await {
            if let Ok(took) = joined {
                let _ = latencies.record(micros(took)); // … but one that already finished counts
            }
        }
        say!(
            "joined every operation at t={} ms",
            start_time.elapsed().as_millis()
        );

        let end_memory = memory.resident();
        let (success_count, failure_count) = (successes.load(Relaxed), failures.load(Relaxed));
        let percentile = |q| Duration::from_micros(latencies.value_at_quantile(q));
        TestResult {
            test_name,
            concurrent_operations: load.operations,
            duration: start_time.elapsed(),
            success_count,
            failure_count,
            // every operation once: ok, failed, or not finished (cancelled, never started)
            unfinished: load.operations as u64 - success_count - failure_count,
            latency: Latency::Percentiles {
                p50: percentile(0.5),
                p99: percentile(0.99),
                p999: percentile(0.999),
            },
            memory_usage: memory_delta(start_memory, end_memory),
            success_rate: success_rate(success_count, failure_count),
        }
    }
    // ANCHOR_END: stress_test
}
