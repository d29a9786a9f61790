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
//!   the port writes `let mut delay = policy.base`. `NetworkError.unknown` (L2316) exists in none
//!   of the guide's `NetworkError` enums.
//! * `for attempt in 1...maxRetries` (L2304) traps when `maxRetries == 0`. Rust's `1..=0` is
//!   simply empty, so the port keeps the intent in the type: [`RetryPolicy::max_attempts`] is a
//!   [`NonZeroU32`], and [`RetryPolicy::new`] also refuses a cap below the base.
//! * Neither the jitter L2277 recommends ("add randomness to prevent thundering herd problems"),
//!   nor a cap on the delay, nor the server's `Retry-After` on a 429 or 503 (L2281, L2283 list
//!   both as "retry") is in the loop: clients that fail together retry together, the delay
//!   doubles without bound, and a server that says "come back in 2 s" is asked again after 1 s.
//!
//! The check ([`retries_only_what_is_safe_to_resend`]): an in-memory scripted server (no socket:
//! the lesson is *when* attempts happen, and paused time with real sockets can jump while the
//! kernel holds bytes) records every attempt, and the client sleeps through it, so every sleep is
//! recorded too. Five scripts, both twins, each sleep held to bounds: `GET /feed` answered 503,
//! 503, 200 must succeed after sleeps of 1 s and 2 s (each jittered down to at most half);
//! `GET /missing` answered 404 must be sent once; `POST /charge` without an idempotency key
//! answered 503 must be sent once; `GET /feed` answered 429 with `Retry-After: 2` must sleep
//! exactly 2 s; five attempts at 503 must never sleep more than [`CAP`]. Then three clients that
//! fail at the same instant must not retry at the same instant ([`CLIENTS`]).
//!
//! * [`broken`] is the guide's loop: it reads only the two knobs the guide has (`maxRetries` and
//!   `delay`) and retries everything after exactly 1 s, 2 s, 4 s, 8 s.
//! * [`fixed`] asks the [`RetryPolicy`] for every delay: the policy's `classify` gives up at once
//!   unless the failure is transient ([`Failure::is_transient`]: 408, 429, 5xx) *and* the request
//!   is safe to resend ([`Request::is_idempotent`]: an idempotent method, RFC 9110 §9.2.2, or an
//!   `Idempotency-Key`); it honours `Retry-After`; otherwise it doubles from `base`, caps at
//!   `cap`, and takes a random point of the upper half ("equal jitter"). When it gives up it
//!   says why ([`Stop`]): the failure will not change, the request must not be sent twice, or
//!   the server asks for a wait over the cap.
//!
//! How it is caught: **one forced schedule**, exact. One task (the three clients of the herd are
//! joined on it, polled in order), one scripted server; the paused clock makes every backoff exact
//! and free, and the jitter comes from a [`SplitMix64`] the checks seed ([`RetryPolicy::with_seed`]:
//! seeds 1, 2 and 3 for the herd), so every run draws the same delays. In real use
//! [`RetryPolicy::new`] seeds it from the OS, so a fleet of clients built the same way still
//! draws different delays.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::fmt;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::time::Duration;

use futures_util::future::join_all;
use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::trace::{Signed, Trace, as_actor, traced};
use racelab_kit::{rt, say};
use reqwest::{Method, StatusCode};

pub mod broken;
pub mod fixed;

/// The guide's defaults: `maxRetries: Int = 3` (it counts attempts) and `delay = 1.0` s.
pub const MAX_RETRIES: u32 = 3;
/// The first backoff; the guide doubles it after every failure.
pub const DELAY: Duration = Duration::from_secs(1);
/// The longest the fixed policy waits between two attempts (small, so five attempts reach it).
pub const CAP: Duration = Duration::from_secs(4);
/// How many clients meet the same outage in the herd script.
pub const CLIENTS: u64 = 3;

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
    /// The server answered with this status, and maybe a `Retry-After` in delay-seconds.
    Status {
        /// The status code.
        status: StatusCode,
        /// The `Retry-After` header as a delay, if it was there and was delay-seconds.
        retry_after: Option<Duration>,
    },
    /// The guide's `NetworkError.unknown`: the loop ran zero times (`max_retries == 0`).
    Unknown,
}

