//! The library's `ConcurrentQueue`: the barrier logic checked by loom on every interleaving, then
//! on real threads — the width bound (a gauge), jobs side by side (gates), `sync` returns the
//! value, the label signs the trace, the self-deadlock checks, panics and drop.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use racelab_dispatch::concurrent_queue::ConcurrentQueue;
use racelab_dispatch::serial_queue::{SerialQueue, SyncError};
use racelab_kit::explore::{Exploration, explore_bounded};
use racelab_kit::gauge::Gauge;
use racelab_kit::sync::{
    AtomicUsizeApi, CondvarApi, Loom, MutexApi, Ordering::Relaxed, Primitives,
};
use racelab_kit::trace::{Step, Trace};
use racelab_kit::wait::{self, GATE_TIMEOUT};
use racelab_kit::{say, step};

// ANCHOR: model
/// The barrier model: on a queue of width 2, `main` enqueues job A, a barrier B, and job C, then
/// waits until all three have ended. Every job logs when it starts and ends; the log must show B
/// starting after A ended, nothing else happening while B runs, and C starting after B ended.
fn barrier_model<P: Primitives>(honour_barriers: bool) {
    let queue = if honour_barriers {
        ConcurrentQueue::<P>::in_world("q", 2)
    } else {
        ConcurrentQueue::<P>::global_in_world("q", 2)
    };
    // The log is bookkeeping (a std lock, never held across a loom step); `ended` is a latch.
    let log = Arc::new(Mutex::new(Vec::new()));
    let ended = Arc::new((P::Mutex::new(0), P::Condvar::new()));
    let work = Arc::new(P::AtomicUsize::new(0));
    let job = |name: &'static str| {
        let (log, ended, work) = (log.clone(), ended.clone(), work.clone());
        move || {
            log.lock().unwrap().push(format!("{name} starts"));
            say!("{name} starts");
            work.fetch_add(1, Relaxed); // the job's work: a point where loom may switch threads
            log.lock().unwrap().push(format!("{name} ends"));
            say!("{name} ends");
            *ended.0.lock() += 1;
            ended.1.notify_one();
        }
    };
    queue.dispatch_async(job("A"));
    queue.barrier_async(job("B"));
    queue.dispatch_async(job("C"));
    let mut count = ended.0.lock();
    while *count < 3 {
        count = ended.1.wait(count);
    }
    drop(count);
    let events = log.lock().unwrap().clone();
    let at = |e: &str| events.iter().position(|x| x == e).unwrap();
    assert!(
        at("A ends") < at("B starts"),
        "B started before A ended: {events:?}"
    );
    assert!(
        at("B ends") == at("B starts") + 1,
        "B overlapped a job: {events:?}"
    );
    assert!(
        at("B ends") < at("C starts"),
        "C started before B ended: {events:?}"
    );
}
// ANCHOR_END: model

/// Bounded: main and two workers on one lock and condition variable are too many schedules to
/// search exhaustively in a test (an unbounded search ran for minutes). Two preemptions — loom's
/// recommended bound — try 1,379 schedules in a quarter of a second; three try 18,981 in about
/// 3 s (both pass; run it with 3 when you change the scheduler).
const PREEMPTIONS: usize = 2;

fn explore_barrier(honour_barriers: bool) -> Exploration {
    explore_bounded(PREEMPTIONS, move || barrier_model::<Loom>(honour_barriers))
}

/// loom, every interleaving with up to two preemptions: a barrier waits for the job before it,
/// runs alone, and holds back the job after it.
#[test]
fn a_barrier_runs_alone_between_the_jobs_around_it() {
    let search = explore_barrier(true);
    search.assert_holds();
    assert!(search.interleavings > 1_000, "{}", search.interleavings);
}

/// The same check has teeth: on a queue that ignores barriers (GCD's global queues), loom finds a
/// schedule where the "barrier" overlaps a job.
#[test]
fn a_global_queue_ignores_barriers_and_the_check_sees_it() {
    let search = explore_barrier(false);
    let failure = search.expect_failure();
    assert!(
        failure.message.starts_with("B overlapped a job"),
        "{}",
        failure.message
    );
}

