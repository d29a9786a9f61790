//! N8 `client_middleware`: a new client per request reuses no connection.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use networking::client_middleware::{
    CustomProtocol, broken, custom_url, fixed, run, sequential_loads_share_a_connection,
    start_server,
};
use networking::loopback;
use racelab_kit::demo::Variant;

/// The trivial case: one load through the broken layer works — rewritten, tagged, answered —
/// over the one connection it opens.
#[test]
fn broken_client_middleware_loads_one_url() {
    let outcome = loopback::run_as("test", async {
        let accepts = Arc::new(AtomicUsize::new(0));
        let server = start_server(Arc::clone(&accepts), false).await?;
        let layer = broken::CustomUrlProtocol::new()?;
        let body = layer.load(&custom_url(&server, 1)).await;
        server.stop().await?;
        Ok::<_, String>((body, accepts.load(Ordering::SeqCst)))
    });
    assert_eq!(outcome, Ok((Ok("item 1".to_string()), 1)));
}

// ANCHOR: caught
/// The check: five loads in turn, five TCP connections.
#[test]
fn broken_client_middleware_opens_a_connection_per_request() {
    let (outcome, trace) = run(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "5 requests in turn opened 5 TCP connections: none was reused"
    );
    racelab_testkit::snapshot!("client_middleware__trace", trace.render());
}
// ANCHOR_END: caught

/// The same check on the fixed twin: one connection carries all five.
#[test]
fn fixed_client_middleware_reuses_one_connection() {
    assert_eq!(
        loopback::run_as(
            "caller",
            sequential_loads_share_a_connection::<fixed::CustomUrlProtocol>()
        ),
        Ok(())
    );
}