impl Failure {
    /// Worth trying again later: 408, 429, or a 5xx. Everything else fails the same way again.
    pub fn is_transient(&self) -> bool {
        match self {
            Failure::Status { status: s, .. } => {
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
            Failure::Status {
                status,
                retry_after: None,
            } => write!(f, "{}", status.as_u16()),
            Failure::Status {
                status,
                retry_after: Some(after),
            } => write!(f, "{} (Retry-After: {})", status.as_u16(), after.as_secs()),
            Failure::Unknown => write!(f, "unknown error"),
        }
    }
}

/// One scripted answer: a status, and the `Retry-After` header's text, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Answer {
    /// The status code.
    pub status: StatusCode,
    /// `Retry-After`, as the server would write it (`"2"`).
    pub retry_after: Option<&'static str>,
}

impl Answer {
    /// An answer with no `Retry-After`.
    pub const fn status(status: StatusCode) -> Self {
        Answer {
            status,
            retry_after: None,
        }
    }
}

/// The in-memory server: answers each request with the next scripted answer and records when it
/// was asked, and how long the client slept. No socket, so the paused clock is exact.
#[derive(Debug, Default)]
pub struct Scripted {
    script: RefCell<VecDeque<Answer>>,
    attempts: RefCell<Vec<u128>>,
    sleeps: RefCell<Vec<u128>>,
}

impl Scripted {
    /// A server that answers with `statuses`, in order (the last one again once they run out).
    pub fn new(statuses: &[StatusCode]) -> Self {
        let answers: Vec<Answer> = statuses.iter().copied().map(Answer::status).collect();
        Self::answering(&answers)
    }

    /// A server that answers with `answers`, in order (the last one again once they run out).
    pub fn answering(answers: &[Answer]) -> Self {
        Scripted {
            script: RefCell::new(answers.iter().copied().collect()),
            ..Scripted::default()
        }
    }

    /// The guide's `fetchData(from:)`: one attempt; anything but 2xx is an error.
    /// A `Retry-After` in delay-seconds becomes `retry_after` (an HTTP-date is not parsed here).
    pub async fn fetch(&self, request: &Request) -> Result<StatusCode, Failure> {
        let Answer {
            status,
            retry_after,
        } = {
            let mut script = self.script.borrow_mut();
            let answer = *script.front().expect("a script has at least one answer");
            if script.len() > 1 {
                script.pop_front();
            }
            answer
        };
        let at = rt::now();
        self.attempts.borrow_mut().push(at.ms());
        let header = retry_after.map_or(String::new(), |s| format!(", Retry-After: {s}"));
        as_actor("server", || {
            say!("{request} → {}{header} at {at}", status.as_u16())
        });
        tokio::task::yield_now().await;
        if status.is_success() {
            Ok(status)
        } else {
            let retry_after = retry_after
                .and_then(|s| s.parse().ok())
                .map(Duration::from_secs);
            Err(Failure::Status {
                status,
                retry_after,
            })
        }
    }

    /// The client's `Task.sleep` between attempts: sleeps `delay` and records it.
    pub async fn sleep(&self, delay: Duration) {
        self.sleeps.borrow_mut().push(delay.as_millis());
        tokio::time::sleep(delay).await;
    }

    /// When each attempt arrived, in ms of paused time.
    pub fn attempts(&self) -> Vec<u128> {
        self.attempts.borrow().clone()
    }

    /// How long the client slept before each retry, in ms.
    pub fn sleeps(&self) -> Vec<u128> {
        self.sleeps.borrow().clone()
    }
}

// ANCHOR: policy
/// What `classify` says about one failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetryDecision {
    /// Do not send it again.
    GiveUp,
    /// Send it again after the policy's backoff.
    Backoff,
    /// Send it again after exactly this long: the server said so (`Retry-After`).
    After(Duration),
}

