//! The library's `DispatchGroup`: the counter logic under loom (notify fires once, after the last
//! leave; `wait` returns only when every job has left), then the real-thread API — the count, notify when already
//! empty, `notify_on` a queue, `wait_timeout`, `dispatch_async` onto each kind of queue (the job
//! runs, and the group counts it until it ends, also when it panics), and the unbalanced leave.
//! Jobs are held with channels the test releases, never with sleeps.

use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, mpsc};
use std::time::Duration;

use racelab_dispatch::concurrent_queue::ConcurrentQueue;
use racelab_dispatch::group::{Dispatch, DispatchGroup, TimedOut, UNBALANCED_LEAVE};
use racelab_dispatch::serial_queue::SerialQueue;
use racelab_kit::explore::explore;
use racelab_kit::sync::{AtomicUsizeApi, JoinApi, Loom, Primitives};
use racelab_kit::watchdog::GATE_TIMEOUT;

/// Two jobs entered by `main`, each leaving on its own thread, and a `notify` registered while
/// they run: in every interleaving the notification fires exactly once, and only after both
/// jobs have done their work.
fn notify_fires_once_after_both<P: Primitives>() {
    let group = DispatchGroup::<P>::new_in();
    let done = Arc::new(P::AtomicUsize::new(0));
    let fired = Arc::new(P::AtomicUsize::new(0));
    group.enter();
    group.enter();
    let workers: Vec<_> = ["T0", "T1"]
        .into_iter()
        .map(|name| {
            let (group, done) = (group.clone(), done.clone());
            P::spawn(name, move || {
                done.fetch_add(1, SeqCst);
                group.leave();
            })
        })
        .collect();
    let (d, f) = (done.clone(), fired.clone());
    group.notify(move || {
        assert_eq!(d.load(SeqCst), 2, "notify fired before both jobs were done");
        f.fetch_add(1, SeqCst);
    });
    workers.into_iter().for_each(JoinApi::join);
    assert_eq!(fired.load(SeqCst), 1, "notify must fire exactly once");
}

#[test]
fn notify_fires_once_after_the_last_leave_in_every_interleaving() {
    let search = explore(notify_fires_once_after_both::<Loom>);
    search.assert_holds();
    assert!(search.interleavings > 1, "{}", search.interleavings);
}

/// `wait` returns only once both jobs have left, in every interleaving (and loom would report a
/// lost wake-up as a deadlock).
fn wait_sees_both_done<P: Primitives>() {
    let group = DispatchGroup::<P>::new_in();
    let done = Arc::new(P::AtomicUsize::new(0));
    let workers: Vec<_> = ["T0", "T1"]
        .into_iter()
        .map(|name| {
            let entered = group.enter_guard();
            let done = done.clone();
            P::spawn(name, move || {
                done.fetch_add(1, SeqCst);
                drop(entered); // leaves
            })
        })
        .collect();
    group.wait();
    assert_eq!(done.load(SeqCst), 2, "wait returned before both jobs left");
    workers.into_iter().for_each(JoinApi::join);
}

#[test]
fn wait_returns_only_after_every_leave_in_every_interleaving() {
    explore(wait_sees_both_done::<Loom>).assert_holds();
}

/// The same two models on real threads (they are the same code).
#[test]
fn the_models_hold_on_real_threads() {
    notify_fires_once_after_both::<racelab_kit::sync::Std>();
    wait_sees_both_done::<racelab_kit::sync::Std>();
}

/// A group that is empty already notifies at once, on the caller's thread.
#[test]
fn notify_on_an_empty_group_runs_at_once() {
    let group: DispatchGroup = DispatchGroup::new();
    let fired = Arc::new(AtomicUsize::new(0));
    let f = fired.clone();
    group.notify(move || {
        f.fetch_add(1, SeqCst);
    });
    assert_eq!(fired.load(SeqCst), 1);
}

/// `notify_on` runs the notification on the queue, not on the thread that left last; and the
/// group can be used again after it drained.
#[test]
fn notify_on_a_queue_runs_there_and_the_group_is_reusable() {
    let group: DispatchGroup = DispatchGroup::new();
    let main_queue = SerialQueue::new("main-queue");
    for round in 0..2 {
        let (tx, rx) = std::sync::mpsc::channel();
        group.enter();
        group.notify_on(&main_queue, move || {
            let _ = tx.send(std::thread::current().name().map(String::from));
        });
        assert!(rx.try_recv().is_err(), "round {round}: fired before leave");
        group.leave();
        assert_eq!(rx.recv_timeout(GATE_TIMEOUT), Ok(Some("main-queue".into())));
    }
}

/// `queue.async(group:)`: the group is left when the job ends, also when it panics.
#[test]
fn dispatch_async_leaves_even_when_the_job_panics() {
    let group: DispatchGroup = DispatchGroup::new();
    let queue = SerialQueue::new("q");
    group.dispatch_async(&queue, || panic!("the job fails"));
    group.dispatch_async(&queue, || ());
    assert_eq!(group.wait_timeout(GATE_TIMEOUT), Ok(()));
    assert_eq!(group.count(), 0);
}

/// `wait_timeout` gives up on a group that never drains, and says so. (The timeout is the thing
/// under test here; nothing is ordered by it.)
#[test]
fn wait_timeout_reports_timed_out() {
    let group: DispatchGroup = DispatchGroup::new();
    group.enter();
    assert_eq!(group.wait_timeout(Duration::from_millis(20)), Err(TimedOut));
    group.leave();
    assert_eq!(group.wait_timeout(Duration::ZERO), Ok(()));
}

