//! A17 `futurelock`: a `select!` on `&mut op1` leaves `op1` queued for a lock it is never polled to
//! take, and the branch body waits behind it for good. Plus the contrast the compiler does catch:
//! a std guard held across `.await` in a spawned task.

use std::sync::Arc;

use actors::futurelock::{DoStuff, both_operations_finish, broken, do_async_thing, fixed, run};
use racelab_kit::demo::Variant;
use racelab_kit::rt;
use racelab_testkit::compile_fail::{Case, check_with_crates};
use tokio::sync::Mutex;

/// The trivial case: with the lock free, `op1` finishes before the sleep and all is well.
#[test]
fn broken_futurelock_is_right_when_the_lock_is_free() {
    let lock = Arc::new(Mutex::new(()));
    let done = rt::run(rt::until_stuck(<broken::DoStuff as DoStuff>::do_stuff(
        lock.clone(),
    )));
    assert_eq!(done, Ok(()));
    assert!(lock.try_lock().is_ok(), "nobody holds the lock afterwards");
}

// ANCHOR: caught
/// The forced schedule, proven stuck: the lock goes to `op1`, which `select!` no longer polls.
#[test]
fn broken_futurelock_leaves_op2_waiting_for_ever() {
    let (outcome, trace) = run(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "stuck: every task was waiting, and the paused clock ran on to t=3600000ms with nothing \
         done: the lock went to op1, which select! no longer polls, and op2 waits behind it"
    );
    racelab_testkit::snapshot!("futurelock__trace", trace.render());
}
// ANCHOR_END: caught

/// Not a slow lock, a lost one: even with op1 out of the way, the lock is not free — op1 owns it.
#[test]
fn broken_futurelock_op1_owns_the_lock_without_running() {
    rt::run(async {
        let lock = Arc::new(Mutex::new(()));
        let guard = lock.clone().lock_owned().await;
        let mut op1 = Box::pin(do_async_thing(lock.clone(), "op1"));
        // Poll op1 once, as select! does: it joins the lock's queue.
        assert!(futures_poll_once(op1.as_mut()).await.is_pending());
        drop(guard); // the lock is handed to op1's place in the queue …
        assert!(lock.try_lock().is_err(), "… so nobody else can take it");
        drop(op1); // dropping op1 gives its place back
        assert!(lock.try_lock().is_ok());
    });
}

/// Polls `future` once and reports what it said.
async fn futures_poll_once<F: Future + Unpin>(mut future: F) -> std::task::Poll<F::Output> {
    std::future::poll_fn(|cx| std::task::Poll::Ready(std::pin::Pin::new(&mut future).poll(cx)))
        .await
}

/// The same check on the fixed twin: `op1` is a task, takes the lock at t=5000ms, and `op2` follows.
#[test]
fn fixed_futurelock_both_operations_finish() {
    assert_eq!(rt::run(both_operations_finish::<fixed::DoStuff>()), Ok(()));
}

// ANCHOR: compile_fail
/// The contrast: a `std::sync::MutexGuard` held across `.await` in `tokio::spawn` does not
/// compile. The error has no code, so the case names a piece of its message.
#[test]
fn broken_futurelock_std_guard_across_await_does_not_compile() {
    check_with_crates(
        env!("CARGO_MANIFEST_DIR"),
        "tests/compile_fail",
        &[Case::message(
            "futurelock_std_guard_across_await.rs",
            "future cannot be sent between threads safely",
        )],
        &["tokio"],
    );
}
// ANCHOR_END: compile_fail
