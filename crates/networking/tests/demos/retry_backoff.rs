//! N3 `retry_backoff`: the guide's retry loop resends a 404 and a payment `POST`.

use networking::retry_backoff::{
    DELAY, MAX_RETRIES, Request, Retry, Scripted, broken, fixed,
    retries_only_what_is_safe_to_resend, run,
};
use racelab_kit::demo::Variant;
use racelab_kit::rt;
use reqwest::{Method, StatusCode};

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
        let feed = Request {
            method: Method::GET,
            path: "/feed",
            idempotency_key: None,
        };
        let status = broken::Client::fetch_with_retry(&server, &feed, MAX_RETRIES, DELAY).await;
        (status, server.attempts())
    });
    assert_eq!(status, Ok(StatusCode::OK));
    assert_eq!(attempts, [0, 1000, 3000]);
}

// ANCHOR: caught
/// The forced schedule: the 404 and the un-keyed `POST /charge` are each sent three times.
#[test]
fn broken_retry_backoff_resends_a_404_and_a_payment_post() {
    let (outcome, trace) = run(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "GET /missing sent at [0, 1000, 3000] ms, expected [0] (a 404 is not transient); \
         POST /charge sent at [0, 1000, 3000] ms, expected [0] \
         (a POST without an Idempotency-Key may already have charged)"
    );
    racelab_testkit::snapshot!("retry_backoff__trace", trace.render());
}
// ANCHOR_END: caught

/// The same check on the fixed twin: only the 503 on `GET /feed` is retried.
#[test]
fn fixed_retry_backoff_retries_only_a_transient_failure_of_a_resendable_request() {
    assert_eq!(
        rt::run(retries_only_what_is_safe_to_resend::<fixed::Client>()),
        Ok(())
    );
}

/// With an `Idempotency-Key` the server deduplicates on, the fixed twin may retry the charge.
#[test]
fn fixed_retry_backoff_retries_a_keyed_post() {
    let attempts = rt::run(async {
        let server = Scripted::new(&[StatusCode::SERVICE_UNAVAILABLE, StatusCode::CREATED]);
        let charge = Request {
            method: Method::POST,
            path: "/charge",
            idempotency_key: Some("order-42"),
        };
        let status = fixed::Client::fetch_with_retry(&server, &charge, MAX_RETRIES, DELAY).await;
        assert_eq!(status, Ok(StatusCode::CREATED));
        server.attempts()
    });
    assert_eq!(attempts, [0, 1000]);
}

/// `maxRetries: 0` traps in Swift (`1...0`); Rust's `1..=0` is empty, so both twins send nothing
/// and fail with the guide's `unknown` error.
#[test]
fn fixed_retry_backoff_with_zero_attempts_sends_nothing() {
    let (status, attempts) = rt::run(async {
        let server = Scripted::new(&[StatusCode::OK]);
        let feed = Request {
            method: Method::GET,
            path: "/feed",
            idempotency_key: None,
        };
        let status = fixed::Client::fetch_with_retry(&server, &feed, 0, DELAY).await;
        (status, server.attempts())
    });
    assert_eq!(status, Err(networking::retry_backoff::Failure::Unknown));
    assert!(attempts.is_empty());
}