/// A `leave` without an `enter` is a bug in the caller, and the group says so loudly.
#[test]
#[should_panic(expected = "unbalanced leave")]
fn unbalanced_leave_panics_with_a_clear_message() {
    assert!(UNBALANCED_LEAVE.contains("unbalanced leave"));
    let group: DispatchGroup = DispatchGroup::new();
    group.enter();
    group.leave();
    group.leave();
}

/// The count is the number of jobs entered and not yet left; a clone shares it, and a
/// default-made group starts empty.
#[test]
fn count_is_the_jobs_in_flight_and_clones_share_it() {
    let group: DispatchGroup = DispatchGroup::default();
    assert_eq!(group.count(), 0);
    let clone = group.clone();
    clone.enter();
    group.enter();
    assert_eq!((group.count(), clone.count()), (2, 2));
    let guard = clone.enter_guard();
    assert_eq!(group.count(), 3);
    drop(guard);
    group.leave();
    assert_eq!(clone.count(), 1);
    clone.leave();
    assert_eq!(group.count(), 0);
}

/// Every `notify` registered before the drain fires then, each once, in the order registered — and
/// not at a `leave` that leaves jobs behind.
#[test]
fn every_pending_notify_fires_once_at_the_drain() {
    let group: DispatchGroup = DispatchGroup::new();
    let fired = Arc::new(std::sync::Mutex::new(Vec::new()));
    group.enter();
    group.enter();
    for name in ["first", "second"] {
        let fired = fired.clone();
        group.notify(move || fired.lock().unwrap().push(name));
    }
    group.leave();
    assert!(fired.lock().unwrap().is_empty(), "fired with a job left");
    group.leave();
    assert_eq!(*fired.lock().unwrap(), ["first", "second"]);
    group.enter();
    group.leave();
    assert_eq!(fired.lock().unwrap().len(), 2, "a notify fires once only");
}

/// `notify_on` with nothing in flight sends the closure to the queue at once.
#[test]
fn notify_on_an_empty_group_sends_to_the_queue_at_once() {
    let group: DispatchGroup = DispatchGroup::new();
    let queue = SerialQueue::new("notified");
    let (tx, rx) = mpsc::channel();
    group.notify_on(&queue, move || {
        let _ = tx.send(std::thread::current().name().map(String::from));
    });
    assert_eq!(rx.recv_timeout(GATE_TIMEOUT), Ok(Some("notified".into())));
}

/// `queue.async(group:)` onto `queue`: the job runs there, the group counts it until it ends, and
/// `wait` returns only after it has run. The job is held by a channel while the test looks.
fn dispatch_async_runs_the_job_and_counts_it<Q: Dispatch>(queue: &Q) {
    let group: DispatchGroup = DispatchGroup::new();
    let (release, held) = mpsc::channel::<()>();
    let (ran, ran_rx) = mpsc::channel();
    group.dispatch_async(queue, move || {
        held.recv_timeout(GATE_TIMEOUT)
            .expect("the test releases the job");
        ran.send("ran").unwrap();
    });
    assert_eq!(group.count(), 1, "the job is in flight");
    assert_eq!(group.wait_timeout(Duration::ZERO), Err(TimedOut));
    release.send(()).unwrap();
    group.wait();
    assert_eq!(
        ran_rx.try_recv(),
        Ok("ran"),
        "wait returned before the job ran"
    );
    assert_eq!(group.count(), 0);
}

#[test]
fn dispatch_async_onto_a_serial_queue_runs_the_job_and_waits_for_it() {
    dispatch_async_runs_the_job_and_counts_it(&SerialQueue::new("q"));
}

#[test]
fn dispatch_async_onto_a_concurrent_queue_runs_the_job_and_waits_for_it() {
    dispatch_async_runs_the_job_and_counts_it(&ConcurrentQueue::new("q", 2));
}

fn rayon_pool(threads: usize) -> Arc<rayon::ThreadPool> {
    Arc::new(
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap(),
    )
}

#[test]
fn dispatch_async_onto_a_rayon_pool_runs_the_job_and_waits_for_it() {
    dispatch_async_runs_the_job_and_counts_it(&rayon_pool(2));
}

/// A job that panics on a rayon pool stays the job's: the group is left, and the pool (and the
/// process) carry on.
#[test]
fn a_panicking_job_on_a_rayon_pool_leaves_the_group() {
    let group: DispatchGroup = DispatchGroup::new();
    let pool = rayon_pool(1);
    group.dispatch_async(&pool, || panic!("the job fails"));
    group.wait();
    dispatch_async_runs_the_job_and_counts_it(&pool);
}

/// `width` is how many of a queue's jobs may run at once: 1 for a serial queue, the width of a
/// concurrent queue, the thread count of a rayon pool.
#[test]
fn dispatch_width_is_how_many_jobs_may_run_at_once() {
    assert_eq!(Dispatch::width(&SerialQueue::new("q")), 1);
    assert_eq!(Dispatch::width(&ConcurrentQueue::new("q", 3)), 3);
    assert_eq!(Dispatch::width(&rayon_pool(2)), 2);
}

/// `wait_timeout` waits for a leave that comes while it waits: a thread leaves once main has
/// released it, right before main starts waiting — well inside the (generous) timeout.
#[test]
fn wait_timeout_returns_ok_when_the_group_drains_in_time() {
    let group: DispatchGroup = DispatchGroup::new();
    group.enter();
    let (go, gate) = mpsc::channel::<()>();
    let g = group.clone();
    let leaver = std::thread::spawn(move || {
        gate.recv_timeout(GATE_TIMEOUT)
            .expect("main opens the gate");
        g.leave();
    });
    go.send(()).unwrap();
    assert_eq!(group.wait_timeout(GATE_TIMEOUT), Ok(()));
    leaver.join().unwrap();
    assert_eq!(group.count(), 0);
}