/// The default `classify`: give up unless the failure is transient and the request is safe to
/// resend; honour `Retry-After` on a 429 or 503 (RFC 6585 §4, RFC 9110 §10.2.3).
pub fn safe_to_resend(request: &Request, failure: &Failure) -> RetryDecision {
    if !failure.is_transient() || !request.is_idempotent() {
        return RetryDecision::GiveUp;
    }
    match failure {
        Failure::Status {
            status: StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE,
            retry_after: Some(after),
        } => RetryDecision::After(*after),
        _ => RetryDecision::Backoff,
    }
}

/// How a client retries: at most `max_attempts` (never zero: the type says so), a delay that
/// doubles from `base` up to `cap`, jittered, and `classify` to decide whether to retry at all.
#[derive(Debug)]
pub struct RetryPolicy {
    /// Attempts in all, the first one included.
    pub max_attempts: NonZeroU32,
    /// The first backoff.
    pub base: Duration,
    /// No backoff is longer, and a `Retry-After` longer than this is not waited for.
    pub cap: Duration,
    /// Where the jitter comes from: lock-free, so one policy can be shared by tasks on many
    /// threads (`RetryPolicy` is `Send + Sync`).
    pub jitter: SplitMix64,
    /// Whether, and how soon, a failure is worth another attempt.
    pub classify: fn(&Request, &Failure) -> RetryDecision,
}

impl RetryPolicy {
    /// A policy with [`safe_to_resend`], its jitter seeded from the OS (`ring`'s
    /// `SystemRandom`), so two policies built the same way draw different delays. A cap below the
    /// base is refused (zero attempts cannot even be written).
    pub fn new(max_attempts: NonZeroU32, base: Duration, cap: Duration) -> Result<Self, String> {
        if cap < base {
            return Err(format!(
                "a cap of {cap:?} is below the base delay of {base:?}"
            ));
        }
        let mut seed = [0; 8];
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut seed)
            .map_err(|_| "the OS random source failed".to_owned())?;
        Ok(RetryPolicy {
            max_attempts,
            base,
            cap,
            jitter: SplitMix64::new(u64::from_le_bytes(seed)),
            classify: safe_to_resend,
        })
    }

    /// The same policy with its jitter seeded with `seed`: the same delays on every run, for the
    /// checks and the demo. Clients that share a seed retry in lockstep — never use one constant
    /// for a fleet.
    pub fn with_seed(self, seed: u64) -> Self {
        RetryPolicy {
            jitter: SplitMix64::new(seed),
            ..self
        }
    }

    /// How long to wait before attempt `attempt + 1`, or why it gives up. A backoff is
    /// `min(cap, base · 2^(attempt−1))`, then "equal jitter": a random point of its upper half.
    pub fn delay(
        &self,
        attempt: u32,
        request: &Request,
        failure: &Failure,
    ) -> Result<Duration, Stop> {
        match (self.classify)(request, failure) {
            RetryDecision::GiveUp if !failure.is_transient() => Err(Stop::WillNotChange),
            RetryDecision::GiveUp if !request.is_idempotent() => Err(Stop::NotSafeToResend),
            RetryDecision::GiveUp => Err(Stop::Classified),
            RetryDecision::After(after) if after > self.cap => Err(Stop::OverTheCap {
                asked: after,
                cap: self.cap,
            }),
            RetryDecision::After(after) => Ok(after),
            RetryDecision::Backoff => {
                let doubled = self
                    .base
                    .saturating_mul(1 << attempt.saturating_sub(1).min(30));
                let ms = doubled.min(self.cap).as_millis() as u64;
                let half = ms / 2;
                let jitter = self.jitter.next_u64() % (ms - half + 1);
                Ok(Duration::from_millis(half + jitter))
            }
        }
    }
}

