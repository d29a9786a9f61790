//! P9's broken `PerformanceProfiler`, ported from the guide. This version is problematic: it times
//! an operation with the wall clock (`CFAbsoluteTimeGetCurrent`), which can step backwards, and it
//! subtracts two unsigned memory readings, which traps ("attempt to subtract with overflow")
//! whenever the operation frees more than it allocates.

use super::{PerformanceMetrics, Probe};

/// `class PerformanceProfiler { private let metrics = PerformanceMetrics() }`.
#[derive(Debug, Default)]
pub struct PerformanceProfiler {
    metrics: PerformanceMetrics,
}

// ANCHOR: profile
impl super::Profiler for PerformanceProfiler {
    fn profile_operation<T>(
        &self,
        probe: &dyn Probe,
        operation: impl FnOnce() -> T,
        name: &str,
    ) -> T {
        let start_time = probe.wall_clock();
        let start_memory = probe.resident();

        let result = operation();

        let end_time = probe.wall_clock();
        let end_memory = probe.resident();

        let duration = end_time - start_time;
        let memory_delta = end_memory
            .checked_sub(start_memory)
            .expect("attempt to subtract with overflow"); // Swift traps in every build

        // The guide hands the `UInt64` to a `Double` parameter (L1270) without a conversion, which
        // does not compile; `as f64` is the conversion that does.
        self.metrics
            .record_operation(name, duration, memory_delta as f64);
        result
    }

    fn metrics(&self) -> &PerformanceMetrics {
        &self.metrics
    }
}
// ANCHOR_END: profile
