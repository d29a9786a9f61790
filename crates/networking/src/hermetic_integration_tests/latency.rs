//! N14's performance test, the professional way: the guide's `testNetworkPerformance` (L7618–7647)
//! runs its requests one after another, keeps every time in an array and reports the average,
//! fastest and slowest — and its report divides by zero when nothing ran (L7676). Here every
//! request is a task in a `JoinSet` whose **return value** is its latency (nothing shared, as in
//! [`super::fixed`]), and the report reads the 50th and 99th percentiles from an HDR histogram
//! (`hdrhistogram`: fixed memory, 3 significant digits, whatever the number of samples).
//!
//! Latency on loopback is real time, so nothing here pins a latency: the tests pin the count and
//! that the percentiles exist and are ordered. An empty run reports "no samples", not `NaN`.

use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use tokio::task::JoinSet;

use super::test_endpoint;

/// What the performance report says about one endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Latencies {
    /// Requests that ran (every task the group handed back).
    pub count: u64,
    /// Of those, answered with the expected status.
    pub passed: u64,
    /// Median, 99th percentile and slowest, in microseconds; `None` when nothing ran.
    pub p50_p99_max_us: Option<(u64, u64, u64)>,
}

// ANCHOR: performance
/// `testNetworkPerformance`: `iterations` requests to `ENDPOINTS[index]`, all in one group; each
/// task returns whether it passed and how long it took, and the histogram is filled from what the
/// group hands back.
pub async fn test_network_performance(
    client: reqwest::Client,
    base: String,
    index: usize,
    iterations: usize,
) -> Latencies {
    let mut group = JoinSet::new();
    for _ in 0..iterations {
        let (client, base) = (client.clone(), base.clone());
        group.spawn(async move {
            let start = Instant::now();
            let result = test_endpoint(client, base, index).await;
            (result.success, start.elapsed())
        });
    }
    // 1 µs to 60 s at 3 significant digits: a few kB, whatever the number of samples.
    let mut histogram = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3).expect("valid bounds");
    let mut passed = 0;
    while let Some(Ok((success, took))) = group.join_next().await {
        passed += u64::from(success);
        histogram.saturating_record(micros(took));
    }
    let count = histogram.len();
    let p50_p99_max_us = (count > 0).then(|| {
        (
            histogram.value_at_quantile(0.50),
            histogram.value_at_quantile(0.99),
            histogram.max(),
        )
    });
    Latencies {
        count,
        passed,
        p50_p99_max_us,
    }
}
// ANCHOR_END: performance

/// A latency in whole microseconds, at least 1 (the histogram's lowest value).
fn micros(took: Duration) -> u64 {
    u64::try_from(took.as_micros()).unwrap_or(u64::MAX).max(1)
}

/// The report's performance line: percentiles, or "no samples" for an empty run.
pub fn summary(latencies: &Latencies) -> String {
    match latencies.p50_p99_max_us {
        Some((p50, p99, max)) => format!(
            "{} requests, {} passed, p50 {p50} µs, p99 {p99} µs, max {max} µs",
            latencies.count, latencies.passed
        ),
        None => "0 requests: no samples, no percentiles".to_owned(),
    }
}