/// Why [`RetryPolicy::delay`] gives up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// The failure is not transient (a 4xx other than 408 and 429): another attempt gets the same.
    WillNotChange,
    /// The request must not be sent twice (no idempotent method, no `Idempotency-Key`).
    NotSafeToResend,
    /// A custom `classify` said no.
    Classified,
    /// The server's `Retry-After` is longer than the policy's cap.
    OverTheCap {
        /// What the server asked for.
        asked: Duration,
        /// The policy's cap.
        cap: Duration,
    },
}

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stop::WillNotChange => write!(f, "it will not change"),
            Stop::NotSafeToResend => write!(f, "not safe to send again"),
            Stop::Classified => write!(f, "the policy says not to retry"),
            Stop::OverTheCap { asked, cap } => write!(
                f,
                "the server asks for {} s, over the {} s cap",
                asked.as_secs(),
                cap.as_secs()
            ),
        }
    }
}

/// SplitMix64 (Steele, Lea and Flood, 2014): a tiny, seeded, deterministic RNG — enough to spread
/// retries, and the same numbers for the same seed. Its state is an `AtomicU64` (one `fetch_add`
/// per draw): lock-free and shareable across threads; concurrent draws get distinct numbers.
#[derive(Debug)]
pub struct SplitMix64(AtomicU64);

impl SplitMix64 {
    /// A generator that starts from `seed`.
    pub fn new(seed: u64) -> Self {
        SplitMix64(AtomicU64::new(seed))
    }

