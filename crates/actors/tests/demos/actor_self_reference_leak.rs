//! A9 `actor_self_reference_leak`: an observer an actor stores that holds a strong handle to the
//! actor keeps it alive forever.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

use actors::actor_self_reference_leak::{
    Msg, Observer, broken, every_handle_dropped_ends_the_actor, fixed, run,
};
use racelab_actor::spawn;
use racelab_kit::demo::Variant;
use racelab_kit::rt;

/// The trivial case: with no observer holding a handle, the broken manager ends like any actor
/// once its last handle drops.
#[test]
fn broken_actor_self_reference_leak_ends_without_a_self_referencing_observer() {
    let ended = rt::run(async {
        let (manager, task) = spawn("manager", broken::MemorySafeManager::default());
        manager
            .tell(Msg::SetData("name".into(), "Ann".into()))
            .await
            .unwrap();
        drop(manager);
        rt::until_stuck(task).await.is_ok()
    });
    assert!(ended);
}

// ANCHOR: caught
/// The catch: every outside handle is gone, and the manager still waits for mail — proven stuck
/// on the paused clock, not timed out.
#[test]
fn broken_actor_self_reference_leak_never_ends() {
    let (outcome, trace) = run(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "never ended (stuck at t=3600000ms): an observer keeps its mailbox open"
    );
    racelab_testkit::snapshot!("actor_self_reference_leak__trace", trace.render());
}
// ANCHOR_END: caught

/// The second bug on its own: `observers[key] = observer` keeps the last observer of a key.
#[test]
fn broken_actor_self_reference_leak_second_observer_replaces_the_first() {
    let calls = rt::run(async {
        let (manager, task) = spawn("manager", broken::MemorySafeManager::default());
        let calls = Arc::new(AtomicUsize::new(0));
        for _ in 0..2 {
            let calls = Arc::clone(&calls);
            let observer: Observer = Box::new(move |_| _ = calls.fetch_add(1, SeqCst));
            manager
                .tell(Msg::AddObserver("name".into(), observer))
                .await
                .unwrap();
        }
        manager
            .tell(Msg::SetData("name".into(), "Ann".into()))
            .await
            .unwrap();
        drop(manager);
        task.await.unwrap();
        calls.load(SeqCst)
    });
    assert_eq!(
        calls, 1,
        "two observers of name, one call: the first was replaced"
    );
}

/// The same check on the fixed twin: the greeting is set, the manager ends, the logger ran.
#[test]
fn fixed_actor_self_reference_leak_ends_with_its_last_handle() {
    assert_eq!(
        rt::run(every_handle_dropped_ends_the_actor::<
            fixed::MemorySafeManager,
        >()),
        Ok(())
    );
}
