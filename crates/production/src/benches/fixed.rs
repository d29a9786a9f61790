//! The benchmarker, fixed: `compareBenchmarks` reads through the same serial queue that
//! `benchmark()` writes through, so it runs after every write queued before it; `benchmark()`
//! still returns its measurement, and keeps the optimizer from dropping the operation.

use std::collections::HashMap;
use std::hint::black_box;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use racelab_kit::rt::Gate;
use racelab_kit::say;
use racelab_kit::sync::lock_unpoisoned;

use super::{BenchmarkResult, Benchmarks, SerialQueue, comparison};

/// The guide's benchmarker: a serial queue and the results it stores.
#[derive(Debug)]
pub struct PerformanceBenchmarker {
    benchmark_queue: SerialQueue,
    benchmarks: Benchmarks,
}

impl super::Benchmarker for PerformanceBenchmarker {
    fn new(gate: Gate) -> Self {
        PerformanceBenchmarker {
            benchmark_queue: SerialQueue::new(gate),
            benchmarks: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    fn queue(&self) -> &SerialQueue {
        &self.benchmark_queue
    }

    // ANCHOR: benchmark
    fn benchmark<T>(
        &self,
        mut operation: impl FnMut() -> T,
        name: &str,
        iterations: u32,
        warmup_iterations: u32,
    ) -> BenchmarkResult {
        for _ in 0..warmup_iterations {
            black_box(operation()); // a result the optimizer must assume is used
        }
        let start_time = Instant::now();
        let mut times = Vec::new();
        for _ in 0..iterations {
            let iteration_start = Instant::now();
            black_box(operation()); // a result the optimizer must assume is used
            times.push(iteration_start.elapsed());
        }
        let total_time = start_time.elapsed();
        let result = BenchmarkResult {
            name: name.to_string(),
            iterations,
            total_time,
            average_time: times.iter().sum::<Duration>() / iterations.max(1),
            min_time: times.iter().min().copied().unwrap_or_default(),
            max_time: times.iter().max().copied().unwrap_or_default(),
        };
        let (benchmarks, stored) = (Arc::clone(&self.benchmarks), result.clone());
        self.benchmark_queue.run_async(move || {
            say!("stores \"{}\"", stored.name);
            lock_unpoisoned(&benchmarks).insert(stored.name.clone(), stored);
        });
        result
    }
    // ANCHOR_END: benchmark

    // ANCHOR: compare
    async fn compare_benchmarks(&self, name1: &str, name2: &str) -> Option<String> {
        let benchmarks = Arc::clone(&self.benchmarks);
        let read = move || lock_unpoisoned(&benchmarks).clone();
        let benchmarks = self.benchmark_queue.run(read).await; // through the queue: after the writes
        let (benchmark1, benchmark2) = (benchmarks.get(name1)?, benchmarks.get(name2)?);
        Some(comparison(benchmark1, benchmark2))
    }
    // ANCHOR_END: compare
}
