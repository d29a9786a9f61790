//! Resident memory, shared by the demos that measure it — P6 [`stress_harness`] (memory used by a
//! stress test) and P9 [`profiling_clock`] (memory used by one profiled operation):
//!
//! * [`Memory`], where a reading comes from (the guide's `getMemoryUsage()`, a Mach call);
//! * [`ProcStatus`], the real reading on Linux (`VmRSS` in `/proc/self/status`);
//! * [`Readings`], scripted readings for a check, so "memory shrank" happens on every run;
//! * [`delta`], the signed difference of two readings (the guide subtracts two `UInt64`s, which
//!   traps when memory shrinks), and [`MB`].
//!
//! [`stress_harness`]: crate::stress_harness
//! [`profiling_clock`]: crate::profiling_clock

use std::sync::{Arc, Mutex};

use racelab_kit::sync::lock_unpoisoned;

/// One mebibyte, in bytes.
pub const MB: u64 = 1 << 20;

/// Where resident memory is read.
pub trait Memory: Send + Sync {
    /// Resident memory now, in bytes.
    fn resident(&self) -> u64;
}

/// Scripted readings, one per call, in order; the last one repeats.
#[derive(Debug)]
pub struct Readings(Mutex<Vec<u64>>);

impl Readings {
    /// Readings returned in order (the last one repeats; none reads 0).
    pub fn new(readings: &[u64]) -> Arc<Self> {
        let mut readings = readings.to_vec();
        readings.reverse();
        Arc::new(Readings(Mutex::new(readings)))
    }
}

impl Memory for Readings {
    fn resident(&self) -> u64 {
        let mut left = lock_unpoisoned(&self.0);
        if left.len() > 1 {
            left.pop().unwrap_or(0)
        } else {
            left.last().copied().unwrap_or(0)
        }
    }
}

/// The real reading on Linux: `VmRSS` from `/proc/self/status` (the Mach call's stand-in); 0
/// when it cannot be read, as the guide's `getMemoryUsage()` returns on error. The kernel calls
/// the figure approximate ("RSS related information are handled in asynchronous manner and the
/// value may not be very precise", `Documentation/filesystems/proc.rst`).
#[derive(Debug, Default)]
pub struct ProcStatus;

impl Memory for ProcStatus {
    fn resident(&self) -> u64 {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map_or(0, |kb| kb * 1024)
    }
}

/// `end − start` as a signed number of bytes: negative when memory shrank. Two's complement, so
/// it is exact for any two readings less than 2^63 bytes apart.
pub fn delta(start: u64, end: u64) -> i64 {
    end.wrapping_sub(start).cast_signed()
}