/// Real threads: 200 jobs on a queue of width 3 never have more than 3 inside at once, and jobs
/// behind a barrier see it done. The gauge can only under-report a width bug; the bound itself is
/// structural (one job per worker), the loom model covers the barrier.
#[test]
fn the_width_bound_holds_and_barrier_sync_waits_for_everything_before_it() {
    let queue = ConcurrentQueue::new("q", 3);
    let gauge = Arc::new(Gauge::default());
    let done = Arc::new(AtomicUsize::new(0));
    for _ in 0..200 {
        let (gauge, done) = (gauge.clone(), done.clone());
        queue.dispatch_async(move || {
            let inside = gauge.enter();
            std::hint::black_box((0..100).sum::<u64>());
            drop(inside);
            done.fetch_add(1, Ordering::SeqCst);
        });
    }
    let seen = queue.barrier_sync({
        let done = done.clone();
        move || done.load(Ordering::SeqCst)
    });
    assert_eq!(seen, Ok(200));
    assert!(gauge.peak() <= 3);
}

/// Concurrent means side by side: job A waits until job B has started — which can only happen if
/// both run at once. (On a serial queue this would wait forever.)
#[test]
fn two_jobs_run_side_by_side() {
    let trace = Trace::new();
    let _installed = trace.install();
    const B_STARTS: Step = Step("B starts");
    const A_SEES_B: Step = Step("A sees B running");
    let queue = ConcurrentQueue::new("q", 2);
    let t = trace.clone();
    queue.dispatch_async(move || {
        say!("A starts");
        wait::until("B starts", || t.reached("q", B_STARTS, None));
        step!(A_SEES_B);
    });
    queue.dispatch_async(|| step!(B_STARTS));
    wait::until("A sees B running", || trace.reached("q", A_SEES_B, None));
}

/// `sync` returns the closure's value, runs it on a worker named after the label, and the
/// worker's lines are signed with the label.
#[test]
fn sync_returns_the_value_on_a_worker_named_after_the_label() {
    let trace = Trace::new();
    let _installed = trace.install();
    let queue = ConcurrentQueue::new("com.racelab.images", 2);
    assert_eq!(queue.sync(|| 6 * 7), Ok(42));
    assert_eq!(
        queue.sync(|| std::thread::current().name().map(String::from)),
        Ok(Some("com.racelab.images".into()))
    );
    queue.sync(|| say!("decodes an image")).unwrap();
    let last = trace.lines().pop().unwrap();
    assert_eq!(
        (last.actor.as_str(), last.text.as_str()),
        ("com.racelab.images", "decodes an image")
    );
    assert!(!queue.is_current());
}

/// Clones share the queue: a barrier through one clone waits for jobs sent through another.
#[test]
fn clones_share_the_queue() {
    let queue = ConcurrentQueue::new("q", 2);
    let other = queue.clone();
    let seen = Arc::new(Mutex::new(Vec::new()));
    for i in 0..10 {
        let seen = seen.clone();
        other.dispatch_async(move || seen.lock().unwrap().push(i));
    }
    let seen = queue.barrier_sync(move || seen.lock().unwrap().len());
    assert_eq!(seen, Ok(10));
}

/// From inside the queue's own barrier, `sync` and `barrier_sync` would wait for the barrier that
/// is waiting for them: both are refused at once.
#[test]
fn sync_from_inside_its_own_barrier_is_refused() {
    let queue = ConcurrentQueue::new("cache.queue", 2);
    let q = queue.clone();
    let inner = queue.barrier_sync(move || (q.sync(|| 1), q.barrier_sync(|| 2)));
    let refused = SyncError::WouldDeadlock {
        label: "cache.queue".into(),
    };
    assert_eq!(inner, Ok((Err(refused.clone()), Err(refused))));
}

/// From inside an ordinary job, `barrier_sync` would wait for that very job: refused. A plain
/// `sync` runs inline on the calling worker (it already holds a slot of the queue).
#[test]
fn barrier_sync_from_an_ordinary_job_is_refused_and_sync_runs_inline() {
    let queue = ConcurrentQueue::new("q", 1);
    let q = queue.clone();
    let inner = queue.sync(move || {
        let here = std::thread::current().id();
        (
            q.barrier_sync(|| ()),
            q.sync(move || std::thread::current().id() == here),
        )
    });
    assert_eq!(
        inner,
        Ok((
            Err(SyncError::WouldDeadlock { label: "q".into() }),
            Ok(true)
        ))
    );
}

