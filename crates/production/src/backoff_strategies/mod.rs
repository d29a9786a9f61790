//! P5 `backoff_strategies` — the guide's `RetryStrategy` retries nothing: it is never given the
//! operation that failed. Its backoff has no base, no cap and no jitter.
//!
//! Ports `ErrorRecoveryManager`, `RetryStrategy` and `BackoffStrategy` from "Comprehensive Error
//! Handling with Recovery" (L6411–6578). Checked against the guide:
//!
//! * **Recovery that recovers nothing.** `RetryStrategy.recover(from:)` (L6486–6507) is given the
//!   *error type*, never the operation. Its loop calls `performRecovery` (L6509–6517), which for
//!   `.networkError(.timeout)` calls `retryNetworkOperation()` — an empty function (L6519–6522) —
//!   and so "succeeds" on the first attempt: `handleError` returns as if the call had been made
//!   good, and the backoff never runs. No body for `retryNetworkOperation` can fix that: the
//!   strategy has no way to reach the operation.
//! * **Exponential backoff with nothing to tune** (L6535–6536): attempt *n* waits 2^(n−1) s — no
//!   base, no cap, no jitter, so every client that failed together retries together, and the
//!   waits grow without bound (attempt 10 waits 512 s, attempt 17 about 18 h). Uncapped,
//!   `UInt64(delay * 1_000_000_000)` (L6501) would even trap at attempt 36 (2^35 s in nanoseconds
//!   is more than `UInt64.max`) — after about 1,000 years of sleeping.
//! * `fibonacci(0) == 0` (L6543–6546): a caller that counts attempts from 0 gets a zero delay (the
//!   guide's own loop counts from 1, so it is a trap for the next caller, not a live bug there);
//!   the recursion takes exponential time.
//! * COMPILE: `[ErrorType: RecoveryStrategy]` (L6414) needs `ErrorType: Hashable`, which is not
//!   declared; `CircuitBreakerStrategy`, `DataRecoveryStrategy`, `DataCorrectionStrategy` and
//!   `ResourceCleanupStrategy` (L6427–6430) are never defined; this is the guide's third
//!   `NetworkError` (L6555). `attributes: .serial` (L6415) does not exist.
//!
//! Which errors to retry at all (a 404 never, a `POST` only with an idempotency key) is the
//! networking chapter's N3 `retry_backoff`; here every failure is a transient timeout and the
//! lesson is the mechanism: *what* is retried, and *when*.
//!
//! Two checks, both twins:
//!
//! * [`recovers_by_calling_again`], on the paused clock: the scripted service times out twice,
//!   then answers 200. With 3 attempts, 100 ms base, ×2, the answer must come from call 3, the
//!   calls at t=0, 100 and 300 ms.
//! * [`backoff_laws`], over generated policies (proptest, in the tests): delays never exceed the
//!   cap, stay within the jitter's bounds around base·factor^(n−1), and never decrease while
//!   there is no jitter. Inputs the generator does not make (a cap of `Duration::MAX`, NaN
//!   settings) have their own test: [`fixed::Backoff`] never panics on them.
//!
//! * [`broken`] is the guide's code: `handleError` reports recovery after one call with no answer;
//!   its delays ignore every setting (1 s, 2 s, 4 s …).
//! * [`fixed`] is a declared rewrite: [`fixed::Backoff`] is an iterator of delays (base, factor,
//!   cap, jitter drawn from an injected, seeded RNG) and [`fixed::retry`] takes the operation
//!   itself — `op: impl FnMut() -> Fut` — so a retry that cannot call again does not type-check.
//!
//! How it is caught: **one forced schedule** (one client, one task, the paused clock makes every
//! sleep exact) for the recovery; **sampled** for the laws (proptest, 256 policies from a fixed
//! seed, the broken twin's shrunk counterexample pinned).

use std::future::Future;
use std::iter::repeat_n;
use std::time::Duration;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::trace::{Trace, traced};
use racelab_kit::{rt, say};
use tower::ServiceExt;

use crate::scripted::{Scripted, Step};

pub mod broken;
pub mod fixed;

/// The guide's third `enum NetworkError` (L6555–6559).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NetworkError {
    /// `.timeout`: the one error `RetryStrategy` is registered for.
    Timeout,
    /// `.serverError`.
    ServerError,
    /// `.connectionFailed`.
    ConnectionFailed,
}

impl std::fmt::Display for NetworkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

/// An error, so tower's layers (which box errors) can wrap the service.
impl std::error::Error for NetworkError {}

/// The service the recovery calls: request `n` (the attempt), answer a status.
pub type Service = Scripted<u32, u16, NetworkError>;

/// What a caller asks of a retry: how many attempts, and how long to wait between them. The
/// guide's `BackoffStrategy.exponential` can express none of it but the attempts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Policy {
    /// Attempts in all, the first included (`maxAttempts`).
    pub max_attempts: u32,
    /// The first delay.
    pub base: Duration,
    /// Each delay is the one before times this (≥ 1).
    pub factor: f64,
    /// No delay is longer.
    pub cap: Duration,
    /// 0 = none; `j` = each delay drawn from `[(1 − j) · d, d]`; 1 = "full jitter".
    pub jitter: f64,
    /// The jitter RNG's seed: the same seed, the same delays.
    pub seed: u64,
}

/// The recovery check's policy: the guide's 3 attempts, 100 ms doubling up to 1 s, no jitter (so
/// every call time is exact).
pub const POLICY: Policy = Policy {
    max_attempts: 3,
    base: Duration::from_millis(100),
    factor: 2.0,
    cap: Duration::from_secs(1),
    jitter: 0.0,
    seed: 7,
};

