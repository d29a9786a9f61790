//! A14 `testing_async`: an error in a task nobody awaits becomes a five-second timeout; and a
//! harness that has never failed proves nothing.

use actors::testing_async::harness::Failure;
use actors::testing_async::negative_control::{
    ITERATIONS, SafeCounter, UnsafeCounter, model_check, test_race_condition,
};
use actors::testing_async::{
    AsyncTest, Server, a_failing_operation_fails_the_test_at_once, broken, fixed, run,
};
use racelab_kit::demo::Variant;
use racelab_kit::rt;
use racelab_kit::sync::{Loom, Std};

/// The trivial case: against a working server, the guide's test passes, at t=10ms.
#[test]
fn broken_testing_async_passes_against_a_working_server() {
    let (verdict, at) = rt::run(async {
        let verdict = <broken::ConcurrencyTests as AsyncTest>::test_async_operation(Server {
            fails_with: None,
        })
        .await;
        (verdict, rt::now().ms())
    });
    assert_eq!((verdict, at), (Ok(()), 10));
}

// ANCHOR: caught
/// The forced schedule: the server fails at t=10ms; the test fails at t=5000ms, with XCTest's
/// timeout message instead of the error.
#[test]
fn broken_testing_async_turns_the_error_into_a_timeout() {
    let (outcome, trace) = run(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "the server answered 503 at t=10ms, but the test failed at t=5000ms with \"Asynchronous \
         wait failed: Exceeded timeout of 5 seconds, with unfulfilled expectations: \"Async \
         operation completed\".\": the error died with the task nobody awaited"
    );
    racelab_testkit::snapshot!("testing_async__trace", trace.render());
}
// ANCHOR_END: caught

/// The same check on the fixed twin: the test fails at t=10ms, with the server's error.
#[test]
fn fixed_testing_async_fails_at_once_with_the_error() {
    assert_eq!(
        rt::run(a_failing_operation_fails_the_test_at_once::<
            fixed::ConcurrencyTests,
        >()),
        Ok(())
    );
}

/// And a failed assertion inside the task (a panic) reaches the fixed test too, as a `JoinError`.
#[test]
fn fixed_testing_async_a_panic_in_the_task_fails_the_test() {
    let verdict = rt::run(async {
        let task = rt::spawn("Task", async { assert_eq!(1 + 1, 3, "XCTAssertEqual") });
        task.await.map_err(Failure::from)
    });
    assert!(verdict.unwrap_err().0.starts_with("the task failed: task"));
}

// ANCHOR: negative_control
/// The guide's `testRaceCondition` passes the *unsafe* counter: 1,000 tasks on one thread never
/// interleave inside `increment`. It cannot fail, so its passing proves nothing.
#[test]
fn broken_testing_async_stress_test_passes_an_unsafe_counter() {
    assert_eq!(test_race_condition::<UnsafeCounter<Std>>(), Ok(()));
    assert_eq!(test_race_condition::<SafeCounter<Std>>(), Ok(()));
    assert_eq!(ITERATIONS, 1000);
}

/// The negative control: loom, every interleaving of two increments, fails the unsafe counter …
#[test]
fn fixed_testing_async_model_check_fails_the_unsafe_counter() {
    let search = model_check::<UnsafeCounter<Loom>>();
    let failure = search.expect_failure();
    assert_eq!(
        failure.message,
        "lost update: 2 increments, but the count is 1"
    );
    racelab_testkit::snapshot!("testing_async__negative_control", failure.trace.render());
}

/// … and passes the safe one (the positive control): the harness tells them apart.
#[test]
fn fixed_testing_async_model_check_passes_the_safe_counter() {
    model_check::<SafeCounter<Loom>>().assert_holds();
}
// ANCHOR_END: negative_control