    /// The next 64 random bits.
    pub fn next_u64(&self) -> u64 {
        const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut z = self.0.fetch_add(GAMMA, Relaxed).wrapping_add(GAMMA);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}
// ANCHOR_END: policy

/// What both twins implement: `fetchWithRetry(from:maxRetries:delay:)`, with the knobs in a
/// [`RetryPolicy`] (the guide's are `max_attempts` and `base`).
pub trait Retry {
    /// Sends `request` to `server`, retrying as `policy` allows.
    fn fetch_with_retry(
        server: &Scripted,
        request: &Request,
        policy: &RetryPolicy,
    ) -> impl Future<Output = Result<StatusCode, Failure>>;
}

/// The guide's defaults (3 attempts, 1 s) with [`CAP`] and a jitter seeded with `seed`.
pub fn policy(max_attempts: u32, seed: u64) -> RetryPolicy {
    let max_attempts = NonZeroU32::new(max_attempts).expect("the scripts ask for 1 or more");
    RetryPolicy::new(max_attempts, DELAY, CAP)
        .expect("CAP is above DELAY, and the OS has random bits")
        .with_seed(seed)
}

/// One script of the check: the request, the server's answers, how many attempts the policy
/// allows, and the bounds a correct client's sleeps keep, in ms.
struct Case {
    request: Request,
    answers: &'static [Answer],
    attempts: u32,
    sleeps: &'static [(u128, u128)],
    why: &'static str,
}

const GET_FEED: Request = Request {
    method: Method::GET,
    path: "/feed",
    idempotency_key: None,
};
const UNAVAILABLE: Answer = Answer::status(StatusCode::SERVICE_UNAVAILABLE);

const CASES: [Case; 5] = [
    Case {
        request: GET_FEED,
        answers: &[UNAVAILABLE, UNAVAILABLE, Answer::status(StatusCode::OK)],
        attempts: MAX_RETRIES,
        sleeps: &[(500, 1000), (1000, 2000)],
        why: "a 503 is transient: retry after 1 s, then 2 s, jittered",
    },
    Case {
        request: Request {
            method: Method::GET,
            path: "/missing",
            idempotency_key: None,
        },
        answers: &[Answer::status(StatusCode::NOT_FOUND)],
        attempts: MAX_RETRIES,
        sleeps: &[],
        why: "a 404 is not transient",
    },
    Case {
        request: Request {
            method: Method::POST,
            path: "/charge",
            idempotency_key: None,
        },
        answers: &[UNAVAILABLE],
        attempts: MAX_RETRIES,
        sleeps: &[],
        why: "a POST without an Idempotency-Key may already have charged",
    },
    Case {
        request: GET_FEED,
        answers: &[
            Answer {
                status: StatusCode::TOO_MANY_REQUESTS,
                retry_after: Some("2"),
            },
            Answer::status(StatusCode::OK),
        ],
        attempts: MAX_RETRIES,
        sleeps: &[(2000, 2000)],
        why: "the server said Retry-After: 2",
    },
    Case {
        request: GET_FEED,
        answers: &[
            UNAVAILABLE,
            UNAVAILABLE,
            UNAVAILABLE,
            UNAVAILABLE,
            Answer::status(StatusCode::OK),
        ],
        attempts: 5,
        sleeps: &[(500, 1000), (1000, 2000), (2000, 4000), (2000, 4000)],
        why: "no backoff beyond the 4 s cap",
    },
];

// ANCHOR: check
/// Runs the five scripts against `R` and holds every sleep to a correct client's bounds; then
/// the herd: [`CLIENTS`] clients fail together and must not retry together.
pub async fn retries_only_what_is_safe_to_resend<R: Retry>() -> Result<(), String> {
    let mut wrong = Vec::new();
    for case in &CASES {
        let server = Scripted::answering(case.answers);
        say!(
            "fetchWithRetry({}), {} attempts",
            case.request,
            case.attempts
        );
        let result = R::fetch_with_retry(&server, &case.request, &policy(case.attempts, 1)).await;
        let (attempts, sleeps) = (server.attempts().len(), server.sleeps());
        match result {
            Ok(status) => say!("gets {} after {attempts} attempt(s)", status.as_u16()),
            Err(e) => say!("fails with {e} after {attempts} attempt(s)"),
        }
        let within = sleeps.len() == case.sleeps.len()
            && sleeps
                .iter()
                .zip(case.sleeps)
                .all(|(s, (lo, hi))| lo <= s && s <= hi);
        if !within {
            wrong.push(format!(
                "{} slept {sleeps:?} ms, expected {} ({})",
                case.request,
                bounds(case.sleeps),
                case.why
            ));
        }
    }
    if let Err(lockstep) = no_lockstep::<R>().await {
        wrong.push(lockstep);
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(wrong.join("; "))
    }
}

/// [`CLIENTS`] clients (each with its own seed) get a 503 at the same instant; their retries must
/// reach the server at different instants.
async fn no_lockstep<R: Retry>() -> Result<(), String> {
    let server = Scripted::answering(&[
        UNAVAILABLE,
        UNAVAILABLE,
        UNAVAILABLE,
        Answer::status(StatusCode::OK),
    ]);
    say!("{CLIENTS} clients: fetchWithRetry(GET /feed) at once");
    let clients = (1..=CLIENTS).map(|seed| {
        let (server, policy) = (&server, policy(2, seed));
        Signed::new(&format!("client-{seed}"), async move {
            R::fetch_with_retry(server, &GET_FEED, &policy).await
        })
    });
    let start = rt::now().ms();
    join_all(clients).await; // futures on this one task, not tasks: no scheduler choice
    let retries: Vec<u128> = server.attempts()[CLIENTS as usize..]
        .iter()
        .map(|t| t - start)
        .collect();
    let mut distinct = retries.clone();
    distinct.dedup();
    if distinct.len() == retries.len() {
        Ok(())
    } else {
        Err(format!(
            "{CLIENTS} clients that failed together retried at {retries:?} ms: in lockstep"
        ))
    }
}
// ANCHOR_END: check

/// `[500..=1000, 2000]`: each sleep's bounds, in ms.
fn bounds(sleeps: &[(u128, u128)]) -> String {
    let each: Vec<String> = sleeps
        .iter()
        .map(|(lo, hi)| {
            if lo == hi {
                format!("{lo}")
            } else {
                format!("{lo}..={hi}")
            }
        })
        .collect();
    format!("[{}]", each.join(", "))
}

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
    summary: "the guide's retry loop resends a 404 and a payment POST, ignores Retry-After, never \
              jitters or caps",
    run: demo,
};

/// The demo: the three scripts, narrated.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading(format!(
        "paused clock, in-memory server: up to {MAX_RETRIES} attempts, backoff {} ms doubling, \
         cap {} ms",
        DELAY.as_millis(),
        CAP.as_millis()
    ));
    let (outcome, trace) = run(variant);
    report.trace(&trace);
    report.conclude(
        outcome.err(),
        "only transient GET failures retried: jittered, capped, Retry-After obeyed",
    );
    report
}
