//! N12 `completion_exactly_once`: a push handler reports `.newData` before it has fetched
//! anything.

use networking::completion_exactly_once::{
    FetchCompletion, FetchResult, PushHandler, broken, completes_after_the_work, fixed, run,
    run_registration, start_content_server,
};
use networking::loopback;
use racelab_kit::demo::Variant;
use racelab_kit::rt::Gate;
use racelab_testkit::compile_fail::{Case, check};

/// The trivial case: if the system never suspends the app, the broken handler does fetch the
/// content — its only report was just too early.
#[test]
fn broken_completion_exactly_once_reports_new_data_when_nobody_suspends() {
    let result = loopback::run_as("system", async {
        let content = Gate::new("content");
        content.open();
        let server = start_content_server(content).await.unwrap();
        let (completion, result) = FetchCompletion::new();
        broken::AppDelegate::did_receive_remote_notification(
            loopback::client().unwrap(),
            server.base(),
            completion,
        )
        .await;
        server.stop().await.unwrap();
        result.await
    });
    assert_eq!(result, Ok(FetchResult::NewData));
}

// ANCHOR: caught
/// The forced schedule: while the server holds the content, the system finds the handler has
/// already completed, and suspends the app mid-fetch.
#[test]
fn broken_completion_exactly_once_completes_before_the_fetch() {
    let (outcome, trace) = run(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "completionHandler(NewData) was called while the content fetch was still at the server; \
         the system suspended the app, and the fetch never finished"
    );
    racelab_testkit::snapshot!("completion_exactly_once__trace", trace.render());
}
// ANCHOR_END: caught

/// The same check on the fixed twin: nothing is reported while the fetch is held; `NewData`
/// after it.
#[test]
fn fixed_completion_exactly_once_completes_after_the_fetch() {
    assert_eq!(
        loopback::run_as("system", completes_after_the_work::<fixed::AppDelegate>()),
        Ok(())
    );
}

/// "Never" cannot happen: a completion dropped uncompleted (a path that forgot it, or a task
/// that was cancelled) still reports, with `Failed`.
#[test]
fn fixed_completion_exactly_once_reports_failed_when_dropped() {
    let (completion, mut result) = FetchCompletion::new();
    drop(completion);
    assert_eq!(result.try_recv(), Ok(FetchResult::Failed));
}

// ANCHOR: twice
/// "Twice" cannot happen: `complete` takes the completion by value, so a second call is a use
/// after move (E0382).
#[test]
fn broken_completion_exactly_once_second_call_does_not_compile() {
    check(
        env!("CARGO_MANIFEST_DIR"),
        "tests/compile_fail",
        &[Case::code("completion_exactly_once_twice.rs", "E0382")],
    );
}
// ANCHOR_END: twice

/// The second lesson's trivial case: when the server accepts the token, the guide's handler is
/// right to log it as registered.
#[test]
fn broken_registration_is_right_when_the_server_accepts() {
    use networking::completion_exactly_once::registration::{
        Registrar, TOKEN, broken, start_registry,
    };
    let registered = loopback::run_as("app", async {
        let server = start_registry(axum::http::StatusCode::CREATED)
            .await
            .unwrap();
        let url = server.url("/register-device");
        let registered = broken::PushNotificationManager::send_token_to_server(
            &loopback::client().unwrap(),
            url,
            TOKEN,
        )
        .await;
        server.stop().await.unwrap();
        registered
    });
    assert_eq!(registered, Ok(()));
}

// ANCHOR: registration_caught
/// The server answers 500 and stores nothing; the guide's handler sees no transport error and
/// logs "Device token registered successfully".
#[test]
fn broken_registration_counts_a_500_as_registered() {
    let (outcome, trace) = run_registration(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "the server answered 500 and stored nothing, but the app logged the device token as \
         registered"
    );
    racelab_testkit::snapshot!(
        "completion_exactly_once__registration_trace",
        trace.render()
    );
}
// ANCHOR_END: registration_caught

/// The same check on the fixed twin: `error_for_status()` makes the 500 a failed registration.
#[test]
fn fixed_registration_reports_the_500_as_a_failure() {
    let (outcome, trace) = run_registration(Variant::Fixed);
    assert_eq!(outcome, Ok(()));
    racelab_testkit::snapshot!(
        "completion_exactly_once__registration_fixed",
        trace.render()
    );
}

/// A registrar that fails without the server's 500 (here: it never sends anything).
struct NeverSends;

impl networking::completion_exactly_once::registration::Registrar for NeverSends {
    async fn send_token_to_server(_: &reqwest::Client, _: String, _: &str) -> Result<(), String> {
        Err("error sending request: connection refused".into())
    }
}

/// The registration check passes a twin only for failing *on the 500*: an error for another
/// reason (a transport error, a bug before the request) is not the fixed behaviour, and is
/// reported as such.
#[test]
fn registration_check_fails_a_twin_that_errs_for_another_reason() {
    use networking::completion_exactly_once::registration::registers_only_when_the_server_accepts;
    let outcome = loopback::run_as(
        "app",
        registers_only_when_the_server_accepts::<NeverSends>(),
    );
    assert_eq!(
        outcome.unwrap_err(),
        "the registration failed, but not on the 500: error sending request: connection refused"
    );
}
