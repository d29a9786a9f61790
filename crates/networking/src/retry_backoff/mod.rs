//! N3 `retry_backoff` — the guide's retry loop resends what must never be resent: a 404, and a
//! payment `POST`.
//!
//! Ports `fetchWithRetry` from "Retry Logic" (L2255–2318). Checked against the guide:
//!
//! * The loop retries **every** error (L2305–2313), although the guide's own list says never to
//!   retry a 4xx (L2287–2291). A 404 costs three requests and three seconds before it fails.
//! * It retries a non-idempotent `POST` just the same, and L2294 suggests "retrying failed payment
//!   processing": a charge whose answer was a 503 may well have gone through, and without an
//!   `Idempotency-Key` every retry is another charge.
//! * `delay *= 2` (L2311) assigns to a parameter, which Swift rejects (parameters are constants);
//!   the port writes `let mut delay = delay`. `NetworkError.unknown` (L2316) exists in none of the
//!   guide's `NetworkError` enums. Neither the jitter L2277 recommends nor a cap is there.
//!
//! The check ([`retries_only_what_is_safe_to_resend`]): an in-memory scripted server (no socket:
//! the lesson is *when* attempts happen, and paused time with real sockets can jump while the
//! kernel holds bytes) records the time of every attempt. Three scripts, both twins:
//! `GET /feed` answered 503, 503, 200 must succeed at t=0, 1000 and 3000 ms; `GET /missing`
//! answered 404 must be sent once; `POST /charge` without an idempotency key answered 503 must be
//! sent once.
//!
//! * [`broken`] is the guide's loop: 404 and the charge are each sent three times.
//! * [`fixed`] gives up at once unless the failure is transient ([`Failure::is_transient`]: 408,
//!   429, 5xx) *and* the request is safe to resend ([`Request::is_idempotent`]: an idempotent
//!   method, RFC 9110 §9.2.2, or an `Idempotency-Key`).
//!
//! How it is caught: **one forced schedule**, exact. One client, one scripted server, no second
//! task; the paused clock makes every backoff exact and free.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::fmt;
use std::time::Duration;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::trace::{Trace, as_actor, traced};
use racelab_kit::{rt, say};
use reqwest::{Method, StatusCode};

pub mod broken;
pub mod fixed;

/// The guide's defaults: `maxRetries: Int = 3` (it counts attempts) and `delay = 1.0` s.
pub const MAX_RETRIES: u32 = 3;
/// The first backoff; the guide doubles it after every failure.
pub const DELAY: Duration = Duration::from_secs(1);

/// A request as the retry loop sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// `GET`, `POST`, …
    pub method: Method,
    /// `/feed`.
    pub path: &'static str,
    /// An `Idempotency-Key` header, if the caller set one.
    pub idempotency_key: Option<&'static str>,
}

impl Request {
    /// Safe to send twice: an idempotent method (RFC 9110 §9.2.2: GET, HEAD, OPTIONS, TRACE,
    /// PUT, DELETE) or a key the server deduplicates on.
    pub fn is_idempotent(&self) -> bool {
        let idempotent = [
            Method::GET,
            Method::HEAD,
            Method::OPTIONS,
            Method::TRACE,
            Method::PUT,
            Method::DELETE,
        ];
        idempotent.contains(&self.method) || self.idempotency_key.is_some()
    }
}

impl fmt::Display for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.path)
    }
}

/// Why `fetchData` threw: the guide's `NetworkError` for a status other than success.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// The server answered with this status.
    Status(StatusCode),
    /// The guide's `NetworkError.unknown`: the loop ran zero times (`max_retries == 0`).
    Unknown,
}

impl Failure {
    /// Worth trying again later: 408, 429, or a 5xx. Everything else fails the same way again.
    pub fn is_transient(&self) -> bool {
        match self {
            Failure::Status(s) => {
                s.is_server_error()
                    || *s == StatusCode::REQUEST_TIMEOUT
                    || *s == StatusCode::TOO_MANY_REQUESTS
            }
            Failure::Unknown => false,
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Status(s) => write!(f, "{}", s.as_u16()),
            Failure::Unknown => write!(f, "unknown error"),
        }
    }
}

/// The in-memory server: answers each request with the next scripted status and records when it
/// was asked. No socket, so the paused clock is exact.
#[derive(Debug, Default)]
pub struct Scripted {
    script: RefCell<VecDeque<StatusCode>>,
    attempts: RefCell<Vec<u128>>,
}

impl Scripted {
    /// A server that answers with `statuses`, in order (the last one again once they run out).
    pub fn new(statuses: &[StatusCode]) -> Self {
        Scripted {
            script: RefCell::new(statuses.iter().copied().collect()),
            attempts: RefCell::default(),
        }
    }

