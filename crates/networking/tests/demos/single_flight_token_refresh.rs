//! N9 `single_flight_token_refresh`: a burst of 401s for one expired token refreshes it once per
//! request.

use networking::loopback;
use networking::single_flight_token_refresh::{
    AuthServer, Authenticated, broken, fixed, one_refresh_for_a_burst_of_401s, redaction, run,
    run_redaction,
};
use racelab_kit::demo::Variant;
use racelab_kit::rt::Gate;

/// The trivial case: one request with the expired token refreshes once, retries, and succeeds.
#[test]
fn broken_single_flight_token_refresh_is_right_for_one_request() {
    let (profile, refreshes) = loopback::run_as("test", async {
        let stale = Gate::new("the 401s");
        stale.open();
        let server = AuthServer::start(stale).await.unwrap();
        let auth = broken::Auth::new(networking::loopback::client().unwrap(), server.base(), "t0");
        let profile = auth.get_profile().await;
        let refreshes = server.refreshes();
        server.stop().await.unwrap();
        (profile, refreshes)
    });
    assert_eq!(profile.as_deref(), Ok("profile"));
    assert_eq!(refreshes, 1);
}

// ANCHOR: caught
/// The forced schedule: three 401s released together start three refreshes.
#[test]
fn broken_single_flight_token_refresh_refreshes_once_per_401() {
    let (outcome, trace) = run(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "3 requests got 401 together and the token was refreshed 3 times: one refresh per 401, \
         each retiring the token the last one issued"
    );
    racelab_testkit::snapshot!("single_flight_token_refresh__trace", trace.render());
}
// ANCHOR_END: caught

/// The same check on the fixed twin: one refresh, three successes.
#[test]
fn fixed_single_flight_token_refresh_refreshes_once_and_every_request_succeeds() {
    assert_eq!(
        loopback::run_as("test", one_refresh_for_a_burst_of_401s::<fixed::Auth>()),
        Ok(())
    );
}

// ANCHOR: redaction_caught
/// The second lesson: the guide's logger runs after the auth interceptor and prints every header,
/// so the log holds the bearer token.
#[test]
fn broken_redaction_logs_the_bearer_token() {
    let (outcome, trace) = run_redaction(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "the request log holds the access token: `Header authorization: Bearer tok-7f3a9c-1`"
    );
    racelab_testkit::snapshot!(
        "single_flight_token_refresh__redaction_trace",
        trace.render()
    );
}
// ANCHOR_END: redaction_caught

// ANCHOR: redaction_fixed
/// The same check on the fixed twin, and the log itself: the token string appears on no line,
/// the request still gets 200, and the redacted log is pinned.
#[test]
fn fixed_redaction_never_logs_the_token() {
    assert_eq!(run_redaction(Variant::Fixed).0, Ok(()));
    let (log, status) = loopback::run_as(
        "app",
        redaction::logged_request::<redaction::fixed::Interceptors>(),
    )
    .unwrap();
    assert_eq!(status, 200);
    assert!(
        log.iter().all(|line| !line.contains(redaction::TOKEN)),
        "{log:?}"
    );
    racelab_testkit::snapshot!("single_flight_token_refresh__redacted_log", log.join("\n"));
}
// ANCHOR_END: redaction_fixed

/// The mechanism the fix relies on, as http documents it: a value marked sensitive reports it,
/// and its `Debug` prints `Sensitive` instead of the token.
#[test]
fn fixed_redaction_marks_the_authorization_value_sensitive() {
    use redaction::Interceptors;
    let request = reqwest::Request::new(
        reqwest::Method::GET,
        "http://127.0.0.1:1/profile".parse().unwrap(),
    );
    let request = redaction::fixed::Interceptors::authorize(request, redaction::TOKEN).unwrap();
    let value = &request.headers()[reqwest::header::AUTHORIZATION];
    assert!(value.is_sensitive());
    assert_eq!(format!("{value:?}"), "Sensitive");
}
