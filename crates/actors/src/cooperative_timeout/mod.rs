//! A13 `cooperative_timeout` — a timeout can only stop an operation at an `.await`; one that blocks
//! its thread runs on, and on a `current_thread` runtime the timer cannot even fire.
//!
//! Ports the guide's `performOperationWithTimeout` ("Comprehensive Error Handling", L5710–5749):
//! a task group races the operation against `Task.sleep`, takes the first result, and cancels the
//! rest. What it gets wrong, confirmed against the code:
//!
//! * It only works for operations that cooperate with cancellation. When the sleep wins, the body
//!   throws, and a task group cancels its remaining children **and waits for them** before it
//!   returns. Cancellation in Swift is a flag an operation must check: one that blocks (a
//!   synchronous read, a CPU loop, a callback API with no cancellation handler) holds the
//!   "timeout" until it finishes by itself.
//! * `UInt64(timeout * 1_000_000_000)` (L5740) traps for a negative, NaN or infinite `timeout`
//!   (and for one over about 584 years).
//!
//! Rust's `tokio::time::timeout` does not wait: it *drops* the future, which stops it at the
//! `.await` it is suspended in (A16). That is exactly as strong as the future's `.await`s: a
//! future that blocks its thread inside `poll` cannot be pre-empted — and on a `current_thread`
//! runtime the blocked thread is the one that would have fired the timer.
//!
//! The check ([`a_read_gives_up_at_the_limit`]) runs on real threads under the
//! [`watchdog`] (backstop only): the runtime thread (`main`, its lines signed
//! `caller`) reads a block from a [`Disk`] with a [`LIMIT`] of 50 ms of paused time; the disk
//! thread answers only when it has *proven* the runtime thread blocked in the read
//! (`wait::blocked("main")`: a recorded wait on the disk's latch), or once the caller has given
//! up. The caller must get a timeout at t=50ms.
//!
//! * [`broken`] reads synchronously inside the `async fn` (`Latch::wait`, as `std::fs::read`
//!   would): the runtime thread blocks in `poll`, the paused clock cannot move, the timer cannot
//!   fire; the disk thread finds it blocked and answers, and `timeout` hands back the block at
//!   t=0ms — a result the timeout had no say in.
//! * [`fixed`] waits cooperatively (`tokio::time::sleep` between looks at the disk): every
//!   `.await` is a place to stop, so at t=50ms `timeout` drops the read and returns `Elapsed`.
//!   The other fix for a blocking API, `spawn_blocking` with the timeout on its `JoinHandle`, is in
//!   `tests/demos/cooperative_timeout.rs`: the caller returns on time, but the pool thread's work
//!   is *abandoned*, not stopped.
//!
//! How it is caught: **one forced schedule**. The disk answers only after a fact — the runtime
//! thread is in a recorded wait, or the caller has given up — so the order of every line is fixed.
//!
//! And the duration: [`perform_operation_with_timeout`] takes seconds as `f64`, like the guide,
//! and validates them with `Duration::try_from_secs_f64` instead of trapping.

use std::sync::Arc;
use std::time::{Duration, TryFromFloatSecsError};

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::latch::Latch;
use racelab_kit::sync::prelude::*;
use racelab_kit::trace::{Trace, traced};
use racelab_kit::watchdog::{self, Outcome};
use racelab_kit::{rt, say, wait};

pub mod broken;
pub mod fixed;

/// The caller's timeout, in seconds, as the guide's `TimeInterval`.
pub const TIMEOUT_SECS: f64 = 0.05;

/// [`TIMEOUT_SECS`] as a `Duration`: 50 ms of paused time.
pub const LIMIT: Duration = Duration::from_millis(50);

/// The guide's `ConcurrencyError`, the two cases this port can produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConcurrencyError {
    /// `.timeout`: the operation did not finish in time.
    Timeout,
    /// The timeout was negative, NaN, infinite or too large — where the guide traps.
    InvalidTimeout,
}

impl From<TryFromFloatSecsError> for ConcurrencyError {
    fn from(_: TryFromFloatSecsError) -> Self {
        ConcurrencyError::InvalidTimeout
    }
}

