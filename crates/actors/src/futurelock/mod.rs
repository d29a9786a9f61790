//! A17 `futurelock` — a `select!` that polls `&mut fut` can leave `fut` holding a place in a lock's
//! queue that nobody will ever use: the task is stuck for good.
//!
//! A Rust-only lesson, from Oxide's RFD 609, "Futurelock: A subtle risk in async Rust"
//! (<https://rfd.shared.oxide.computer/rfd/0609>): *a resource owned by future A is required for
//! future B to proceed, while the task responsible for both is no longer polling A.* Swift has no
//! twin of it: a Swift `async let` or task-group child is a task of its own, polled (run) by the
//! runtime whatever its parent does. A Rust future is only polled by whoever owns it.
//!
//! The check ([`both_operations_finish`]), the RFD's program on the paused clock: a background task
//! holds a `tokio::sync::Mutex` for [`HOLD`] (5 s). Meanwhile `do_stuff` races operation `op1`
//! (which takes the lock) against a [`SHORT`] (500 ms) sleep; when the sleep wins, the branch's
//! body runs operation `op2`, which takes the same lock. Both operations must finish.
//!
//! * [`broken`] pins `op1` on its stack and selects on `&mut op1`. `op1` is polled once: it joins
//!   the lock's queue. The sleep wins, and while the branch body awaits `op2`, `op1` — still alive,
//!   still first in the queue — is never polled again. At t=5000ms tokio's fair mutex hands the
//!   lock to `op1`, which cannot take it; `op2` waits behind it for ever.
//! * [`fixed`] spawns `op1`: a task is polled by the runtime, not by `select!`, so `op1` takes the
//!   lock, releases it, and `op2` goes next. (Dropping `op1` before locking again would do too.)
//!
//! How it is caught: **one forced schedule**, proven stuck — [`rt::until_stuck`]: the paused
//! clock jumps an hour ahead only when no task can run and no timer is due, so the broken run is
//! shown to never finish by itself, not timed out.
//!
//! The contrast, a compile-fail case (`tests/compile_fail/futurelock_std_guard_across_await.rs`):
//! a `std::sync::MutexGuard` held across `.await` in `tokio::spawn` is rejected by rustc, "future
//! cannot be sent between threads safely". The async `tokio::sync::Mutex` has no such guard rail:
//! its guard may cross an `.await`, which is what lets `op1` sit in the queue.

use std::sync::Arc;
use std::time::Duration;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::trace::{Trace, traced};
use racelab_kit::{rt, say};
use tokio::sync::Mutex;

pub mod broken;
pub mod fixed;

/// How long the background task holds the lock.
pub const HOLD: Duration = Duration::from_secs(5);

/// How long `do_stuff` waits for `op1` before it does `op2`.
pub const SHORT: Duration = Duration::from_millis(500);

// ANCHOR: operation
/// One operation: take the lock, do its (instant) work, let go.
pub async fn do_async_thing(lock: Arc<Mutex<()>>, op: &'static str) {
    say!("{op} waits for the lock");
    let guard = lock.lock().await;
    say!("{op} takes the lock at {}", rt::now());
    drop(guard);
    say!("{op} releases the lock");
}
// ANCHOR_END: operation

/// What the twins implement: `do_stuff`, racing `op1` against a short sleep.
pub trait DoStuff {
    /// Runs `op1`, and `op2` if `op1` has not finished within [`SHORT`].
    fn do_stuff(lock: Arc<Mutex<()>>) -> impl Future<Output = ()>;
}

// ANCHOR: check
/// The RFD's program: a background task holds the lock for [`HOLD`]; meanwhile `do_stuff` runs.
/// Both operations must finish once the lock is free.
pub async fn both_operations_finish<D: DoStuff>() -> Result<(), String> {
    let lock = Arc::new(Mutex::new(()));
    let guard = lock.clone().lock_owned().await;
    say!(
        "lets a background task hold the lock for {} ms",
        HOLD.as_millis()
    );
    let background = rt::spawn("background", async move {
        tokio::time::sleep(HOLD).await;
        drop(guard);
        say!("releases the lock at {}", rt::now());
    });

    match rt::until_stuck(D::do_stuff(lock)).await {
        Ok(()) => {
            say!("do_stuff is done at {}", rt::now());
            background.await.map_err(|e| e.to_string())
        }
        Err(stuck) => Err(format!(
            "{stuck}: the lock went to op1, which select! no longer polls, and op2 waits behind it"
        )),
    }
}
// ANCHOR_END: check

/// Runs the check for one twin on the paused clock, with a trace installed.
pub fn run(variant: Variant) -> (Result<(), String>, Trace) {
    traced(|_| match variant {
        Variant::Broken => rt::run_as("main", both_operations_finish::<broken::DoStuff>()),
        Variant::Fixed => rt::run_as("main", both_operations_finish::<fixed::DoStuff>()),
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "A17",
    name: "futurelock",
    summary: "select! on &mut fut: fut holds a lock it is never polled to take",
    run: demo,
};

/// The demo: the scenario, narrated.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading(format!(
        "paused clock: the lock is held for {} ms; do_stuff races op1 against a {} ms sleep",
        HOLD.as_millis(),
        SHORT.as_millis()
    ));
    let (outcome, trace) = run(variant);
    report.trace(&trace);
    report.conclude(
        outcome.err(),
        "op1 and op2 both took the lock in turn once the background task let it go",
    );
    report
}
