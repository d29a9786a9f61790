//! P1 `circuit_breaker` — the guide's breaker lets every caller through while half-open, can stay
//! open forever after one late success, and opens on errors that are not the service's fault.
//!
//! Ports `class CircuitBreaker` from "Circuit Breaker Pattern Implementation" (L5822–5949).
//! Checked against the guide, line by line:
//!
//! * **Half-open admits everyone** (L5853–5862): the first call after `recoveryTimeout` flips
//!   `.open → .halfOpen` and runs; every later call sees `.halfOpen` and runs too, so a service
//!   that is just recovering gets the whole herd at once.
//! * **Stuck open after a late success** (L5883–5905): a slow call admitted while closed succeeds
//!   *after* the breaker opened. `recordSuccess` sets `failureCount = 0` and
//!   `lastFailureTime = nil` but changes `state` only from `.halfOpen` (L5886–5887), so the state
//!   stays `.open`; from then on `shouldAttemptReset`'s `guard let lastFailure = lastFailureTime
//!   else { return false }` (L5904) is false for ever. No call runs, so none can record anything:
//!   only `forceClose()` recovers.
//! * **Every error is a fault** (L5872–5874): a 404 (the caller asked for something that is not
//!   there), a decoding error or a cancellation counts like a 503. Five 404s open the circuit.
//! * Outcomes are recorded with `stateQueue.async` from an unstructured `Task` (L5869–5876,
//!   L5882, L5893): admission reads state that in-flight results have not reached yet, and
//!   cancelling the caller does not cancel the operation. `expectedFailureRate` (L5833) is never
//!   read: there is no rate window, only consecutive failures. `attributes: .serial` (L5838) does
//!   not exist (a serial queue is the default); `Date()` is the wall clock.
//!
//! The check ([`trips_probes_and_recovers`]), three scripts on [`Scripted`], threshold 5 and
//! recovery timeout 60 s (the guide's defaults), all on tokio's paused clock:
//!
//! * (a) **one probe**: five 503s open the breaker; 60 s later ten callers call at once while the
//!   service holds its answer. Exactly one may reach it (the probe); nine must be rejected.
//! * (b) **no stuck open**: a slow call is admitted while closed and held; five 503s open the
//!   breaker; then the slow call succeeds. One timeout later a call must be let through as a
//!   probe (it is tried every 60 s for ten timeouts).
//! * (c) **only faults count**: five 404s must not open it; the sixth call must reach the
//!   service.
//!
//! * [`broken`] is the guide's class: 10 callers reach the half-open service, it still rejects
//!   at 10 × the timeout, and it opens on 404s.
//! * [`fixed`] keeps the state in a `Mutex` and decides admission and every transition
//!   synchronously around the call: `HalfOpen { probe_since }` lets one probe through (and a new
//!   one when a probe has not answered within the recovery timeout, so a probe that hangs cannot
//!   leave it "stuck half-open"; the hung one is abandoned, not cancelled, so it may still be in
//!   flight beside its replacement: at most one probe admitted per recovery timeout), every
//!   transition bumps an `epoch` and a result from an older epoch is ignored (the late success
//!   cannot touch an open breaker), time is `tokio::time::Instant`, and [`Classify`] says which errors are faults. A **declared
//!   rewrite** (`scripts/twin-diff`): the key lines are the `State` enum with
//!   `HalfOpen { probe_since }`, `admit` (the decision before the call), and `Ticket::record`'s
//!   `if self.epoch != s.epoch` (the result after it).
//!
//! How it is caught: **one forced schedule** per script. A [`Gate`] holds the slow call and the
//! probe; the ten callers are polled by one `join_all` in one task, so admission happens in a
//! fixed order; the scenario looks only after the paused clock has moved (it moves only when
//! every task waits), and only the scenario and the breaker narrate — the breaker's lines do not
//! name the caller, so no line depends on which ready task tokio polls first.

use std::fmt;
use std::future::Future;
use std::iter::repeat_n;
use std::sync::Arc;
use std::time::Duration;

use futures_util::future::join_all;
use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::rt::{self, Gate};
use racelab_kit::say;
use racelab_kit::trace::{Trace, traced};
use tower::ServiceExt;

use crate::scripted::{Scripted, Step};

pub mod broken;
pub mod fixed;