    /// The guide's `fetchData(from:)`: one attempt; anything but 2xx is an error.
    pub async fn fetch(&self, request: &Request) -> Result<StatusCode, Failure> {
        let status = {
            let mut script = self.script.borrow_mut();
            let status = *script.front().expect("a script has at least one status");
            if script.len() > 1 {
                script.pop_front();
            }
            status
        };
        let at = rt::now();
        self.attempts.borrow_mut().push(at.ms());
        as_actor("server", || say!("{request} → {} at {at}", status.as_u16()));
        tokio::task::yield_now().await;
        if status.is_success() {
            Ok(status)
        } else {
            Err(Failure::Status(status))
        }
    }

    /// When each attempt arrived, in ms of paused time.
    pub fn attempts(&self) -> Vec<u128> {
        self.attempts.borrow().clone()
    }
}

/// What both twins implement: `fetchWithRetry(from:maxRetries:delay:)`.
pub trait Retry {
    /// Sends `request` to `server`, retrying after `delay`, doubling, up to `max_retries` attempts.
    fn fetch_with_retry(
        server: &Scripted,
        request: &Request,
        max_retries: u32,
        delay: Duration,
    ) -> impl Future<Output = Result<StatusCode, Failure>>;
}

/// One script of the check: the request, the server's answers, and the attempt times a correct
/// client produces.
struct Case {
    request: Request,
    statuses: &'static [StatusCode],
    expected: &'static [u128],
    why: &'static str,
}

const CASES: [Case; 3] = [
    Case {
        request: Request {
            method: Method::GET,
            path: "/feed",
            idempotency_key: None,
        },
        statuses: &[
            StatusCode::SERVICE_UNAVAILABLE,
            StatusCode::SERVICE_UNAVAILABLE,
            StatusCode::OK,
        ],
        expected: &[0, 1000, 3000],
        why: "a 503 is transient: retry after 1 s, then 2 s",
    },
    Case {
        request: Request {
            method: Method::GET,
            path: "/missing",
            idempotency_key: None,
        },
        statuses: &[StatusCode::NOT_FOUND],
        expected: &[0],
        why: "a 404 is not transient",
    },
    Case {
        request: Request {
            method: Method::POST,
            path: "/charge",
            idempotency_key: None,
        },
        statuses: &[StatusCode::SERVICE_UNAVAILABLE],
        expected: &[0],
        why: "a POST without an Idempotency-Key may already have charged",
    },
];

// ANCHOR: check
/// Runs the three scripts against `R` and compares the attempt times with a correct client's.
pub async fn retries_only_what_is_safe_to_resend<R: Retry>() -> Result<(), String> {
    let mut wrong = Vec::new();
    for case in &CASES {
        let server = Scripted::new(case.statuses);
        let start = rt::now().ms();
        say!("fetchWithRetry({})", case.request);
        let result = R::fetch_with_retry(&server, &case.request, MAX_RETRIES, DELAY).await;
        let attempts: Vec<u128> = server.attempts().iter().map(|t| t - start).collect();
        match result {
            Ok(status) => say!(
                "gets {} after {} attempt(s)",
                status.as_u16(),
                attempts.len()
            ),
            Err(e) => say!("fails with {e} after {} attempt(s)", attempts.len()),
        }
        if attempts != case.expected {
            wrong.push(format!(
                "{} sent at {attempts:?} ms, expected {:?} ({})",
                case.request, case.expected, case.why
            ));
        }
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(wrong.join("; "))
    }
}
// ANCHOR_END: check

/// Runs the check for one twin on the paused clock, with a trace installed.
pub fn run(variant: Variant) -> (Result<(), String>, Trace) {
    traced(|_| match variant {
        Variant::Broken => rt::run_as(
            "client",
            retries_only_what_is_safe_to_resend::<broken::Client>(),
        ),
        Variant::Fixed => rt::run_as(
            "client",
            retries_only_what_is_safe_to_resend::<fixed::Client>(),
        ),
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "N3",
    name: "retry_backoff",
    summary: "the guide's retry loop resends a 404 and a payment POST; retry only what is safe",
    run: demo,
};

/// The demo: the three scripts, narrated.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading(format!(
        "paused clock, in-memory server: up to {MAX_RETRIES} attempts, backoff {} ms doubling",
        DELAY.as_millis()
    ));
    let (outcome, trace) = run(variant);
    report.trace(&trace);
    report.conclude(
        outcome.err(),
        "only the 503 on GET /feed was retried (t=0, 1000, 3000 ms)",
    );
    report
}
