//! The library core, `SerialQueue`: FIFO order, `sync` returns the closure's value, the label signs
//! the trace, and the self-deadlock check — directly and through another queue.

use std::sync::{Arc, Mutex};

use racelab_dispatch::serial_queue::{SerialQueue, SyncError};
use racelab_kit::say;
use racelab_kit::trace::Trace;

/// `sync` from a thread that is not the queue's runs the closure on the queue and returns its
/// value.
#[test]
fn sync_from_another_thread_returns_the_value() {
    let queue = SerialQueue::new("q");
    assert_eq!(queue.sync(|| 6 * 7), Ok(42));
    assert!(!queue.is_current());
    assert_eq!(
        queue.sync(|| std::thread::current().name().map(String::from)),
        Ok(Some("q".into()))
    );
}

/// Jobs run one at a time in the order they were enqueued: the final `sync` comes last, so it sees
/// every async job done, in order. Deterministic: a serial queue has one order only.
#[test]
fn async_jobs_run_in_fifo_order() {
    let queue = SerialQueue::new("q");
    let seen = Arc::new(Mutex::new(Vec::new()));
    for i in 0..100 {
        let seen = seen.clone();
        queue.dispatch_async(move || seen.lock().unwrap().push(i));
    }
    let seen_at_sync = queue.sync({
        let seen = seen.clone();
        move || seen.lock().unwrap().clone()
    });
    assert_eq!(seen_at_sync, Ok((0..100).collect::<Vec<_>>()));
}

/// The worker thread is named after the label, so a job's `say!` lines are signed with it.
#[test]
fn jobs_narrate_under_the_queue_label() {
    let trace = Trace::new();
    let _installed = trace.install();
    let queue = SerialQueue::new("com.racelab.cache");
    // `sync`, not `dispatch_async`: the caller's "waits" line then comes first on every run.
    queue.sync(|| say!("stores an entry")).unwrap();
    let said: Vec<(String, String)> = trace
        .lines()
        .into_iter()
        .map(|l| (l.actor, l.text))
        .collect();
    assert_eq!(
        said,
        [
            (
                "main".into(),
                "waits for com.racelab.cache to run its sync job".into()
            ),
            ("com.racelab.cache".into(), "stores an entry".into()),
        ]
    );
}

/// `is_current` is true inside a job and false outside it (the queue-specific key).
#[test]
fn is_current_only_inside_the_queue() {
    let queue = SerialQueue::new("q");
    let q = queue.clone();
    assert_eq!(queue.sync(move || q.is_current()), Ok(true));
    assert!(!queue.is_current());
}

/// `A.sync { B.sync { A.sync { } } }`: the innermost call runs on B's thread, but on behalf of a
/// caller that holds A — it is refused too. A single "current queue" id would miss it.
#[test]
fn sync_back_onto_a_queue_through_another_is_refused() {
    let (a, b) = (SerialQueue::new("A"), SerialQueue::new("B"));
    let inner = a.clone();
    let outcome = a.sync(move || b.sync(move || inner.sync(|| "ran")));
    assert_eq!(
        outcome,
        Ok(Ok(Err(SyncError::WouldDeadlock { label: "A".into() })))
    );
}

/// A job that panics does not take the queue down; its `sync` caller is told.
#[test]
fn a_panicking_job_is_reported_and_the_queue_carries_on() {
    let queue = SerialQueue::new("q");
    assert_eq!(
        queue.sync(|| -> u8 { panic!("the job fails") }),
        Err(SyncError::JobPanicked { label: "q".into() })
    );
    assert_eq!(queue.sync(|| 1), Ok(1));
}