/// `failureThreshold: Int = 5`.
pub const THRESHOLD: u32 = 5;
/// `recoveryTimeout: TimeInterval = 60` (paused time: exact, and free).
pub const RECOVERY: Duration = Duration::from_secs(60);
/// How many callers arrive at once when the timeout has passed.
pub const HERD: usize = 10;

/// A status the service answered with, as its error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Status(pub u16);

/// Which errors say the *service* is unwell — the only ones a breaker should count.
pub trait Classify {
    /// `true` for a fault of the service (5xx, 408, 429); `false` for an answer that is the
    /// caller's problem (404, 400 …): the service answered, so it is up.
    fn is_fault(&self) -> bool;
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "status {}", self.0)
    }
}

/// An error, so tower's layers (which box errors) can wrap the service.
impl std::error::Error for Status {}

impl Classify for Status {
    fn is_fault(&self) -> bool {
        self.0 >= 500 || self.0 == 408 || self.0 == 429
    }
}

/// What a call through the breaker can fail with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreakerError<E> {
    /// `CircuitBreakerError.serviceUnavailable`: refused without calling the service.
    Rejected,
    /// The service was called and failed.
    Failed(E),
}

/// The service every script calls: request `n` (the call number), answer a status.
pub type Service = Scripted<u32, u16, Status>;

/// What both twins implement: `init(failureThreshold:recoveryTimeout:)` and `execute(_:)`.
pub trait Breaker: Send + Sync + 'static {
    /// A closed breaker.
    fn new(failure_threshold: u32, recovery_timeout: Duration) -> Self;

    /// Runs `operation` if the breaker admits it, and records how it went.
    fn execute<T, E, F>(
        &self,
        operation: F,
    ) -> impl Future<Output = Result<T, BreakerError<E>>> + Send
    where
        T: Send + 'static,
        E: Classify + Send + 'static,
        F: Future<Output = Result<T, E>> + Send + 'static;
}

/// One call of `service` through `breaker`.
pub async fn call<B: Breaker>(
    breaker: &B,
    service: &Service,
    n: u32,
) -> Result<u16, BreakerError<Status>> {
    breaker.execute(service.clone().oneshot(n)).await
}

/// `n` calls one after another; says how they went, in one line.
async fn calls_in_a_row<B: Breaker>(breaker: &B, service: &Service, n: u32, what: &str) {
    let mut rejected = 0;
    for i in 0..n {
        if call(breaker, service, i).await == Err(BreakerError::Rejected) {
            rejected += 1;
        }
    }
    say!("made {n} calls ({what}): {rejected} rejected");
}

/// Lets every other task run as far as it can: the paused clock moves only when every task
/// waits, so when this 1 ms sleep ends, each caller has been admitted (and is held) or refused.
async fn settle() {
    tokio::time::sleep(Duration::from_millis(1)).await;
}

// ANCHOR: check
/// (a) one probe after the timeout, (b) no stuck open after a late success, (c) 404s do not
/// open it. Returns every way `B` got it wrong.
pub async fn trips_probes_and_recovers<B: Breaker>() -> Result<(), String> {
    let mut wrong = Vec::new();
    if let Err(e) = one_probe::<B>().await {
        wrong.push(e);
    }
    if let Err(e) = no_stuck_open::<B>().await {
        wrong.push(e);
    }
    if let Err(e) = only_faults_count::<B>().await {
        wrong.push(e);
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(wrong.join("; "))
    }
}

/// (a) Five 503s open it; after the timeout ten callers call at once while the answer is held.
pub async fn one_probe<B: Breaker>() -> Result<(), String> {
    say!("(a) the service fails 5 times, then answers 200 but holds it until the gate opens");
    let held = Gate::new("the recovering service's answer");
    let service = Service::new(repeat_n(Step::err(Status(503)), THRESHOLD as usize));
    service.append([Step::ok(200).held_by(&held)]);
    let breaker = Arc::new(B::new(THRESHOLD, RECOVERY));
    calls_in_a_row(&*breaker, &service, THRESHOLD, "503 each").await;
    tokio::time::sleep(RECOVERY).await;
    say!("{HERD} callers call at once at {}", rt::now());
    let herd = rt::spawn("callers", {
        let (breaker, service) = (Arc::clone(&breaker), service.clone());
        async move {
            let calls = (0..HERD as u32).map(|n| call(&*breaker, &service, n));
            join_all(calls).await
        }
    });
    settle().await;
    let reached = service.count() - THRESHOLD as usize;
    say!("the service has {reached} call(s) in flight; opens the gate");
    held.open();
    let answers = herd.await.map_err(|e| e.to_string())?;
    let rejected = answers
        .iter()
        .filter(|a| **a == Err(BreakerError::Rejected))
        .count();
    say!(
        "{} got 200, {rejected} were rejected",
        answers.len() - rejected
    );
    if reached != 1 {
        return Err(format!(
            "after the recovery timeout {reached} of {HERD} concurrent calls reached the \
             recovering service, expected 1 probe and {} rejected",
            HERD - 1
        ));
    }
    Ok(())
}

