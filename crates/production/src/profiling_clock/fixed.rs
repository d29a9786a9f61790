//! P9's fixed `PerformanceProfiler`: it times an operation with a monotonic clock, which never
//! steps backwards, and takes the memory delta as a signed number, so an operation that frees
//! memory records a negative delta instead of trapping.

use super::{PerformanceMetrics, Probe};
use crate::memory;

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
        let start_time = probe.monotonic(); // a clock nobody can set: it never steps back
        let start_memory = probe.resident();

        let result = operation();

        let end_time = probe.monotonic(); // the same monotonic clock
        let end_memory = probe.resident();

        let duration = end_time - start_time;
        let memory_delta = memory::delta(start_memory, end_memory); // signed: memory can shrink

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
