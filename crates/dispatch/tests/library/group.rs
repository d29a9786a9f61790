//! The library's `DispatchGroup`: the counter logic under loom (notify fires once, after the last
//! leave; `wait` returns only when every job has left), then the real-thread API — notify when
//! already empty, `notify_on` a queue, `wait_timeout`, leave-on-panic, and the unbalanced leave.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::time::Duration;

use racelab_dispatch::group::{DispatchGroup, TimedOut, UNBALANCED_LEAVE};
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
