//! A12 `single_flight_sync`: a caller that finds a sync running returns `Ok` at once and never
//! sees it fail; the fixed synchronizer lets it await the sync in flight.

use std::sync::Arc;

use actors::single_flight_sync::{
    Backend, SyncError, Synchronizer, backoff, broken, fixed, run, run_backoff,
    two_callers_one_result,
};
use racelab_kit::demo::Variant;
use racelab_kit::rt;
use racelab_kit::trace::said;

/// The trivial case: one caller alone gets the sync's own result when it ends.
#[test]
fn broken_single_flight_sync_is_right_for_one_caller() {
    let (result, at) = rt::run(async {
        let synchronizer = broken::DataSynchronizer::new(Arc::new(Backend::new()));
        let result = synchronizer.sync_if_needed().await;
        (result, rt::now().ms())
    });
    assert_eq!((result, at), (Err(SyncError::ServerUnavailable), 2000));
}

// ANCHOR: caught
/// The forced schedule: B calls while A's sync runs, and returns `Ok` at once.
#[test]
fn broken_single_flight_sync_tells_the_second_caller_ok_before_the_sync_fails() {
    let (outcome, trace) = run(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "caller B got Ok(()) at t=0ms while the sync was still running; it ended at t=2000ms \
         with Err(ServerUnavailable)"
    );
    racelab_testkit::snapshot!("single_flight_sync__trace", trace.render());
}
// ANCHOR_END: caught

// ANCHOR: guard
/// What the guide gets right: the guard and `isSyncing = true` run before the first `await`, so
/// the second caller cannot start a second sync.
#[test]
fn broken_single_flight_sync_still_starts_only_one_sync() {
    let (_, trace) = run(Variant::Broken);
    let started = said(trace.lines())
        .into_iter()
        .filter(|line| line.ends_with("starts a sync"))
        .count();
    assert_eq!(started, 1);
}
// ANCHOR_END: guard

/// The same check on the fixed twin: one sync, and both callers get its error at t=2000ms.
#[test]
fn fixed_single_flight_sync_gives_both_callers_the_one_result() {
    assert_eq!(
        rt::run(two_callers_one_result::<fixed::DataSynchronizer>()),
        Ok(())
    );
}

// The second lesson: no backoff after a failure.

// ANCHOR: backoff_caught
/// The forced schedule: the sync fails at t=2000ms, and the next call syncs again at once.
#[test]
fn broken_backoff_retries_at_once_after_a_failure() {
    let (outcome, trace) = run_backoff(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "the sync failed at t=2000ms and the next call started another at once: no backoff"
    );
    racelab_testkit::snapshot!("single_flight_sync__backoff_trace", trace.render());
}
// ANCHOR_END: backoff_caught

/// The same check on the fixed twin: the next call gets `Err(BackingOff)` at once, and a sync
/// starts again only after the backoff.
#[test]
fn fixed_backoff_waits_out_the_delay_after_a_failure() {
    assert_eq!(
        rt::run(backoff::a_failed_sync_backs_off::<
            backoff::fixed::DataSynchronizer,
        >()),
        Ok(())
    );
}
