//! R13 `resource_guard`: a camera released when `start` returns — and a guard that lives as long
//! as the session. Every check runs on a tokio `current_thread` runtime, so each trace is the same
//! on every run.

use racelab_kit::demo::Variant;
use racelab_kit::trace::Signed;
use races::resource_guard::{Check, Devices, Resource, bounded as block_on, broken, run};

/// The trivial case: once its pool is initialised, the guide's manager runs one session at a time
/// just fine — the bugs need a second session, a second device, or a second task.
#[test]
fn broken_resource_guard_is_fine_for_one_session() {
    let manager = <broken::CameraManager as Devices>::ready();
    assert_eq!(block_on(manager.start_camera_session()), Ok(true));
}

/// Bug 1: the guide builds `CameraManager` with an empty pool and never calls
/// `initializeResources()`, so the very first session is refused.
#[test]
fn broken_resource_guard_camera_never_available_as_written() {
    let manager = broken::CameraManager::new();
    assert!(manager.resource_manager.available_resources().is_empty());
    let (outcome, _) = run(Check::FirstSession, Variant::Broken);
    let what = outcome.unwrap_err();
    assert!(what.contains("no free device at all"), "{what}");
}

/// Bug 2, the main one: `defer` gives the camera back when `start_camera_session` returns, so while
/// S1's session runs, S2 gets the camera too.
// ANCHOR: caught
#[test]
fn broken_resource_guard_two_sessions_own_the_camera() {
    let (outcome, trace) = run(Check::SecondSession, Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "S2 got the camera while S1's session runs: two sessions own one camera"
    );
    racelab_testkit::snapshot!("resource_guard__trace", trace.render());
}
// ANCHOR_END: caught

/// The replay: one thread, one task at a time — the same steps on every run.
#[test]
fn broken_resource_guard_replays_the_same_way() {
    let (_, first) = run(Check::SecondSession, Variant::Broken);
    let (_, second) = run(Check::SecondSession, Variant::Broken);
    assert_eq!(first.render(), second.render());
}

/// Bug 3: allocations are keyed by task, so a task's second device overwrites its first, and the
/// camera never comes back.
#[test]
fn broken_resource_guard_second_device_overwrites_the_first() {
    let (outcome, _) = run(Check::TwoDevices, Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "T gave everything back, yet the camera never returned to the pool"
    );
}

/// Bug 4: a busy device is `false` at once; nobody can wait for it.
#[test]
fn broken_resource_guard_busy_device_cannot_be_waited_for() {
    let (outcome, _) = run(Check::WaitersInOrder, Variant::Broken);
    assert!(
        outcome
            .unwrap_err()
            .starts_with("W1, W2 and W3 were turned away at once")
    );
}

/// The fixed twin under the same four checks.
#[test]
fn fixed_resource_guard_new_manager_starts_a_session() {
    assert_eq!(run(Check::FirstSession, Variant::Fixed).0, Ok(()));
}

// ANCHOR: fixed
#[test]
fn fixed_resource_guard_second_session_refused_while_first_runs() {
    assert_eq!(run(Check::SecondSession, Variant::Fixed).0, Ok(()));
}

#[test]
fn fixed_resource_guard_all_devices_return_on_drop() {
    assert_eq!(run(Check::TwoDevices, Variant::Fixed).0, Ok(()));
}

#[test]
fn fixed_resource_guard_waiters_served_fifo() {
    let (outcome, trace) = run(Check::WaitersInOrder, Variant::Fixed);
    assert_eq!(outcome, Ok(()), "{}", trace.render());
}
// ANCHOR_END: fixed

/// A guard is returned however its holder ends — here a task that panics while holding the camera.
#[test]
fn fixed_resource_guard_returns_the_device_when_its_holder_panics() {
    use races::resource_guard::fixed::ResourcePool;
    let pool = std::sync::Arc::new(ResourcePool::new());
    let task = {
        let pool = pool.clone();
        Signed::new("T", async move {
            let _camera = pool.acquire(Resource::Camera).await;
            panic!("T fails while holding the camera");
        })
    };
    let outcome = block_on(async { tokio::spawn(task).await });
    assert!(outcome.unwrap_err().is_panic());
    assert_eq!(pool.available_resources().len(), Resource::ALL.len());
    assert!(pool.try_acquire(Resource::Camera).is_ok());
}

/// Fair to latecomers: when H lets go while W1 waits, the camera is W1's at once — a `try_acquire`
/// that comes in between is refused, though W1 has not run yet.
#[test]
fn fixed_resource_guard_latecomer_cannot_jump_the_queue() {
    use races::resource_guard::fixed::ResourcePool;
    let pool = std::sync::Arc::new(ResourcePool::new());
    block_on(async {
        let held = pool
            .try_acquire(Resource::Camera)
            .expect("the camera is free");
        let (asked, has_asked) = tokio::sync::oneshot::channel();
        let waiter = {
            let pool = pool.clone();
            tokio::spawn(async move {
                let _ = asked.send(());
                drop(pool.acquire(Resource::Camera).await);
            })
        };
        has_asked.await.unwrap(); // one thread: W1 is now parked in the queue
        drop(held);
        assert!(pool.try_acquire(Resource::Camera).is_err());
        waiter.await.unwrap();
        assert!(pool.try_acquire(Resource::Camera).is_ok());
    });
}
