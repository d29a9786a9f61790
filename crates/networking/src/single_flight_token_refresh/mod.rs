//! N9 `single_flight_token_refresh` — three requests meet an expired token at once, and each one
//! refreshes it: a refresh storm.
//!
//! Ports `AuthenticationInterceptor` from "Request/Response Interceptors" (L2929–3023). Checked
//! against the guide:
//!
//! * On a 401, `interceptResponse` fires a detached `Task { await
//!   authManager.refreshTokenIfNeeded() }` (L2979–2984) and returns the 401, so the request fails
//!   and is never retried. `refreshTokenIfNeeded` does not exist on the guide's `OAuth2Manager`:
//!   it does not compile.
//! * Nothing makes the refresh happen once: N requests that get 401 start N refreshes. With
//!   refresh-token rotation, all but the first then fail (`invalid_grant`).
//! * `LoggingInterceptor` prints every header and body (L2938–2954): bearer tokens and passwords
//!   in the log. The second lesson, [`redaction`], checks the headers.
//!
//! The port awaits the refresh instead of detaching it (a detached task is one no check could
//! wait for) and retries the request once with the new token; what stays from the guide is "a
//! 401 refreshes", with no check that someone else already did.
//!
//! The check ([`one_refresh_for_a_burst_of_401s`]): a real axum server on `127.0.0.1:0` accepts
//! only the newest access token and counts `POST /refresh` calls (each issues a new token and
//! retires the old one). Three requests carry the expired `t0`; the server holds their 401s on a
//! [`Gate`] until all three have arrived, then answers them at once. The server must see exactly
//! one refresh, and all three requests must succeed.
//!
//! * [`broken`] refreshes on every 401: three refreshes (each retiring the token the last one
//!   issued).
//! * [`fixed`] re-checks under the lock: only a request whose token is still the current one
//!   refreshes; the others take the token that refresh stored.
//!
//! How it is caught: **one forced schedule** for the 401s (the gate), and a count that does not
//! depend on the order after it: broken refreshes once per 401 in any order, fixed once in any
//! order (every 401 was for `t0`, and only the first holder of the lock still sees `t0`). No line
//! of the trace depends on which client tokio polls first: clients do not narrate, and the
//! server's lines depend only on arrival counts.

use std::sync::Arc;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::rt::{self, Gate};
use racelab_kit::say;
use racelab_kit::trace::{Trace, traced};

pub mod broken;
pub mod fixed;
mod harness;
pub mod redaction;

use crate::loopback;
pub use harness::AuthServer;

/// How many requests meet the expired token at once.
pub const REQUESTS: usize = 3;

/// What both twins implement: the client side of the auth interceptor.
pub trait Authenticated: Send + Sync + 'static {
    /// A client for `base` (`http://127.0.0.1:port`) holding the (expired) access `token`.
    fn new(client: reqwest::Client, base: String, token: &str) -> Self;
    /// `GET /profile` with the bearer token; on 401, refresh and retry once.
    fn get_profile(&self) -> impl Future<Output = Result<String, String>> + Send;
}

// ANCHOR: check
/// Three requests with the expired `t0`, their 401s released together: one refresh, three
/// successes.
pub async fn one_refresh_for_a_burst_of_401s<A: Authenticated>() -> Result<(), String> {
    let stale = Gate::new("the 401s for t0");
    let server = AuthServer::start(stale.clone()).await?;
    let auth = Arc::new(A::new(loopback::client()?, server.base(), "t0"));

    say!("sends {REQUESTS} requests at once with the expired token t0");
    let requests: Vec<_> = (1..=REQUESTS)
        .map(|i| {
            let auth = Arc::clone(&auth);
            rt::spawn(
                &format!("request-{i}"),
                async move { auth.get_profile().await },
            )
        })
        .collect();
    stale.arrived(REQUESTS).await; // all three are at the server with t0
    say!("answers all {REQUESTS} with 401 at once");
    stale.open();
    let mut results = Vec::new();
    for request in requests {
        results.push(
            request
                .await
                .map_err(|e| format!("a request task failed: {e}"))?,
        );
    }
    let refreshes = server.refreshes();
    let ok = results.iter().filter(|r| r.is_ok()).count();
    server.stop().await?;

    say!("the server saw {refreshes} refresh(es)");
    if refreshes != 1 {
        return Err(format!(
            "{REQUESTS} requests got 401 together and the token was refreshed {refreshes} \
             times: one refresh per 401, each retiring the token the last one issued"
        ));
    }
    say!("{ok} of {REQUESTS} requests succeed");
    if ok != REQUESTS {
        return Err(format!(
            "{} of {REQUESTS} requests failed: {results:?}",
            REQUESTS - ok
        ));
    }
    Ok(())
}
// ANCHOR_END: check

/// Runs the check for one twin with a trace installed, on a runtime with I/O ([`crate::loopback::run_as`]).
pub fn run(variant: Variant) -> (Result<(), String>, Trace) {
    traced(|_| match variant {
        Variant::Broken => {
            loopback::run_as("test", one_refresh_for_a_burst_of_401s::<broken::Auth>())
        }
        Variant::Fixed => {
            loopback::run_as("test", one_refresh_for_a_burst_of_401s::<fixed::Auth>())
        }
    })
}

/// Runs the second lesson's check ([`redaction::the_log_never_shows_the_token`]) the same way.
pub fn run_redaction(variant: Variant) -> (Result<(), String>, Trace) {
    use redaction::{broken, fixed, the_log_never_shows_the_token as check};
    traced(|_| match variant {
        Variant::Broken => loopback::run_as("app", check::<broken::Interceptors>()),
        Variant::Fixed => loopback::run_as("app", check::<fixed::Interceptors>()),
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "N9",
    name: "single_flight_token_refresh",
    summary: "three 401s at once start three token refreshes, and the request log prints the token",
    run: demo,
};

/// The demo: three requests with an expired token against a loopback auth server; then one
/// request through the guide's logging interceptor.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading(format!(
        "loopback auth server on 127.0.0.1: {REQUESTS} requests with an expired token, 401s held"
    ));
    let (refresh, trace) = run(variant);
    report.trace(&trace);
    report.heading("loopback auth server on 127.0.0.1: one request, logged by LoggingInterceptor");
    let (redaction, trace) = run_redaction(variant);
    report.trace(&trace);

    // Caught only if every check found its bug; holds only if none did.
    report.conclude_each(
        [refresh, redaction],
        "one refresh for the 401s, every request succeeded, no token in the log",
    );
    report
}
