//! The library's `PriorityQueue`: one worker, highest priority first, FIFO within a priority,
//! numbered steps; strict or aging policy. Every test submits before activating, so the order is
//! the policy's alone.

use std::sync::{Arc, Mutex};

use racelab_dispatch::priority_queue::{Policy, Priority, PriorityQueue, Ran};
use racelab_kit::trace::{Trace, said};
use racelab_kit::watchdog::GATE_TIMEOUT;

fn names(ran: &[Ran]) -> Vec<&str> {
    ran.iter().map(|r| r.name.as_str()).collect()
}

fn drained(queue: &PriorityQueue) -> Vec<Ran> {
    queue.activate();
    assert!(queue.wait_idle(GATE_TIMEOUT));
    queue.ran()
}

/// Highest priority first; within a priority, first come first served.
#[test]
fn strict_runs_high_first_and_fifo_within_a_priority() {
    let queue = PriorityQueue::inactive("q", Policy::Strict);
    for (p, name) in [
        (Priority::Low, "low 1"),
        (Priority::High, "high 1"),
        (Priority::Normal, "normal 1"),
        (Priority::High, "high 2"),
        (Priority::Low, "low 2"),
    ] {
        queue.dispatch_async(p, name, || ());
    }
    let ran = drained(&queue);
    assert_eq!(
        names(&ran),
        ["high 1", "high 2", "normal 1", "low 1", "low 2"]
    );
    assert_eq!(ran[3].step, 4);
    assert_eq!(ran[3].waited, 3);
}

/// An inactive queue runs nothing until activated (GCD's `.initiallyInactive`).
#[test]
fn an_inactive_queue_holds_its_jobs() {
    let queue = PriorityQueue::inactive("q", Policy::Strict);
    queue.dispatch_async(Priority::High, "job", || ());
    assert!(!queue.wait_idle(std::time::Duration::from_millis(20)));
    assert!(queue.ran().is_empty());
    assert_eq!(names(&drained(&queue)), ["job"]);
}

/// Aging: a low job gains a level per `every` steps waited, and wins ties by age — here, against
/// a stream of high jobs each submitting the next, it runs after waiting exactly 2 × every steps.
#[test]
fn aging_lifts_a_waiting_job_to_the_top_in_bounded_steps() {
    fn stream(queue: &PriorityQueue, i: usize) {
        let next = queue.clone();
        queue.dispatch_async(Priority::High, format!("high {i}"), move || {
            if i < 10 {
                stream(&next, i + 1)
            }
        });
    }
    for every in [1, 2, 4] {
        let queue = PriorityQueue::inactive("q", Policy::Aging { every });
        stream(&queue, 1);
        queue.dispatch_async(Priority::Low, "low", || ());
        let ran = drained(&queue);
        let low = ran.iter().find(|r| r.name == "low").unwrap();
        assert_eq!(
            (low.step, low.waited),
            (2 * every + 1, 2 * every),
            "every = {every}"
        );
    }
}

/// The worker thread is named after the label, and narrates each step under it.
#[test]
fn steps_are_narrated_under_the_label() {
    let trace = Trace::new();
    let _installed = trace.install();
    let queue = PriorityQueue::inactive("work.queue", Policy::Strict);
    let thread = Arc::new(Mutex::new(None));
    let t = thread.clone();
    queue.dispatch_async(Priority::Normal, "job", move || {
        *t.lock().unwrap() = std::thread::current().name().map(String::from)
    });
    drained(&queue);
    assert_eq!(thread.lock().unwrap().as_deref(), Some("work.queue"));
    let said: Vec<String> = said(trace.lines());
    assert_eq!(
        said,
        ["work.queue: step 1: runs job (normal; waited 0 steps)"]
    );
}

/// A panicking job does not take the worker down.
#[test]
fn a_panicking_job_does_not_stop_the_queue() {
    let queue = PriorityQueue::inactive("q", Policy::Strict);
    queue.dispatch_async(Priority::High, "fails", || panic!("the job fails"));
    queue.dispatch_async(Priority::Low, "after", || ());
    assert_eq!(names(&drained(&queue)), ["fails", "after"]);
}
