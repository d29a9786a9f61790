//! Q3 `thread_managers`: workers that hold their manager keep it alive and run forever after it is
//! dropped; workers that hold only their stop signal are stopped and joined by the manager's
//! `Drop`. (The Swift shape itself does not compile: `compile_fail.rs`.)

use std::sync::Arc;

use queues::thread_managers::{AfterDrop, WORKERS, WORKS, broken, run_scenario};
use racelab_kit::demo::Variant;

/// The trivial case: a manager nobody drops is fine — its workers work.
#[test]
fn broken_thread_managers_workers_work() {
    let (watched, trace) = run_scenario(Variant::Broken);
    watched.expect_finished();
    for worker in WORKERS {
        assert!(trace.reached(worker, WORKS, None));
    }
    // A manager that is never given a worker drops normally.
    let manager = Arc::new(broken::ThreadBasedManager::default());
    let weak = Arc::downgrade(&manager);
    drop(manager);
    assert!(weak.upgrade().is_none());
}

/// Dropping the manager: it stays alive (each worker holds it), its `Drop` never runs, and no
/// worker exits — every run; the workers are leaked.
// ANCHOR: caught
#[test]
fn broken_thread_managers_leaks_its_workers() {
    let (watched, trace) = run_scenario(Variant::Broken);
    let after = watched.expect_finished();
    assert_eq!(
        after,
        AfterDrop {
            manager_alive: true,
            exited: vec![],
        }
    );
    racelab_testkit::snapshot!("thread_managers__trace", trace.render());
}
// ANCHOR_END: caught

/// The fixed twin under the same check: when `drop` returns, the manager is gone and every
/// worker's exit has been seen.
// ANCHOR: holds
#[test]
fn fixed_thread_managers_drop_stops_and_joins_every_worker() {
    let (watched, _trace) = run_scenario(Variant::Fixed);
    let after = watched.expect_finished();
    assert_eq!(
        after,
        AfterDrop {
            manager_alive: false,
            exited: WORKERS.map(String::from).to_vec(),
        }
    );
}
// ANCHOR_END: holds

/// The other professional answer: scoped threads. `std::thread::scope` joins every thread it
/// started before it returns, and lets them borrow (here, the manager's state) — no `Arc`, no
/// `Drop`, and `self.perform_work()` compiles.
// ANCHOR: scoped
#[test]
fn fixed_thread_managers_scoped_threads_are_joined_by_the_scope() {
    use std::sync::atomic::{AtomicUsize, Ordering};
    struct Manager {
        done: AtomicUsize,
    }
    impl Manager {
        fn perform_work(&self) {
            self.done.fetch_add(1, Ordering::SeqCst);
        }
    }
    let manager = Manager {
        done: AtomicUsize::new(0),
    };
    std::thread::scope(|s| {
        for _ in WORKERS {
            s.spawn(|| manager.perform_work()); // borrows the manager: fine inside a scope
        }
    }); // every thread has been joined here
    assert_eq!(manager.done.load(Ordering::SeqCst), WORKERS.len());
}
// ANCHOR_END: scoped
