//! N14's performance test, the professional way: the guide's `testNetworkPerformance` (L7618–7647)
//! runs its requests one after another, keeps every time in an array and reports the average,
//! fastest and slowest — and its report divides by zero when nothing ran (L7676). Here every
//! request is a task in a `JoinSet` whose **return value** is its latency (nothing shared, as in
//! [`super::fixed`]), and the report reads the 50th and 99th percentiles from an HDR histogram
//! (`hdrhistogram`: fixed memory, 3 significant digits, whatever the number of samples). A task
//! that panicked is counted as a request that did not pass — never dropped from the count.
//!
//! What it measures: latency **under a load of `in_flight` requests at a time** (a `Semaphore`
//! lets that many run; each clock starts once its request holds a permit, so waiting for a turn
//! is not counted). `in_flight = 1` is the guide's one-after-another, per-request latency; more
//! is latency under that much concurrent load — a different number, and the report must say
//! which it is.
//!
//! Latency on loopback is real time, so nothing here pins a latency: the tests pin the count and
//! that the percentiles exist and are ordered. An empty run reports "no samples", not `NaN`.

use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use std::sync::Arc;

use tokio::sync::Semaphore;
use tokio::task::JoinSet;

use super::test_endpoint;

/// What the performance report says about one endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Latencies {
    /// Requests started (every task the group handed back, panicked or not).
    pub count: u64,
    /// Of those, answered with the expected status.
    pub passed: u64,
    /// Of those, tasks that panicked: no latency, never passed.
    pub panicked: u64,
    /// Median, 99th percentile and slowest, in microseconds; `None` when nothing ran.
    pub p50_p99_max_us: Option<(u64, u64, u64)>,
}

// ANCHOR: performance
/// `testNetworkPerformance`: `iterations` requests to `ENDPOINTS[index]`, at most `in_flight` at a
/// time, all in one group; each task returns whether it passed and how long its request took
/// (timed from when it got its turn), and the histogram is filled from what the group hands back.
pub async fn test_network_performance(
    client: reqwest::Client,
    base: String,
    index: usize,
    iterations: usize,
    in_flight: usize,
) -> Latencies {
    let turns = Arc::new(Semaphore::new(in_flight.max(1)));
    let mut group = JoinSet::new();
    for _ in 0..iterations {
        let (client, base, turns) = (client.clone(), base.clone(), turns.clone());
        group.spawn(async move {
            let _turn = turns
                .acquire_owned()
                .await
                .expect("the semaphore is never closed");
            let start = Instant::now(); // its own latency, not its wait for a turn
            let result = test_endpoint(client, base, index).await;
            (result.success, start.elapsed())
        });
    }
    // 1 µs to 60 s at 3 significant digits: a few kB, whatever the number of samples.
    let mut histogram = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3).expect("valid bounds");
    let (mut passed, mut panicked) = (0, 0);
    while let Some(joined) = group.join_next().await {
        match joined {
            Ok((success, took)) => {
                passed += u64::from(success);
                histogram.saturating_record(micros(took));
            }
            Err(_) => panicked += 1, // counted: a request that did not pass
        }
    }
    let count = histogram.len() + panicked;
    let p50_p99_max_us = (!histogram.is_empty()).then(|| {
        (
            histogram.value_at_quantile(0.50),
            histogram.value_at_quantile(0.99),
            histogram.max(),
        )
    });
    Latencies {
        count,
        passed,
        panicked,
        p50_p99_max_us,
    }
}
// ANCHOR_END: performance

/// A latency in whole microseconds, at least 1 (the histogram's lowest value).
fn micros(took: Duration) -> u64 {
    u64::try_from(took.as_micros()).unwrap_or(u64::MAX).max(1)
}

/// The report's performance line: percentiles, or "no samples" for an empty run; tasks that
/// panicked are named.
pub fn summary(latencies: &Latencies) -> String {
    let Latencies {
        count,
        passed,
        panicked,
        ..
    } = latencies;
    let panicked = match panicked {
        0 => String::new(),
        n => format!(", {n} panicked"),
    };
    match latencies.p50_p99_max_us {
        Some((p50, p99, max)) => format!(
            "{count} requests, {passed} passed{panicked}, p50 {p50} µs, p99 {p99} µs, max {max} µs"
        ),
        None if *count == 0 => "0 requests: no samples, no percentiles".to_owned(),
        None => format!("{count} requests, {passed} passed{panicked}: no samples, no percentiles"),
    }
}
