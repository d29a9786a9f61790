//! N4 `cancellation_registry`: the guide's `cancelAllRequests()` finds no request in flight.

use networking::cancellation_registry::{
    Cancellable, broken, cancel_all_ends_a_request_in_flight, fixed, run, start_server,
};
use networking::loopback;
use racelab_kit::demo::Variant;
use racelab_kit::rt::Gate;

/// The trivial case: with nobody cancelling, the broken manager fetches the report.
#[test]
fn broken_cancellation_registry_fetches_when_nobody_cancels() {
    let body = loopback::run_as("test", async {
        let answer = Gate::new("answer");
        answer.open();
        let server = start_server(answer).await.unwrap();
        let manager =
            broken::CancellableNetworkManager::new(loopback::client().unwrap(), server.base());
        let body = manager.fetch_data("/report").await;
        server.stop().await.unwrap();
        body
    });
    assert_eq!(body.as_deref(), Ok("report.pdf"));
}

// ANCHOR: caught
/// The forced schedule: the server holds the answer, `cancel_all_requests()` runs, the gate
/// opens — and the "cancelled" request gets its answer.
#[test]
fn broken_cancellation_registry_cancels_nothing_in_flight() {
    let (outcome, trace) = run(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "cancelAllRequests() found 0 request(s) in flight; the request it should have \
         cancelled finished with \"report.pdf\""
    );
    racelab_testkit::snapshot!("cancellation_registry__trace", trace.render());
}
// ANCHOR_END: caught

/// The same check on the fixed twin: the request ends `Cancelled`, and nothing stays stored.
#[test]
fn fixed_cancellation_registry_cancels_the_request_in_flight() {
    assert_eq!(
        loopback::run_as(
            "test",
            cancel_all_ends_a_request_in_flight::<fixed::CancellableNetworkManager>()
        ),
        Ok(())
    );
}

/// RAII removal: a request that finished is no longer stored, so there is nothing to leak.
#[test]
fn fixed_cancellation_registry_forgets_a_finished_request() {
    let stored = loopback::run_as("test", async {
        let answer = Gate::new("answer");
        answer.open();
        let server = start_server(answer).await.unwrap();
        let manager =
            fixed::CancellableNetworkManager::new(loopback::client().unwrap(), server.base());
        assert_eq!(
            manager.fetch_data("/report").await.as_deref(),
            Ok("report.pdf")
        );
        let stored = manager.stored();
        server.stop().await.unwrap();
        stored
    });
    assert_eq!(stored, 0);
}
