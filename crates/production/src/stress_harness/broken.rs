//! The guide's `ConcurrentStressTester.stressTest` (L6604–6678), ported. This version is
//! problematic: a **declared rewrite** separates it from [`super::fixed`].
//!
//! A `std::sync::mpsc` channel is the `DispatchGroup` (each operation sends when it leaves), and
//! its blocking `recv_timeout` is `group.wait(timeout:)`; a `Mutex` stands in for the main actor
//! the results are written on.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use racelab_kit::say;
use racelab_kit::sync::lock_unpoisoned;
use tokio::sync::Semaphore;
use tokio::time::Instant;
use tower::{Service, ServiceExt};

use super::{Latency, Load, Memory, TestResult};

/// The guide's tester (its `testResults` list is not needed here).
#[derive(Debug, Default)]
pub struct StressTester;

/// What the operations write "on the main actor".
#[derive(Debug, Default)]
struct Results {
    success_count: u64,
    failure_count: u64,
    response_times: Vec<Duration>,
}

// ANCHOR: memory
/// `endMemory - startMemory` on `UInt64` (L6657): panics ("attempt to subtract with overflow")
/// when memory shrank, in every build profile, as Swift traps in every build.
#[expect(
    clippy::cast_possible_wrap,
    reason = "the guide's UInt64 delta, reported as a number"
)]
pub fn memory_delta(start_memory: u64, end_memory: u64) -> i64 {
    let delta = end_memory
        .checked_sub(start_memory)
        .expect("attempt to subtract with overflow"); // Swift's trap, whatever the profile
    delta as i64
}

/// The report's success rate (L6772): 0/0 is NaN when nothing finished.
#[expect(clippy::cast_precision_loss, reason = "the guide's Double(…)")]
pub fn success_rate(success_count: u64, failure_count: u64) -> String {
    let rate = success_count as f64 / (success_count + failure_count) as f64 * 100.0;
    format!("{rate:.1}%")
}
// ANCHOR_END: memory

/// `group.wait(timeout: .now() + duration)`: blocks this thread until `n` operations have left
/// or the timeout passes.
fn group_wait(group: &mpsc::Receiver<()>, n: usize, timeout: Duration) -> bool {
    let deadline = std::time::Instant::now() + timeout;
    for _ in 0..n {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        if let Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) =
            group.recv_timeout(left)
        {
            return false; // .timedOut
        }
    }
    true // .success
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
        let concurrent_operations = load.operations; // the guide's one number
        let start_time = Instant::now();
        let start_memory = memory.resident();
        let results = Arc::new(Mutex::new(Results::default()));
        let (leave, group) = mpsc::channel::<()>();
        let semaphore = Arc::new(Semaphore::new(concurrent_operations));

        say!("starts {concurrent_operations} operations, semaphore of {concurrent_operations}");
        for i in 0..concurrent_operations {
            let (semaphore, results, leave) = (semaphore.clone(), results.clone(), leave.clone());
            let service = service.clone();
            tokio::spawn(async move {
                let _permit = semaphore.acquire().await; // semaphore.wait()
                let operation_start = Instant::now();
                match service.oneshot(i).await {
                    Ok(()) => {
                        let mut results = lock_unpoisoned(&results); // MainActor.run
                        results.success_count += 1;
                        results.response_times.push(operation_start.elapsed());
                    }
                    Err(_) => lock_unpoisoned(&results).failure_count += 1,
                }
                let _ = leave.send(()); // group.leave()
            });
        }

        say!(
            "waits for the group, blocking this thread, up to {} ms of real time",
            load.duration.as_millis()
        );
        let _timeout_result = group_wait(&group, concurrent_operations, load.duration);
        say!("the wait is over (timeoutResult ignored); reads the results");

        let end_memory = memory.resident();
        let results = lock_unpoisoned(&results);
        let n = u32::try_from(results.response_times.len()).unwrap_or(u32::MAX);
        let average = if n == 0 {
            Duration::ZERO
        } else {
            results.response_times.iter().sum::<Duration>() / n
        };
        TestResult {
            test_name,
            concurrent_operations,
            duration: start_time.elapsed(),
            success_count: results.success_count,
            failure_count: results.failure_count,
            unfinished: 0, // the guide cannot know
            latency: Latency::Average(average),
            memory_usage: memory_delta(start_memory, end_memory),
            success_rate: success_rate(results.success_count, results.failure_count),
        }
    }
    // ANCHOR_END: stress_test
}