/// (b) A slow success admitted while closed lands after the breaker opened.
pub async fn no_stuck_open<B: Breaker>() -> Result<(), String> {
    say!("(b) a slow call is admitted while closed; then 5 calls fail with 503");
    let slow_answer = Gate::new("the slow call's answer");
    let service = Service::new([Step::ok(200).held_by(&slow_answer)]);
    service.append(repeat_n(Step::err(Status(503)), THRESHOLD as usize));
    service.append([Step::ok(200)]);
    let breaker = Arc::new(B::new(THRESHOLD, RECOVERY));
    let start = rt::now();
    let slow = rt::spawn("slow call", {
        let (breaker, service) = (Arc::clone(&breaker), service.clone());
        async move { call(&*breaker, &service, 0).await }
    });
    slow_answer.arrived(1).await;
    calls_in_a_row(&*breaker, &service, THRESHOLD, "503 each").await;
    say!("opens the gate: the slow call succeeds");
    slow_answer.open();
    let slow = slow.await.map_err(|e| e.to_string())?;
    say!("the slow call got {slow:?}");
    for timeouts in 1..=10u32 {
        tokio::time::sleep(RECOVERY).await;
        if call(&*breaker, &service, timeouts).await != Err(BreakerError::Rejected) {
            say!(
                "{timeouts} × 60 s later ({}), a call is let through",
                rt::now()
            );
            return Ok(());
        }
    }
    say!(
        "10 × 60 s later ({}), every call is still rejected",
        rt::now()
    );
    Err(format!(
        "stuck open: a late success cleared lastFailureTime, and at {} ms (10 × the recovery \
         timeout after it opened) every call is still rejected",
        (rt::now().0 - start.0).as_millis()
    ))
}

/// (c) Five 404s: the service answered each time; it is not down.
pub async fn only_faults_count<B: Breaker>() -> Result<(), String> {
    say!("(c) the service answers 404 (no such item) to every call");
    let service = Service::new([Step::err(Status(404))]);
    let breaker = B::new(THRESHOLD, RECOVERY);
    calls_in_a_row(&breaker, &service, THRESHOLD + 1, "404 each").await;
    if service.count() != THRESHOLD as usize + 1 {
        return Err(format!(
            "{THRESHOLD} × 404 opened the breaker and call {} was rejected: a 404 is the \
             caller's mistake, not a fault of the service",
            THRESHOLD + 1
        ));
    }
    Ok(())
}
// ANCHOR_END: check

/// Runs the check for one twin on the paused clock, with a trace installed.
pub fn run(variant: Variant) -> (Result<(), String>, Trace) {
    traced(|_| match variant {
        Variant::Broken => rt::run_as(
            "test",
            trips_probes_and_recovers::<broken::CircuitBreaker>(),
        ),
        Variant::Fixed => rt::run_as("test", trips_probes_and_recovers::<fixed::CircuitBreaker>()),
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "P1",
    name: "circuit_breaker",
    summary: "half-open lets the herd through, a late success leaves it open for ever, 404s trip it",
    run: demo,
};

/// The demo: the three scripts, narrated.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading(format!(
        "paused clock, scripted service: opens after {THRESHOLD} failures, half-open after {} s",
        RECOVERY.as_secs()
    ));
    let (outcome, trace) = run(variant);
    report.trace(&trace);
    report.conclude(
        outcome.err(),
        "one probe after the timeout, half-open again after a late success, 404s never trip it",
    );
    report
}
