//! A2 `latest_request_wins`: two overlapping fetches for one screen.

use std::time::Duration;

use actors::latest_request_wins::{State, ViewModel, broken, fixed, latest_request_wins, run};
use racelab_kit::demo::Variant;
use racelab_kit::rt;

/// The trivial case: one request at a time, and the broken view model shows what it fetched.
#[test]
fn broken_latest_request_wins_is_right_for_one_request_at_a_time() {
    let state = rt::run(async {
        let model = broken::UserViewModel::default();
        model.fetch_user("A", Duration::from_millis(200));
        tokio::time::sleep(Duration::from_millis(300)).await;
        model.state()
    });
    assert_eq!(
        state,
        State {
            user: Some("A"),
            is_loading: false
        }
    );
}

// ANCHOR: caught
/// The catch, both ways: A's late answer leaves A on screen, and A's early answer ends the spinner
/// while B still runs.
#[test]
fn broken_latest_request_wins_shows_the_stale_user_and_stops_loading_early() {
    let (outcome, trace) = run(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "the screen ends on A, not B; isLoading false at t=350ms, B in flight"
    );
    racelab_testkit::snapshot!("latest_request_wins__trace", trace.render());
}
// ANCHOR_END: caught

/// The same check on the fixed twin: the older request is aborted, so only B writes.
#[test]
fn fixed_latest_request_wins_ends_on_b_and_loads_until_b_answers() {
    assert_eq!(
        rt::run(latest_request_wins::<fixed::UserViewModel>()),
        Ok(())
    );
}
