//! A13 `cooperative_timeout`: a timeout stops a future only at an `.await`; a read that blocks the
//! runtime thread runs on, and the timer cannot fire.

use std::sync::Arc;
use std::time::Duration;

use actors::cooperative_timeout::{
    ConcurrencyError, Disk, LIMIT, Read, TIMEOUT_SECS, broken, perform_operation_with_timeout, run,
};
use racelab_kit::demo::Variant;
use racelab_kit::{rt, wait, watchdog};

/// The trivial case: when the disk has already answered, the broken read returns its block.
#[test]
fn broken_cooperative_timeout_is_right_when_the_disk_is_ready() {
    let disk = Disk::default();
    disk.answer.open();
    let read = rt::run(perform_operation_with_timeout(
        <broken::Read as Read>::read(&disk),
        TIMEOUT_SECS,
    ));
    assert_eq!(read, Ok("block 7"));
}

// ANCHOR: caught
/// The forced schedule: the disk answers only a runtime thread proven blocked in the read, and the
/// timeout hands back the block at t=0ms — it never got to fire.
#[test]
fn broken_cooperative_timeout_cannot_fire_while_the_read_blocks_the_thread() {
    let (outcome, trace) = run(Variant::Broken);
    assert_eq!(
        outcome.expect_finished().unwrap_err(),
        "the timeout returned the read's result at t=0ms: the read blocked the runtime's only \
         thread until the disk answered, so the 50 ms timer never got to fire"
    );
    racelab_testkit::snapshot!("cooperative_timeout__trace", trace.render());
}
// ANCHOR_END: caught

/// The same check on the fixed twin: the read is dropped at its `.await` at t=50ms.
#[test]
fn fixed_cooperative_timeout_gives_up_at_the_limit() {
    let (outcome, _trace) = run(Variant::Fixed);
    assert_eq!(outcome.expect_finished(), Ok(()));
}

// ANCHOR: spawn_blocking
/// The other fix, for an API that can only block: run it on tokio's blocking pool and put the
/// timeout on the `JoinHandle`. The caller hears `Timeout` at t=50ms; the pool thread is still
/// blocked in the read — its work is abandoned, not stopped (dropping a `JoinHandle` detaches).
///
/// On the paused clock, tokio does not auto-advance while a `spawn_blocking` task runs (the task
/// might be about to wake a timer), so the test moves the clock by hand: `time::advance`.
#[test]
fn fixed_cooperative_timeout_spawn_blocking_returns_on_time_and_abandons_the_read() {
    let outcome = watchdog::watch(|| {
        let disk = Arc::new(Disk::default());
        rt::run(async {
            let on_the_pool = tokio::task::spawn_blocking({
                let disk = disk.clone();
                move || disk.answer.wait()
            });
            // `biased;`: the timeout must register its deadline (t=50ms) before `advance` moves the
            // clock — auto-advance is off while the blocking task runs.
            let (outcome, ()) = tokio::join!(
                biased;
                perform_operation_with_timeout(on_the_pool, TIMEOUT_SECS),
                tokio::time::advance(LIMIT),
            );
            let at = rt::now();
            wait::until("the pool thread blocks in the read", || {
                disk.answer.waiting() == 1
            });
            let still_reading = disk.answer.waiting();
            disk.answer.open(); // let the pool thread go, or the runtime's shutdown waits for it
            (outcome.map(|joined| joined.is_ok()), at, still_reading)
        })
    })
    .expect_finished();
    assert_eq!(
        outcome,
        (Err(ConcurrencyError::Timeout), rt::Clock(LIMIT), 1)
    );
}
// ANCHOR_END: spawn_blocking

// ANCHOR: duration
/// The duration: the guide's `UInt64(timeout * 1_000_000_000)` traps on a negative, NaN or
/// infinite timeout; so does Rust's `Duration::from_secs_f64`. `try_from_secs_f64` says so instead.
#[test]
fn fixed_cooperative_timeout_rejects_a_bad_duration_instead_of_trapping() {
    for bad in [-1.0, f64::NAN, f64::INFINITY, 1e20] {
        assert!(std::panic::catch_unwind(|| Duration::from_secs_f64(bad)).is_err());
        let read = rt::run(perform_operation_with_timeout(async { "block 7" }, bad));
        assert_eq!(read, Err(ConcurrencyError::InvalidTimeout), "timeout {bad}");
    }
    assert_eq!(Duration::try_from_secs_f64(TIMEOUT_SECS), Ok(LIMIT));
}
// ANCHOR_END: duration
