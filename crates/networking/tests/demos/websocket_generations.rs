//! N10 `websocket_generations`: an old connection's receive loop must not write the status of
//! the manager's new connection.

use networking::websocket_generations::{
    Gate, Manager, Status, broken, fixed, reconnect_then_disconnect, run, serve,
};
use racelab_kit::demo::Variant;

/// The trivial case: one connection, closed by the server — the guide's manager reports the
/// failure, which is right.
#[test]
fn broken_websocket_generations_reports_the_end_of_its_only_connection() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let status = runtime.block_on(async {
        let close = Gate::new("close connection 1");
        let (url, server) = serve(vec![close.clone()]).await.unwrap();
        let mut manager = broken::WebSocketManager::default();
        manager.connect(&url).await.unwrap();
        close.open();
        for receiving in manager.take_loops() {
            receiving.await.unwrap();
        }
        server.abort();
        manager.status()
    });
    assert_eq!(status, Status::Failed);
}

// ANCHOR: caught
/// The forced schedule: the old connection's loop marks the live connection failed.
#[test]
fn broken_websocket_generations_lets_a_stale_loop_fail_the_live_connection() {
    let (outcome, trace) = run(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "connection 1 ended and set Failed, but connection 2 was live"
    );
    racelab_testkit::snapshot!("websocket_generations__trace", trace.render());
}
// ANCHOR_END: caught

/// The same check on the fixed twin.
#[test]
fn fixed_websocket_generations_ignores_stale_loops_and_ends_disconnected() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    assert_eq!(
        runtime.block_on(reconnect_then_disconnect::<fixed::WebSocketManager>()),
        Ok(())
    );
}
