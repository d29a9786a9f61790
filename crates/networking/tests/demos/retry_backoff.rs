//! N3 `retry_backoff`: the guide's retry loop resends a 404 and a payment `POST`, ignores
//! `Retry-After`, and neither caps nor jitters its backoff.

use std::num::NonZeroU32;
use std::time::Duration;

use networking::retry_backoff::{
    Answer, CAP, DELAY, MAX_RETRIES, Request, Retry, RetryPolicy, Scripted, Stop, broken, fixed,
    policy, retries_only_what_is_safe_to_resend, run,
};
use racelab_kit::demo::Variant;
use racelab_kit::rt;
use reqwest::{Method, StatusCode};

const FEED: Request = Request {
    method: Method::GET,
    path: "/feed",
    idempotency_key: None,
};

/// The trivial case: for a transient 503 on a `GET`, the guide's loop is right — it retries after
/// 1 s, then 2 s, and succeeds on the third attempt at t=3000ms.
#[test]
fn broken_retry_backoff_is_right_for_a_transient_503() {
    let (status, attempts) = rt::run(async {
        let server = Scripted::new(&[
            StatusCode::SERVICE_UNAVAILABLE,
            StatusCode::SERVICE_UNAVAILABLE,
            StatusCode::OK,
        ]);
        let status = broken::Client::fetch_with_retry(&server, &FEED, &policy(3, 1)).await;
        (status, server.attempts())
    });
    assert_eq!(status, Ok(StatusCode::OK));
    assert_eq!(attempts, [0, 1000, 3000]);
}

// ANCHOR: caught
/// The forced schedule: the 404 and the un-keyed `POST /charge` are each sent three times, the
/// `Retry-After: 2` is answered after 1 s, the fifth attempt waits 8 s, and three clients retry
/// at the same millisecond.
#[test]
fn broken_retry_backoff_resends_a_404_and_a_payment_post() {
    let (outcome, trace) = run(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "GET /missing slept [1000, 2000] ms, expected [] (a 404 is not transient); \
         POST /charge slept [1000, 2000] ms, expected [] \
         (a POST without an Idempotency-Key may already have charged); \
         GET /feed slept [1000] ms, expected [2000] (the server said Retry-After: 2); \
         GET /feed slept [1000, 2000, 4000, 8000] ms, expected \
         [500..=1000, 1000..=2000, 2000..=4000, 2000..=4000] (no backoff beyond the 4 s cap); \
         3 clients that failed together retried at [1000, 1000, 1000] ms: in lockstep"
    );
    racelab_testkit::snapshot!("retry_backoff__trace", trace.render());
}
// ANCHOR_END: caught

/// The same check on the fixed twin: only transient failures of `GET /feed` are retried, each
/// sleep within its bounds.
#[test]
fn fixed_retry_backoff_retries_only_a_transient_failure_of_a_resendable_request() {
    assert_eq!(
        rt::run(retries_only_what_is_safe_to_resend::<fixed::Client>()),
        Ok(())
    );
}

/// `Retry-After: 2` on a 429: the broken twin asks again after its own 1 s; the fixed one sleeps
/// exactly the 2 s the server asked for.
#[test]
fn broken_retry_backoff_ignores_retry_after() {
    let sleeps = |fixed: bool| {
        rt::run(async move {
            let server = Scripted::answering(&[
                Answer {
                    status: StatusCode::TOO_MANY_REQUESTS,
                    retry_after: Some("2"),
                },
                Answer::status(StatusCode::OK),
            ]);
            let policy = policy(MAX_RETRIES, 1);
            let status = if fixed {
                fixed::Client::fetch_with_retry(&server, &FEED, &policy).await
            } else {
                broken::Client::fetch_with_retry(&server, &FEED, &policy).await
            };
            assert_eq!(status, Ok(StatusCode::OK));
            (server.sleeps(), server.attempts())
        })
    };
    assert_eq!(sleeps(false), (vec![1000], vec![0, 1000]));
    assert_eq!(sleeps(true), (vec![2000], vec![0, 2000]));
}

/// The fixed policy's jitter, over many seeds: each backoff stays in the upper half of
/// `min(cap, base · 2^n)`, and the delays are not all the same.
#[test]
fn fixed_retry_backoff_jitter_stays_within_bounds() {
    let failure = networking::retry_backoff::Failure::Status {
        status: StatusCode::SERVICE_UNAVAILABLE,
        retry_after: None,
    };
    let mut firsts = Vec::new();
    for seed in 0..200 {
        let policy = policy(6, seed);
        for attempt in 1..=5 {
            let nominal = (DELAY * (1 << (attempt - 1))).min(CAP);
            let delay = policy.delay(attempt, &FEED, &failure).unwrap();
            assert!(
                nominal / 2 <= delay && delay <= nominal,
                "seed {seed}, attempt {attempt}: {delay:?} outside {:?}..={nominal:?}",
                nominal / 2
            );
            if attempt == 1 {
                firsts.push(delay);
            }
        }
    }
    firsts.sort();
    firsts.dedup();
    assert!(
        firsts.len() > 100,
        "only {} distinct first delays",
        firsts.len()
    );
}