// ANCHOR: helper
/// `performOperationWithTimeout(_:timeout:)`: the operation's result, or `Timeout` after
/// `timeout` seconds. A bad `timeout` is an error, not a trap (the guide's `UInt64(timeout * 1e9)`).
pub async fn perform_operation_with_timeout<T>(
    operation: impl Future<Output = T>,
    timeout: f64,
) -> Result<T, ConcurrencyError> {
    let limit = Duration::try_from_secs_f64(timeout)?;
    tokio::time::timeout(limit, operation)
        .await
        .map_err(|_elapsed| ConcurrencyError::Timeout)
}
// ANCHOR_END: helper

/// A disk whose reads finish when the disk thread answers ([`Disk::serve`]).
#[derive(Debug)]
pub struct Disk {
    /// Opened when the disk answers; a read waits for it.
    pub answer: Latch,
    /// Opened by the caller when it has its result or its timeout.
    pub caller_done: Latch,
}

impl Default for Disk {
    fn default() -> Self {
        Disk {
            answer: Latch::named("the disk's answer"),
            caller_done: Latch::named("the caller"),
        }
    }
}

impl Disk {
    /// The disk thread: answers once the runtime thread (`main`) is proven blocked in a read, or
    /// once the caller is done without it. Before the caller is done, the read is the only wait
    /// `main` can be in.
    pub fn serve(&self) {
        wait::until(
            "the read blocks the runtime thread, or the caller is done",
            || wait::blocked("main") || self.caller_done.is_open(),
        );
        // Ask in this order: once the caller is done, `main` goes on to join this thread — a
        // recorded wait too, but not the read.
        if self.caller_done.is_open() {
            say!("finds the caller done; answers a read nobody waits for");
        } else {
            say!("finds the runtime thread blocked in the read; answers it");
        }
        self.answer.open();
    }
}

/// What the twins implement: reading a block.
pub trait Read {
    /// Reads block 7 from `disk`.
    fn read(disk: &Disk) -> impl Future<Output = &'static str>;
}

// ANCHOR: check
/// Reads through [`perform_operation_with_timeout`] with [`TIMEOUT_SECS`]; the disk does not
/// answer by itself, so the caller must hear `Timeout`, at exactly t=50ms.
pub async fn a_read_gives_up_at_the_limit<R: Read>(disk: &Disk) -> Result<(), String> {
    say!("reads block 7 with a {} ms timeout", LIMIT.as_millis());
    let outcome = perform_operation_with_timeout(R::read(disk), TIMEOUT_SECS).await;
    let at = rt::now();
    say!("hears {outcome:?} at {at}");
    disk.caller_done.open();
    match outcome {
        Ok(_) => Err(format!(
            "the timeout returned the read's result at {at}: the read blocked the runtime's only \
             thread until the disk answered, so the {} ms timer never got to fire",
            LIMIT.as_millis()
        )),
        Err(_) if at.0 != LIMIT => Err(format!("the timeout fired at {at}, not at the limit")),
        Err(_) => Ok(()),
    }
}
// ANCHOR_END: check

// ANCHOR: scenario
/// The check on real threads: `main` runs the paused-clock runtime, a `disk` thread answers.
pub fn scenario<R: Read>() -> Outcome<Result<(), String>> {
    watchdog::watch(|| {
        let disk = Arc::new(Disk::default());
        let disk_thread = Std::spawn("disk", {
            let disk = disk.clone();
            move || disk.serve()
        });
        let outcome = rt::run_as("caller", a_read_gives_up_at_the_limit::<R>(&disk));
        disk_thread.join();
        outcome
    })
}
// ANCHOR_END: scenario

/// Runs the check for one twin, with a trace installed.
pub fn run(variant: Variant) -> (Outcome<Result<(), String>>, Trace) {
    traced(|_| match variant {
        Variant::Broken => scenario::<broken::Read>(),
        Variant::Fixed => scenario::<fixed::Read>(),
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "A13",
    name: "cooperative_timeout",
    summary: "a timeout stops a future only at an .await; a blocking read runs on",
    run: demo,
};

/// The demo: the scenario, narrated.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading(format!(
        "paused clock: a read with a {} ms timeout; the disk answers only a blocked runtime thread",
        LIMIT.as_millis()
    ));
    let (outcome, trace) = run(variant);
    report.trace(&trace);
    let bug = match outcome {
        Outcome::Finished(result) => result.err(),
        Outcome::Deadlocked(proof) => Some(report.deadlocked(&proof)),
        Outcome::Stalled { idle } => report.stall(idle, &trace), // a stall never catches a bug
    };
    report.conclude(
        bug,
        "the read was dropped at its .await, and the caller heard Timeout at t=50ms",
    );
    report
}
