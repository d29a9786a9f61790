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

/// The label is the name given at creation, for a queue with a thread and for one with a target.
#[test]
fn the_label_is_the_name_given_at_creation() {
    let root = SerialQueue::new("com.racelab.root");
    let child = SerialQueue::with_target("com.racelab.child", &root);
    assert_eq!(
        (root.label(), child.label()),
        ("com.racelab.root", "com.racelab.child")
    );
}

/// A `sync` job runs on behalf of its caller's queues only while it runs. Here a job of A syncs
/// onto B (B's worker then holds A too); afterwards B's worker holds only B again, so a job of B
/// may sync onto A, and is not on A.
#[test]
fn a_sync_job_holds_its_callers_queues_only_while_it_runs() {
    let (a, b) = (SerialQueue::new("A"), SerialQueue::new("B"));
    let (a2, b2) = (a.clone(), b.clone());
    assert_eq!(
        a.sync(move || b2.sync(move || a2.is_current())),
        Ok(Ok(true))
    );
    let a3 = a.clone();
    assert_eq!(b.sync(move || a3.is_current()), Ok(false));
    let a4 = a.clone();
    assert_eq!(b.sync(move || a4.sync(|| "ran")), Ok(Ok("ran")));
}

/// Dropping the last handle closes the queue: the worker runs the jobs already enqueued, then its
/// thread ends (heard through a thread-local the first job leaves on it).
#[test]
fn dropping_the_last_handle_ends_the_worker_after_its_jobs() {
    let queue = SerialQueue::new("q");
    let (arm, exited) = crate::thread_exit::exit_probe();
    let (ran, ran_rx) = std::sync::mpsc::channel();
    queue.dispatch_async(arm);
    queue.dispatch_async(move || ran.send("the last job").unwrap());
    drop(queue);
    assert_eq!(
        exited.recv_timeout(racelab_kit::watchdog::GATE_TIMEOUT),
        Ok(())
    );
    assert_eq!(ran_rx.try_recv(), Ok("the last job"));
}
