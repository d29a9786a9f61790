//! A5 `loading_flag`: one `isLoading` flag for many requests, cleared by a task that runs later.

use std::time::Duration;

use actors::loading_flag::{RequestManager, back_to_back, broken, overlapping, run};
use racelab_kit::demo::Variant;
use racelab_kit::rt;

/// The trivial case: one request, and a moment for the deferred clear to run — the broken
/// manager is loading while it runs and not loading afterwards.
#[test]
fn broken_loading_flag_is_right_for_one_request_given_time() {
    let seen = rt::run(async {
        let manager = broken::NetworkRequestManager::default();
        let request = manager.perform_request("A", Duration::from_millis(100));
        let during = async {
            tokio::time::sleep(Duration::from_millis(50)).await;
            manager.is_loading()
        };
        let (_, during) = tokio::join!(request, during);
        tokio::time::sleep(Duration::from_millis(10)).await;
        (during, manager.is_loading())
    });
    assert_eq!(seen, (true, false));
}

// ANCHOR: caught
/// The catch, overlapping: A's clear lands while B still runs.
#[test]
fn broken_loading_flag_stops_loading_while_b_is_in_flight() {
    let (outcome, trace) = run(Variant::Broken, overlapping);
    assert_eq!(
        outcome.unwrap_err(),
        "isLoading is false at t=150ms with B in flight"
    );
    racelab_testkit::snapshot!("loading_flag__trace", trace.render());
}

/// The catch, back to back: no overlap at all, and A's deferred clear still lands on B's `true`.
#[test]
fn broken_loading_flag_clears_late_back_to_back() {
    let (outcome, trace) = run(Variant::Broken, back_to_back);
    assert_eq!(
        outcome.unwrap_err(),
        "isLoading is still true right after A returned, false at t=150ms with B in flight"
    );
    racelab_testkit::snapshot!("loading_flag__back_to_back_trace", trace.render());
}
// ANCHOR_END: caught

/// The same two checks on the fixed twin.
#[test]
fn fixed_loading_flag_loads_exactly_while_a_request_runs() {
    assert_eq!(run(Variant::Fixed, overlapping).0, Ok(()));
    assert_eq!(run(Variant::Fixed, back_to_back).0, Ok(()));
}
