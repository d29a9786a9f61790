//! The library's `PriorityQueue`: one worker, highest priority first, FIFO within a priority,
//! numbered steps; strict or aging policy. Every test of the order submits before activating, so the
//! order is the policy's alone. Then `wait_idle` around a running job and the end of the worker
//! when the last handle goes (held jobs and channels, no sleeps).

use std::sync::{Arc, Mutex, mpsc};
use std::time::Duration;

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

/// Aging counts the steps a job has waited *since it was submitted*, not since the queue started:
/// a low job that the third job of a high stream submits also runs after waiting exactly
/// 2 × every steps, and its log entry says so.
#[test]
fn aging_counts_the_steps_since_the_job_was_submitted() {
    fn stream(queue: &PriorityQueue, i: usize) {
        let next = queue.clone();
        queue.dispatch_async(Priority::High, format!("high {i}"), move || {
            if i < 12 {
                stream(&next, i + 1)
            }
            if i == 3 {
                next.dispatch_async(Priority::Low, "late low", || ());
            }
        });
    }
    for every in [1, 2] {
        let queue = PriorityQueue::inactive("q", Policy::Aging { every });
        stream(&queue, 1);
        let ran = drained(&queue);
        let low = ran.iter().find(|r| r.name == "late low").unwrap();
        assert_eq!(
            (low.step, low.waited),
            (3 + 2 * every + 1, 2 * every),
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

/// The label is the name given at creation.
#[test]
fn the_label_is_the_name_given_at_creation() {
    assert_eq!(
        PriorityQueue::new("work.queue", Policy::Strict).label(),
        "work.queue"
    );
}

/// `wait_idle` is false while a job runs — even with nothing else waiting — and waits for it to
/// end. The job is held by a channel: main looks while it is held, then a helper thread releases it
/// right before main waits.
#[test]
fn wait_idle_waits_for_the_running_job() {
    let queue = PriorityQueue::new("q", Policy::Strict);
    let (started, started_rx) = mpsc::channel();
    let (release, held) = mpsc::channel::<()>();
    queue.dispatch_async(Priority::Normal, "held", move || {
        started.send(()).unwrap();
        held.recv_timeout(GATE_TIMEOUT)
            .expect("the test releases the job");
    });
    started_rx
        .recv_timeout(GATE_TIMEOUT)
        .expect("the job starts");
    assert!(!queue.wait_idle(Duration::ZERO), "idle while a job runs");
    let (go, gate) = mpsc::channel::<()>();
    let releaser = std::thread::spawn(move || {
        gate.recv_timeout(GATE_TIMEOUT)
            .expect("main opens the gate");
        release.send(()).unwrap();
    });
    go.send(()).unwrap();
    assert!(queue.wait_idle(GATE_TIMEOUT));
    releaser.join().unwrap();
}

/// Dropping the last handle of an active queue: the worker runs what is queued, then its thread
/// ends (heard through a thread-local the first job leaves on it).
#[test]
fn dropping_the_last_handle_ends_the_worker_after_its_jobs() {
    let queue = PriorityQueue::inactive("q", Policy::Strict);
    let (arm, exited) = crate::thread_exit::exit_probe();
    let (ran, ran_rx) = mpsc::channel();
    queue.dispatch_async(Priority::High, "arm", arm);
    queue.dispatch_async(Priority::Low, "last", move || ran.send("last").unwrap());
    queue.activate();
    drop(queue);
    assert_eq!(exited.recv_timeout(GATE_TIMEOUT), Ok(()));
    assert_eq!(ran_rx.try_recv(), Ok("last"));
}

/// Dropping the last handle of a queue that was never activated: its jobs never run, and the worker
/// ends anyway. The queued job is dropped unrun when the worker — the last owner of the queue's
/// state — ends, so its channel reports the sender gone (and nothing sent).
#[test]
fn dropping_an_inactive_queue_runs_nothing_and_ends_the_worker() {
    let queue = PriorityQueue::inactive("q", Policy::Strict);
    let (ran, ran_rx) = mpsc::channel::<&str>();
    queue.dispatch_async(Priority::High, "never", move || ran.send("ran").unwrap());
    drop(queue);
    assert_eq!(
        ran_rx.recv_timeout(GATE_TIMEOUT),
        Err(mpsc::RecvTimeoutError::Disconnected),
        "the job must be dropped unrun once the queue is gone"
    );
}
