//! N9 `single_flight_token_refresh`: a burst of 401s for one expired token refreshes it once per
//! request.

use networking::loopback;
use networking::single_flight_token_refresh::{
    AuthServer, Authenticated, broken, fixed, one_refresh_for_a_burst_of_401s, run,
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
