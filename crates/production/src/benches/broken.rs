//! The guide's `PerformanceBenchmarker` (L7030–7192), ported. This version is problematic:
//! `benchmark()` stores its result with `benchmarkQueue.async`, and `compareBenchmarks` reads the
//! store directly, so a compare right after a benchmark can run before the write.

use std::collections::HashMap;
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
            let _ = operation();
        }
        let start_time = Instant::now();
        let mut times = Vec::new();
        for _ in 0..iterations {
            let iteration_start = Instant::now();
            let _ = operation();
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
        let benchmarks = lock_unpoisoned(&self.benchmarks).clone();
        let (benchmark1, benchmark2) = (benchmarks.get(name1)?, benchmarks.get(name2)?);
        Some(comparison(benchmark1, benchmark2))
    }
    // ANCHOR_END: compare
}