/// What both twins implement.
pub trait Recovery {
    /// `RetryStrategy(maxAttempts:backoff:)`, as close as the twin can get to `policy`.
    fn new(policy: Policy) -> Self;

    /// The delays it waits before the 2nd, 3rd, … attempt (`max_attempts − 1` of them).
    fn delays(&self) -> Vec<Duration>;

    /// Calls `service`; on a timeout, recovers with the strategy. `Ok(Some(answer))` is the
    /// service's answer; `Ok(None)` is "recovered" with no answer to show for it.
    fn fetch(&self, service: &Service) -> impl Future<Output = Result<Option<u16>, NetworkError>>;
}

/// One call of `service` (request `n`).
pub async fn call(service: &Service, n: u32) -> Result<u16, NetworkError> {
    service.clone().oneshot(n).await
}

// ANCHOR: check
/// The service times out twice, then answers 200: the answer must come from call 3, made at t=0,
/// 100 and 300 ms.
pub async fn recovers_by_calling_again<R: Recovery>() -> Result<(), String> {
    let service = Service::new(repeat_n(Step::err(NetworkError::Timeout), 2));
    service.append([Step::ok(200)]);
    say!("the service times out twice, then answers 200");
    let answer = R::new(POLICY).fetch(&service).await;
    let calls: Vec<u128> = service.calls().iter().map(|c| c.at.as_millis()).collect();
    say!(
        "gets {answer:?} at {}, after {} call(s)",
        rt::now(),
        calls.len()
    );
    if answer != Ok(Some(200)) || calls != [0, 100, 300] {
        return Err(format!(
            "recovery returned {answer:?} after {} call(s) at {calls:?} ms; the service answers \
             200 only on call 3 (expected calls at [0, 100, 300] ms)",
            calls.len()
        ));
    }
    Ok(())
}

/// The laws a backoff's `delays` must keep for `policy`: as many delays as retries; none over the
/// cap; each within the jitter's bounds around `min(cap, base · factor^(n−1))`; and, without
/// jitter, none shorter than the one before.
pub fn backoff_laws(policy: &Policy, delays: &[Duration]) -> Result<(), String> {
    let retries = policy.max_attempts.saturating_sub(1) as usize;
    if delays.len() != retries {
        return Err(format!("{} delays for {retries} retries", delays.len()));
    }
    let tolerance = 1e-6; // 1 µs of float rounding
    let cap = policy.cap.as_secs_f64();
    if let Some(n) = delays
        .iter()
        .position(|d| d.as_secs_f64() > cap + tolerance)
    {
        return Err(format!(
            "delay {} is {} ms, over the cap of {} ms",
            n + 1,
            delays[n].as_millis(),
            policy.cap.as_millis()
        ));
    }
    let mut envelope = policy.base.as_secs_f64().min(cap);
    for (n, delay) in delays.iter().enumerate() {
        let (d, n) = (delay.as_secs_f64(), n + 1);
        let low = (1.0 - policy.jitter) * envelope;
        if d < low - tolerance || d > envelope + tolerance {
            return Err(format!(
                "delay {n} is {d:.6} s, outside [{low:.6}, {envelope:.6}] s (base·factor^(n−1), \
                 capped, with jitter {})",
                policy.jitter
            ));
        }
        if policy.jitter == 0.0 && n > 1 && d + tolerance < delays[n - 2].as_secs_f64() {
            return Err(format!("delay {n} is shorter than delay {}", n - 1));
        }
        envelope = (envelope * policy.factor).min(cap);
    }
    Ok(())
}
// ANCHOR_END: check

/// Runs the recovery check for one twin on the paused clock, with a trace installed.
pub fn run(variant: Variant) -> (Result<(), String>, Trace) {
    traced(|_| match variant {
        Variant::Broken => rt::run_as(
            "client",
            recovers_by_calling_again::<broken::RetryStrategy>(),
        ),
        Variant::Fixed => rt::run_as(
            "client",
            recovers_by_calling_again::<fixed::RetryStrategy>(),
        ),
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "P5",
    name: "backoff_strategies",
    summary: "the guide's RetryStrategy never calls the operation again; retry(op, backoff) must",
    run: demo,
};

/// The demo: the recovery, narrated, and the delays each twin would wait.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading(format!(
        "paused clock, scripted service: {} attempts, {} ms doubling up to {} ms",
        POLICY.max_attempts,
        POLICY.base.as_millis(),
        POLICY.cap.as_millis()
    ));
    let (outcome, trace) = run(variant);
    report.trace(&trace);
    let many = Policy {
        max_attempts: 8,
        ..POLICY
    };
    let delays = match variant {
        Variant::Broken => <broken::RetryStrategy as Recovery>::new(many).delays(),
        Variant::Fixed => <fixed::RetryStrategy as Recovery>::new(many).delays(),
    };
    let ms: Vec<u128> = delays.iter().map(Duration::as_millis).collect();
    report.line(format!(
        "the delays it would wait for 8 attempts: {ms:?} ms"
    ));
    let laws = backoff_laws(&many, &delays);
    if let Err(e) = &laws {
        report.line(format!("the laws say: {e}"));
    }
    let bug = match (outcome.err(), laws.err()) {
        (None, None) => None,
        (a, b) => Some(a.into_iter().chain(b).collect::<Vec<_>>().join("; ")),
    };
    report.conclude(
        bug,
        "the answer came from call 3 at t=300ms; the delays keep the cap",
    );
    report
}