/// The inline `sync` leaves the key as it found it: after it returns, the outer job still runs on
/// the queue, so a `barrier_sync` from it is still refused.
#[test]
fn an_inline_sync_keeps_the_outer_job_on_the_queue() {
    let queue = ConcurrentQueue::new("q", 1);
    let q = queue.clone();
    let inner = queue.sync(move || {
        let nested = q.sync(|| ());
        (nested, q.is_current(), q.barrier_sync(|| ()))
    });
    assert_eq!(
        inner,
        Ok((
            Ok(()),
            true,
            Err(SyncError::WouldDeadlock { label: "q".into() })
        ))
    );
}

/// A global queue has no barriers, so nothing is exclusive: a `sync` from one of its jobs runs
/// inline like on any concurrent queue, and a "barrier" job is an ordinary job.
#[test]
fn a_global_queue_runs_a_nested_sync_inline() {
    let global = ConcurrentQueue::global("g", 1);
    let (g1, g2) = (global.clone(), global.clone());
    assert_eq!(global.sync(move || g1.sync(|| 1)), Ok(Ok(1)));
    let (tx, rx) = std::sync::mpsc::channel();
    global.barrier_async(move || {
        let _ = tx.send(g2.sync(|| 2));
    });
    assert_eq!(rx.recv_timeout(GATE_TIMEOUT), Ok(Ok(2)));
}

/// A barrier enqueued while a job runs waits for that job; a `sync` from the job would queue
/// behind the barrier in GCD — a deadlock — so it is refused instead of running inline.
#[test]
fn sync_from_a_job_with_a_barrier_pending_is_refused() {
    let queue = ConcurrentQueue::new("q", 2);
    let (barrier_queued, queued) = std::sync::mpsc::channel::<()>();
    let (answer, answered) = std::sync::mpsc::channel();
    let q = queue.clone();
    queue.dispatch_async(move || {
        queued
            .recv_timeout(GATE_TIMEOUT)
            .expect("main queues the barrier");
        let _ = answer.send(q.sync(|| ()));
    });
    queue.barrier_async(|| ());
    barrier_queued.send(()).unwrap();
    assert_eq!(
        answered.recv_timeout(GATE_TIMEOUT),
        Ok(Err(SyncError::WouldDeadlock { label: "q".into() }))
    );
}

/// Through another queue: a barrier job on C syncs onto serial queue S, whose job syncs back onto
/// C — refused, because the S job runs on behalf of C's barrier.
#[test]
fn sync_back_into_a_barrier_through_a_serial_queue_is_refused() {
    let (c, s) = (ConcurrentQueue::new("C", 2), SerialQueue::new("S"));
    let inner = c.clone();
    let outcome = c.barrier_sync(move || s.sync(move || inner.sync(|| "ran")));
    assert_eq!(
        outcome,
        Ok(Ok(Err(SyncError::WouldDeadlock { label: "C".into() })))
    );
}

/// A job that panics does not take the queue down; its `sync` caller is told.
#[test]
fn a_panicking_job_is_reported_and_the_queue_carries_on() {
    let queue = ConcurrentQueue::new("q", 2);
    queue.dispatch_async(|| panic!("an async job fails"));
    assert_eq!(
        queue.barrier_sync(|| -> u8 { panic!("the barrier fails") }),
        Err(SyncError::JobPanicked { label: "q".into() })
    );
    assert_eq!(queue.sync(|| 1), Ok(1));
    assert_eq!(queue.barrier_sync(|| 2), Ok(2));
}

/// Dropping the last handle does not wait for a stuck job: the drop returns, and the jobs already
/// enqueued still run.
#[test]
fn drop_does_not_wait_for_a_stuck_job() {
    let trace = Trace::new();
    let _installed = trace.install();
    let queue = ConcurrentQueue::new("q", 1);
    let (release, stuck) = std::sync::mpsc::channel::<()>();
    queue.dispatch_async(move || {
        let _ = stuck.recv();
    });
    const RUNS_AFTER_THE_DROP: Step = Step("runs after the drop");
    queue.dispatch_async(|| step!(RUNS_AFTER_THE_DROP));
    drop(queue); // returns at once, though the worker is stuck
    release.send(()).unwrap();
    wait::until("the job after the drop runs", || {
        trace.reached("q", RUNS_AFTER_THE_DROP, None)
    });
}