/// With an `Idempotency-Key` the server deduplicates on, the fixed twin may retry the charge.
#[test]
fn fixed_retry_backoff_retries_a_keyed_post() {
    let (attempts, sleeps) = rt::run(async {
        let server = Scripted::new(&[StatusCode::SERVICE_UNAVAILABLE, StatusCode::CREATED]);
        let charge = Request {
            method: Method::POST,
            path: "/charge",
            idempotency_key: Some("order-42"),
        };
        let status = fixed::Client::fetch_with_retry(&server, &charge, &policy(3, 1)).await;
        assert_eq!(status, Ok(StatusCode::CREATED));
        (server.attempts(), server.sleeps())
    });
    assert_eq!(attempts.len(), 2);
    assert_eq!(attempts[1], sleeps[0]);
    assert!((500..=1000).contains(&sleeps[0]), "{sleeps:?}");
}

/// `maxRetries: 0` traps in Swift (`1...0`); Rust's `1..=0` is just empty. The policy keeps the
/// intent in its type: zero attempts is not a `NonZeroU32`, and a cap below the base is refused.
#[test]
fn fixed_retry_backoff_policy_refuses_zero_attempts_and_a_cap_below_the_base() {
    assert_eq!(NonZeroU32::new(0), None);
    let three = NonZeroU32::new(3).unwrap();
    let refused = RetryPolicy::new(three, Duration::from_secs(2), Duration::from_secs(1));
    assert_eq!(
        refused.unwrap_err(),
        "a cap of 1s is below the base delay of 2s"
    );
    assert!(RetryPolicy::new(three, DELAY, CAP).is_ok());
}

/// A `Retry-After` longer than the cap: the fixed twin gives up at once rather than ignore the
/// server or wait longer than its caller allows.
#[test]
fn fixed_retry_backoff_gives_up_on_a_retry_after_beyond_the_cap() {
    let (status, attempts, sleeps) = rt::run(async {
        let server = Scripted::answering(&[Answer {
            status: StatusCode::SERVICE_UNAVAILABLE,
            retry_after: Some("60"),
        }]);
        let status = fixed::Client::fetch_with_retry(&server, &FEED, &policy(3, 1)).await;
        (status, server.attempts(), server.sleeps())
    });
    assert_eq!(
        status.map_err(|e| e.to_string()),
        Err("503 (Retry-After: 60)".to_string())
    );
    assert_eq!(attempts, [0]);
    assert!(sleeps.is_empty());
    let failure = networking::retry_backoff::Failure::Status {
        status: StatusCode::SERVICE_UNAVAILABLE,
        retry_after: Some(Duration::from_secs(60)),
    };
    let why = policy(3, 1).delay(1, &FEED, &failure).unwrap_err();
    let asked = Duration::from_secs(60);
    assert_eq!(why, Stop::OverTheCap { asked, cap: CAP });
    assert_eq!(
        why.to_string(),
        "the server asks for 60 s, over the 4 s cap"
    );
}

/// In real use the jitter is seeded from the OS: two policies built the same way draw different
/// numbers (equal with probability 2^-64), so a fleet does not retry in lockstep. A given seed
/// draws the same numbers every time (what the checks use). And a policy is `Send + Sync`, so
/// one can be shared by tasks on a multi-thread runtime.
#[test]
fn fixed_retry_backoff_policy_is_os_seeded_shareable_and_reproducible() {
    fn shareable<T: Send + Sync>(_: &T) {}
    let three = NonZeroU32::new(3).unwrap();
    let (a, b) = (
        RetryPolicy::new(three, DELAY, CAP).unwrap(),
        RetryPolicy::new(three, DELAY, CAP).unwrap(),
    );
    shareable(&a);
    assert_ne!(a.jitter.next_u64(), b.jitter.next_u64());
    let draws = |p: RetryPolicy| [p.jitter.next_u64(), p.jitter.next_u64()];
    assert_eq!(draws(a.with_seed(7)), draws(b.with_seed(7)));
    // SplitMix64's published first output for seed 0.
    assert_eq!(policy(3, 0).jitter.next_u64(), 0xE220_A839_7B1D_CDAF);
}
