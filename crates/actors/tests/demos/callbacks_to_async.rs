//! A1 `callbacks_to_async`: an async bridge over a callback API, and the callback that never comes.

use actors::callbacks_to_async::{
    Bridge, FetchError, LATENCY, Path, broken, every_path_answers, fixed, run,
};
use racelab_kit::demo::Variant;
use racelab_kit::rt;

/// The trivial case: when the service calls back, the hand-rolled bridge returns what it was given.
#[test]
fn broken_callbacks_to_async_is_right_when_the_callback_comes() {
    rt::run(async {
        assert_eq!(broken::Bridge::fetch_user(Path::Found).await, Ok("John"));
        assert_eq!(
            broken::Bridge::fetch_user(Path::ServerError).await,
            Err(FetchError::Http(500))
        );
    });
}

// ANCHOR: caught
/// The catch: the service drops its callback, and the broken bridge is proven stuck — every task
/// waiting, no timer due — on the paused clock, not timed out.
#[test]
fn broken_callbacks_to_async_waits_forever_when_the_callback_is_dropped() {
    let (outcome, trace) = run(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "fetch_user() waits forever for a dropped callback (stuck at t=3600200ms)"
    );
    racelab_testkit::snapshot!("callbacks_to_async__trace", trace.render());
}
// ANCHOR_END: caught

/// The same check on the fixed twin: every path returns.
#[test]
fn fixed_callbacks_to_async_returns_on_every_path() {
    assert_eq!(rt::run(every_path_answers::<fixed::Bridge>()), Ok(()));
}

/// "At once": the oneshot bridge returns `NoAnswer` the moment the callback is dropped (t=100ms),
/// not after some timeout.
#[test]
fn fixed_callbacks_to_async_hears_a_dropped_callback_at_once() {
    let (result, at) = rt::run(async {
        let result = fixed::Bridge::fetch_user(Path::DropsCallback).await;
        (result, rt::now().0)
    });
    assert_eq!((result, at), (Err(FetchError::NoAnswer), LATENCY));
}
