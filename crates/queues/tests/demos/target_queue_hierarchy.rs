//! Q14 `target_queue_hierarchy`: the dependency queue targets the critical serial queue. The
//! mechanism is right — one job at a time across both — and that is exactly why a long dependent
//! job blocks critical work, which the guide's "respect the critical queue's priority" never says.

use std::sync::{Arc, Mutex};

use queues::target_queue_hierarchy::{
    CRITICAL, DEPENDENCY, Seen, broken, check, fixed, run_scenario,
};
use racelab_dispatch::serial_queue::SyncError;
use racelab_kit::demo::Variant;
use racelab_kit::gauge::Gauge;

/// The trivial case: with short jobs nobody notices — dependent and critical jobs all run, each
/// queue in its own order.
#[test]
fn broken_target_queue_hierarchy_is_fine_with_short_jobs() {
    let manager = broken::QueueHierarchyManager::new();
    let ran = Arc::new(Mutex::new(Vec::new()));
    for i in 0..3 {
        let (d, c) = (ran.clone(), ran.clone());
        manager
            .perform_dependent_operation(move || d.lock().unwrap().push(format!("dependent {i}")));
        manager.perform_critical_operation(move || c.lock().unwrap().push(format!("critical {i}")));
    }
    manager.dependency_queue().sync(|| ()).unwrap();
    manager.critical_queue().sync(|| ()).unwrap();
    let ran = ran.lock().unwrap();
    assert_eq!(ran.len(), 6);
    let of = |kind: &str| {
        ran.iter()
            .filter(|r| r.starts_with(kind))
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(
        of("dependent"),
        ["dependent 0", "dependent 1", "dependent 2"]
    );
    assert_eq!(of("critical"), ["critical 0", "critical 1", "critical 2"]);
}

/// The mechanism, as documented by Apple: dependent and critical jobs, submitted from two threads
/// at once, never overlap — the peak number in flight is 1. Deterministic: they all run on
/// critical.queue's one thread.
// ANCHOR: one_drain
#[test]
fn broken_target_queue_hierarchy_runs_one_job_at_a_time_across_both_queues() {
    let manager = Arc::new(broken::QueueHierarchyManager::new());
    let gauge = Arc::new(Gauge::new()); // jobs in flight now, and the most at once
    let job = {
        let gauge = gauge.clone();
        move || {
            let gauge = gauge.clone();
            move || {
                let _running = gauge.enter();
                std::thread::yield_now();
            }
        }
    };
    std::thread::scope(|s| {
        let (m, j) = (manager.clone(), job.clone());
        s.spawn(move || (0..50).for_each(|_| m.perform_dependent_operation(j())));
        let (m, j) = (manager.clone(), job.clone());
        s.spawn(move || (0..50).for_each(|_| m.perform_critical_operation(j())));
    });
    manager.dependency_queue().sync(|| ()).unwrap();
    manager.critical_queue().sync(|| ()).unwrap();
    assert_eq!(gauge.peak(), 1);
}
// ANCHOR_END: one_drain

/// The consequence: a long dependent job, held at a gate, keeps the critical job from starting for
/// as long as it is held — seen in the registry, not timed: critical.queue's one thread holds its
/// drain and is blocked at the gate while the critical job waits behind it. The critical job runs
/// after it, alone. Pinned: the timeline.
// ANCHOR: caught
#[test]
fn broken_target_queue_hierarchy_blocks_critical_work_behind_a_dependent_job() {
    let (watched, trace) = run_scenario(Variant::Broken);
    let seen = watched.expect_finished();
    assert_eq!(
        seen,
        Seen {
            critical_while_held: false,
            in_flight_at_critical: 1
        }
    );
    let failure = check(&seen).expect("the check fails");
    assert!(failure.starts_with("head-of-line blocking"), "{failure}");
    let said: Vec<String> = trace.lines().into_iter().map(|l| l.text).collect();
    let at = |text: &str| said.iter().position(|t| t.starts_with(text)).unwrap();
    assert!(at("finishes the long dependent job") < at("runs the critical job"));
    racelab_testkit::snapshot!("target_queue_hierarchy__trace", trace.render());
}
// ANCHOR_END: caught

/// A job on the dependency queue holds the critical queue too, so waiting for the critical queue
/// from a dependent job would wait behind itself: the library's key refuses it.
#[test]
fn broken_target_queue_hierarchy_refuses_sync_onto_critical_from_a_dependent_job() {
    let manager = broken::QueueHierarchyManager::new();
    let critical = manager.critical_queue().clone();
    let inner = manager
        .dependency_queue()
        .sync(move || critical.sync(|| unreachable!("never enqueued")));
    assert_eq!(
        inner,
        Ok(Err(SyncError::WouldDeadlock {
            label: CRITICAL.into()
        }))
    );
}

/// The fixed twin under the same check: the critical job runs while the dependent job is held,
/// two jobs in flight.
// ANCHOR: holds
#[test]
fn fixed_target_queue_hierarchy_runs_critical_work_while_a_dependent_job_is_held() {
    let (watched, trace) = run_scenario(Variant::Fixed);
    let seen = watched.expect_finished();
    assert_eq!(
        seen,
        Seen {
            critical_while_held: true,
            in_flight_at_critical: 2
        }
    );
    assert_eq!(check(&seen), None, "{}", trace.render());
}
// ANCHOR_END: holds

/// What the dependency queue was for still holds: dependent jobs run one at a time, in order, on
/// their own queue — and a `sync` onto the critical queue from one of them is now fine.
#[test]
fn fixed_target_queue_hierarchy_keeps_dependent_jobs_in_order() {
    let manager = fixed::QueueHierarchyManager::new();
    let ran = Arc::new(Mutex::new(Vec::new()));
    for i in 0..20 {
        let ran = ran.clone();
        manager.perform_dependent_operation(move || ran.lock().unwrap().push(i));
    }
    let critical = manager.critical_queue().clone();
    let thread = manager.dependency_queue().sync(move || {
        critical.sync(|| ()).unwrap();
        std::thread::current().name().map(String::from)
    });
    assert_eq!(thread, Ok(Some(DEPENDENCY.into())));
    assert_eq!(*ran.lock().unwrap(), (0..20).collect::<Vec<_>>());
}
