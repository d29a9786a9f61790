//! P9 `profiling_clock`: the guide's profiler traps when memory shrinks and times with a clock
//! that can step backwards.

use production::profiling_clock::{
    MB, Profiler, ScriptedProbe, broken, fixed, records_what_happened, run,
};
use racelab_kit::demo::Variant;

/// The trivial case: an operation that allocates, timed while nobody touches the wall clock, is
/// recorded right by the broken profiler.
#[test]
fn broken_profiling_clock_is_right_when_memory_grows_and_the_clock_is_left_alone() {
    let profiler = broken::PerformanceProfiler::default();
    let probe = ScriptedProbe::new([10.0, 10.25], [1.0, 1.25], [100 * MB, 104 * MB]);
    assert_eq!(profiler.profile_operation(&probe, || 7, "load"), 7);
    assert_eq!(
        profiler.metrics().last("load"),
        Some((0.25, (4 * MB) as f64))
    );
}

// ANCHOR: caught
/// One thread, so one schedule: `decode` traps (in every build profile, as Swift does) on the
/// unsigned subtraction; `resize` is recorded as lasting minus half a second.
#[test]
fn broken_profiling_clock_traps_when_memory_shrinks_and_goes_back_in_time() {
    let (outcome, trace) = run(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "profiling decode panicked: attempt to subtract with overflow; \
         resize recorded -0.500 s and +10 MB, but took 0.500 s and changed memory by +10 MB"
    );
    racelab_testkit::snapshot!("profiling_clock__trace", trace.render());
}
// ANCHOR_END: caught

/// The same check on the fixed twin: 0.5 s and −20 MB, then 0.5 s and +10 MB.
#[test]
fn fixed_profiling_clock_records_a_negative_delta_and_a_monotonic_duration() {
    assert_eq!(
        records_what_happened::<fixed::PerformanceProfiler>(),
        Ok(())
    );
}

/// Rust's own clocks say the same: `Instant` only moves forward, and `SystemTime` refuses to
/// subtract when the later reading is earlier (`duration_since` returns `Err`).
#[test]
fn fixed_profiling_clock_system_time_reports_a_backwards_step_as_an_error() {
    use std::time::{Duration, Instant, SystemTime};
    let before = SystemTime::UNIX_EPOCH + Duration::from_secs(2000);
    let after = before - Duration::from_millis(500); // the clock was stepped back meanwhile
    let err = after.duration_since(before).unwrap_err();
    assert_eq!(err.duration(), Duration::from_millis(500));
    let start = Instant::now();
    assert!(Instant::now() >= start);
}
