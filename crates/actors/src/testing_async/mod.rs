//! A14 `testing_async` — a test must fail with the error, at once; and a test harness must be shown
//! able to fail.
//!
//! Ports the guide's "Unit Testing Async Code" (L5753–5786). Two tests, two lessons:
//!
//! * `testAsyncOperation` runs the operation inside an unstructured `Task { }` and waits for an
//!   expectation with a 5 s timeout. If the operation throws, the error ends the `Task` — and goes
//!   nowhere: nobody awaits the task. The expectation is never fulfilled, and the test fails five
//!   seconds later with "Exceeded timeout … unfulfilled expectations", not with the error.
//! * `testRaceCondition` runs 1,000 increments in a task group and checks the count. It has no
//!   negative control: nobody has shown it can fail. Run on an unsafe counter, it passes too
//!   ([`negative_control`]).
//!
//! The check for the first ([`a_failing_operation_fails_the_test_at_once`]): the server answers
//! `503` after [`SERVER_TAKES`] (10 ms of paused time). The test must fail with that error, at
//! t=10ms.
//!
//! * [`broken`] is the guide's test: spawn, forget the handle, wait for the expectation. It fails
//!   at t=5000ms with XCTest's timeout message; the `503` is lost in the dropped task.
//! * [`fixed`] awaits the task's handle and passes its error up with `?`: the test fails at t=10ms
//!   with "the server answered 503". (With the handle awaited, the expectation is redundant — the
//!   await *is* the expectation; it is kept so the twins differ only by naming
//!   the handle and awaiting it: 3 lines.)
//!
//! How it is caught: **one forced schedule** on the paused clock — one task is ready at a time,
//! and 10 ms and 5 s are exact and free.

use std::fmt;
use std::time::Duration;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::trace::{Trace, traced};
use racelab_kit::{rt, say};

pub mod broken;
pub mod fixed;
pub mod harness;
pub mod negative_control;

use harness::Failure;

/// How long the server takes to answer.
pub const SERVER_TAKES: Duration = Duration::from_millis(10);

/// The test's `fulfillment` timeout.
pub const EXPECTATION_TIMEOUT: Duration = Duration::from_secs(5);

/// What the server answered, when it failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationError(pub u16);

impl fmt::Display for OperationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the server answered {}", self.0)
    }
}

/// The server `performAsyncOperation` talks to: up, or answering an error status.
#[derive(Debug, Clone, Copy)]
pub struct Server {
    /// `Some(503)`: every request fails with that status.
    pub fails_with: Option<u16>,
}

impl Server {
    /// `performAsyncOperation()`: asks the server; a result after [`SERVER_TAKES`], or its error.
    pub async fn perform_async_operation(self) -> Result<&'static str, OperationError> {
        tokio::time::sleep(SERVER_TAKES).await;
        match self.fails_with {
            None => {
                say!("gets a result from the server at {}", rt::now());
                Ok("result")
            }
            Some(status) => {
                say!("gets {status} from the server at {}", rt::now());
                Err(OperationError(status))
            }
        }
    }
}

/// What the twins implement: the guide's `testAsyncOperation`, its verdict as a `Result`.
pub trait AsyncTest {
    /// Runs the test against `server`; `Err` is the test's failure message.
    fn test_async_operation(server: Server) -> impl Future<Output = Result<(), Failure>>;
}

// ANCHOR: check
/// Runs the test against a server that answers 503: the test must fail, with that error, at the
/// moment the server answered.
pub async fn a_failing_operation_fails_the_test_at_once<T: AsyncTest>() -> Result<(), String> {
    say!("runs testAsyncOperation against a server that answers 503");
    let verdict = T::test_async_operation(Server {
        fails_with: Some(503),
    })
    .await;
    let at = rt::now();
    match &verdict {
        Ok(()) => say!("sees the test pass at {at}"),
        // XCTest's messages run long: the part before the first colon names the failure.
        Err(Failure(message)) => say!(
            "sees the test fail at {at}: {}",
            message.split(':').next().unwrap_or_default()
        ),
    }
    let wanted = OperationError(503).to_string();
    match verdict {
        Ok(()) => Err("the test passed against a failing server".to_string()),
        Err(Failure(message)) if message != wanted || at.0 != SERVER_TAKES => Err(format!(
            "the server answered 503 at t={}ms, but the test failed at {at} with \"{message}\": \
             the error died with the task nobody awaited",
            SERVER_TAKES.as_millis()
        )),
        Err(_) => Ok(()),
    }
}
// ANCHOR_END: check

/// Runs the check for one twin on the paused clock, with a trace installed.
pub fn run(variant: Variant) -> (Result<(), String>, Trace) {
    traced(|_| match variant {
        Variant::Broken => rt::run_as(
            "runner",
            a_failing_operation_fails_the_test_at_once::<broken::ConcurrencyTests>(),
        ),
        Variant::Fixed => rt::run_as(
            "runner",
            a_failing_operation_fails_the_test_at_once::<fixed::ConcurrencyTests>(),
        ),
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "A14",
    name: "testing_async",
    summary: "an error in a forgotten task becomes a 5 s timeout; await the handle, ?",
    run: demo,
};

/// The demo: the scenario, narrated.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading(format!(
        "paused clock: testAsyncOperation, the server answers 503 after {} ms",
        SERVER_TAKES.as_millis()
    ));
    let (outcome, trace) = run(variant);
    report.trace(&trace);
    report.conclude(
        outcome.err(),
        "the test failed at t=10ms with the server's error",
    );
    report
}
