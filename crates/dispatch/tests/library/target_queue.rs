//! Target queues, `SerialQueue::with_target`: a queue with a serial target is serialized with it.
//! FIFO within each queue, one job at a time across the whole hierarchy, and the queue-specific
//! key knows that a child's job also holds its targets.

use std::sync::{Arc, Mutex};

use racelab_dispatch::serial_queue::{SerialQueue, SyncError};
use racelab_kit::gauge::Gauge;
use racelab_kit::say;
use racelab_kit::trace::{Trace, said};

/// A child's jobs run on the root's thread, in FIFO order, and return values through `sync`.
#[test]
fn a_child_runs_its_jobs_on_the_targets_thread_in_order() {
    let root = SerialQueue::new("root");
    let child = SerialQueue::with_target("child", &root);
    let seen = Arc::new(Mutex::new(Vec::new()));
    for i in 0..50 {
        let seen = seen.clone();
        child.dispatch_async(move || seen.lock().unwrap().push(i));
    }
    let thread = child.sync(|| std::thread::current().name().map(String::from));
    assert_eq!(thread, Ok(Some("root".into())));
    assert_eq!(*seen.lock().unwrap(), (0..50).collect::<Vec<_>>());
}

/// A child's lines are signed with the child's label, not the thread's.
#[test]
fn a_childs_jobs_narrate_under_the_childs_label() {
    let trace = Trace::new();
    let _installed = trace.install();
    let root = SerialQueue::new("critical.queue");
    let child = SerialQueue::with_target("dependency.queue", &root);
    child.sync(|| say!("runs a dependent job")).unwrap();
    root.sync(|| say!("runs a critical job")).unwrap();
    let said: Vec<String> = said(trace.lines());
    assert_eq!(
        said,
        [
            "main: waits for dependency.queue to run its sync job",
            "dependency.queue: runs a dependent job",
            "main: waits for critical.queue to run its sync job",
            "critical.queue: runs a critical job",
        ]
    );
}

/// The mechanism: jobs of the root, two children and a grandchild, submitted from four threads at
/// once, never overlap — the peak number of jobs in flight is 1. Deterministic: they all run on
/// the root's one thread, so no schedule can make them overlap.
#[test]
fn at_most_one_job_runs_across_the_hierarchy() {
    let root = SerialQueue::new("root");
    let a = SerialQueue::with_target("a", &root);
    let b = SerialQueue::with_target("b", &root);
    let a1 = SerialQueue::with_target("a1", &a);
    let gauge = Arc::new(Gauge::new());
    let submitters: Vec<_> = [root.clone(), a.clone(), b.clone(), a1.clone()]
        .into_iter()
        .map(|queue| {
            let gauge = gauge.clone();
            std::thread::spawn(move || {
                for _ in 0..25 {
                    let gauge = gauge.clone();
                    queue.dispatch_async(move || {
                        let _running = gauge.enter();
                        std::thread::yield_now();
                    });
                }
            })
        })
        .collect();
    for s in submitters {
        s.join().unwrap();
    }
    // Every queue's jobs were submitted before these syncs, and each sync drains through the root.
    for queue in [&a1, &a, &b, &root] {
        queue.sync(|| ()).unwrap();
    }
    assert_eq!(gauge.peak(), 1);
}

/// `is_current`: a child's job runs on the child and on its target; a target's job is not on the
/// child.
#[test]
fn a_childs_job_is_current_on_its_targets_too() {
    let root = SerialQueue::new("root");
    let child = SerialQueue::with_target("child", &root);
    let (r, c) = (root.clone(), child.clone());
    assert_eq!(
        child.sync(move || (c.is_current(), r.is_current())),
        Ok((true, true))
    );
    let c = child.clone();
    assert_eq!(root.sync(move || c.is_current()), Ok(false));
}

/// `sync` onto the target from a child's job would wait behind that very job: refused, naming the
/// queue the caller holds.
#[test]
fn sync_onto_the_target_from_a_childs_job_is_refused() {
    let root = SerialQueue::new("critical.queue");
    let child = SerialQueue::with_target("dependency.queue", &root);
    let r = root.clone();
    let inner = child.sync(move || r.sync(|| unreachable!("never enqueued")));
    assert_eq!(
        inner,
        Ok(Err(SyncError::WouldDeadlock {
            label: "critical.queue".into()
        }))
    );
}

/// The other way round, and sideways: `sync` onto a child from the target's job, or onto a sibling
/// from a child's job, would queue behind the caller on the one drain — refused too.
#[test]
fn sync_onto_a_child_or_sibling_from_the_hierarchy_is_refused() {
    let root = SerialQueue::new("root");
    let a = SerialQueue::with_target("a", &root);
    let b = SerialQueue::with_target("b", &root);
    let a2 = a.clone();
    let from_root = root.sync(move || a2.sync(|| unreachable!("never enqueued")));
    assert_eq!(
        from_root,
        Ok(Err(SyncError::WouldDeadlockOnTarget {
            label: "a".into(),
            target: "root".into()
        }))
    );
    let from_sibling = a.sync(move || b.sync(|| unreachable!("never enqueued")));
    let refusal = from_sibling.unwrap().unwrap_err();
    assert_eq!(
        refusal.to_string(),
        "sync onto b would deadlock: it drains through root, which the caller is running on"
    );
}

/// Outside the hierarchy nothing changes: a child's job may `sync` onto an unrelated queue, and
/// an unrelated queue's job onto the child.
#[test]
fn sync_across_unrelated_queues_still_works() {
    let root = SerialQueue::new("root");
    let child = SerialQueue::with_target("child", &root);
    let other = SerialQueue::new("other");
    let o = other.clone();
    assert_eq!(child.sync(move || o.sync(|| 1)), Ok(Ok(1)));
    let c = child.clone();
    assert_eq!(other.sync(move || c.sync(|| 2)), Ok(Ok(2)));
}
