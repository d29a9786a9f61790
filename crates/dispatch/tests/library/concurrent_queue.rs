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

/// The label and the width are the ones given at creation; a job of the queue is on it.
#[test]
fn label_width_and_is_current_say_what_the_queue_is() {
    let queue = ConcurrentQueue::new("com.racelab.images", 3);
    assert_eq!((queue.label(), queue.width()), ("com.racelab.images", 3));
    let q = queue.clone();
    assert_eq!(queue.sync(move || q.is_current()), Ok(true));
    let q = queue.clone();
    assert_eq!(queue.barrier_sync(move || q.is_current()), Ok(true));
}

/// After a barrier, every worker is woken for the jobs behind it, so they run side by side again:
/// on a queue of width 2, job A (after barrier X) waits until job B has started. Under loom a worker
/// that nobody wakes sleeps for ever, and loom reports the deadlock (workers do not spin there).
fn side_by_side_after_a_barrier<P: Primitives>() {
    let queue = ConcurrentQueue::<P>::in_world("q", 2);
    // (B started, jobs ended), and the condition variable both are announced on.
    let state = Arc::new((P::Mutex::new((false, 0)), P::Condvar::new()));
    queue.barrier_async(|| ());
    let s = state.clone();
    queue.dispatch_async(move || {
        let mut seen = s.0.lock();
        while !seen.0 {
            seen = s.1.wait(seen); // A waits until B has started
        }
        seen.1 += 1;
        s.1.notify_all();
    });
    let s = state.clone();
    queue.dispatch_async(move || {
        let mut seen = s.0.lock();
        seen.0 = true;
        seen.1 += 1;
        s.1.notify_all();
    });
    let mut seen = state.0.lock();
    while seen.1 < 2 {
        seen = state.1.wait(seen);
    }
}

#[test]
fn jobs_behind_a_barrier_run_side_by_side_in_every_interleaving() {
    let search = explore_bounded(PREEMPTIONS, side_by_side_after_a_barrier::<Loom>);
    search.assert_holds();
    assert!(search.interleavings > 1, "{}", search.interleavings);
}

/// Starts `job` on `queue` — as a barrier or not — and returns once it runs, with the sender that
/// releases it: the job tells the test it has started, then waits for the test.
fn start_held(queue: &ConcurrentQueue, barrier: bool) -> std::sync::mpsc::Sender<()> {
    let (started, started_rx) = std::sync::mpsc::channel();
    let (release, wait) = std::sync::mpsc::channel::<()>();
    let job = move || {
        started.send(()).unwrap();
        wait.recv_timeout(GATE_TIMEOUT)
            .expect("the test releases the job");
    };
    if barrier {
        queue.barrier_async(job);
    } else {
        queue.dispatch_async(job);
    }
    started_rx
        .recv_timeout(GATE_TIMEOUT)
        .expect("the job starts");
    release
}

/// A barrier enqueued while a job runs says how many running jobs it waits for — an ordinary job,
/// or a barrier, counts one — while a barrier onto an idle queue, and an ordinary job behind a
/// running one, say nothing. One fresh queue per case, each running exactly what the case says.
#[test]
fn a_barrier_says_how_many_running_jobs_it_waits_for() {
    let trace = Trace::new();
    let _installed = trace.install();
    let idle = ConcurrentQueue::new("idle", 2);
    idle.barrier_async(|| ());
    let behind_a_job = ConcurrentQueue::new("behind-a-job", 2);
    let release_job = start_held(&behind_a_job, false);
    behind_a_job.barrier_async(|| ());
    behind_a_job.dispatch_async(|| ()); // queued behind the barrier: an ordinary job, no line
    let behind_a_barrier = ConcurrentQueue::new("behind-a-barrier", 2);
    let release_barrier = start_held(&behind_a_barrier, true);
    behind_a_barrier.barrier_async(|| ());
    release_job.send(()).unwrap();
    release_barrier.send(()).unwrap();
    let said: Vec<String> = trace
        .lines()
        .into_iter()
        .filter(|l| l.text.starts_with("queues a barrier"))
        .map(|l| l.text)
        .collect();
    assert_eq!(
        said,
        [
            "queues a barrier on behind-a-job: it waits for 1 running job(s)",
            "queues a barrier on behind-a-barrier: it waits for 1 running job(s)",
        ]
    );
}

/// Dropping the last handle closes the queue: the workers run the jobs already enqueued, then
/// their threads end (heard through a thread-local a job leaves on the worker that runs it).
#[test]
fn dropping_the_last_handle_ends_the_workers_after_their_jobs() {
    let queue = ConcurrentQueue::new("q", 1);
    let (arm, exited) = crate::thread_exit::exit_probe();
    let (ran, ran_rx) = std::sync::mpsc::channel();
    queue.dispatch_async(arm);
    queue.dispatch_async(move || ran.send("the last job").unwrap());
    drop(queue);
    assert_eq!(exited.recv_timeout(GATE_TIMEOUT), Ok(()));
    assert_eq!(ran_rx.try_recv(), Ok("the last job"));
}

/// A world for the wake-up tests: real threads and std's types, except a condition variable that
/// counts what happens to it — how many workers sleep on it right now, and how many wake-up calls
/// it received. Each queue built while a test has installed its counts reports to them.
mod counted {
    use std::cell::RefCell;
    use std::sync::{Arc, Condvar, Mutex, MutexGuard};
    use std::time::Instant;

    use racelab_kit::sync::{CondvarApi, JoinApi, Primitives};
    use racelab_kit::watchdog::GATE_TIMEOUT;

    /// What a queue's condition variable went through.
    #[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
    pub struct Calls {
        /// Workers blocked in `wait` right now.
        pub sleeping: usize,
        /// `notify_one` calls so far.
        pub notify_one: usize,
        /// `notify_all` calls so far.
        pub notify_all: usize,
        /// Returns from `wait` so far (woken on purpose or not).
        pub woken: usize,
    }

    /// The counts one test reads; shared by the condition variables built while it is installed.
    #[derive(Default)]
    pub struct Counts {
        calls: Mutex<Calls>,
        changed: Condvar,
        /// The condition variables reporting here, for [`Counts::wake_spuriously`].
        condvars: Mutex<Vec<Arc<Condvar>>>,
    }

    impl Counts {
        fn lock(&self) -> MutexGuard<'_, Calls> {
            self.calls.lock().unwrap_or_else(|p| p.into_inner())
        }
        fn change(&self, f: impl FnOnce(&mut Calls)) {
            f(&mut self.lock());
            self.changed.notify_all();
        }
        /// Wakes the sleepers without a wake-up call from the queue: the spurious wake-up a
        /// condition variable is allowed to deliver at any time. Repeated until one has woken —
        /// a sleeper counts itself in just before it blocks, so a single call could come too early.
        pub fn wake_spuriously(&self) {
            let before = self.now().woken;
            let deadline = Instant::now() + GATE_TIMEOUT;
            while self.now().woken == before {
                assert!(Instant::now() < deadline, "no sleeper woke");
                for condvar in self.condvars.lock().unwrap().iter() {
                    condvar.notify_all();
                }
                std::thread::yield_now();
            }
        }
        /// The counts now.
        pub fn now(&self) -> Calls {
            *self.lock()
        }
        /// Waits until `ready` holds of the counts (bounded by the gate timeout).
        pub fn until(&self, what: &str, ready: impl Fn(&Calls) -> bool) -> Calls {
            let deadline = Instant::now() + GATE_TIMEOUT;
            let mut calls = self.lock();
            while !ready(&calls) {
                let left = deadline.saturating_duration_since(Instant::now());
                assert!(
                    !left.is_zero(),
                    "gave up waiting until {what}: {:?}",
                    *calls
                );
                calls = self.changed.wait_timeout(calls, left).unwrap().0;
            }
            *calls
        }
    }

    thread_local! {
        static INSTALLED: RefCell<Option<Arc<Counts>>> = const { RefCell::new(None) };
    }

    /// Counts for the queues this thread builds from now on.
    pub fn install() -> Arc<Counts> {
        let counts = Arc::new(Counts::default());
        INSTALLED.with(|i| *i.borrow_mut() = Some(counts.clone()));
        counts
    }

    pub struct Counted;

    pub struct CountedCondvar {
        inner: Arc<Condvar>,
        counts: Arc<Counts>,
    }

    impl CondvarApi<Counted> for CountedCondvar {
        fn new() -> Self {
            let counts = INSTALLED
                .with(|i| i.borrow().clone())
                .expect("counts installed");
            let inner = Arc::new(Condvar::new());
            counts.condvars.lock().unwrap().push(inner.clone());
            CountedCondvar { inner, counts }
        }
        fn wait<'a, T: Send + 'a>(&self, guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
            self.counts.change(|c| c.sleeping += 1); // under the queue's lock: it has looked
            let guard = self.inner.wait(guard).unwrap_or_else(|p| p.into_inner());
            self.counts.change(|c| {
                c.sleeping -= 1;
                c.woken += 1;
            });
            guard
        }
        fn notify_one(&self) {
            self.counts.change(|c| c.notify_one += 1);
            self.inner.notify_one()
        }
        fn notify_all(&self) {
            self.counts.change(|c| c.notify_all += 1);
            self.inner.notify_all()
        }
    }

    pub struct CountedJoin<T>(std::thread::JoinHandle<T>);

    impl<T> JoinApi<T> for CountedJoin<T> {
        fn join(self) -> T {
            self.0
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p))
        }
    }

    impl Primitives for Counted {
        const WORLD: &'static str = "real threads, counted condition variable";
        const IS_MODEL: bool = false;
        type AtomicUsize = std::sync::atomic::AtomicUsize;
        type AtomicBool = std::sync::atomic::AtomicBool;
        type Mutex<T: Send> = std::sync::Mutex<T>;
        type RwLock<T: Send + Sync> = std::sync::RwLock<T>;
        type Condvar = CountedCondvar;
        type JoinHandle<T> = CountedJoin<T>;

        fn spawn<T, F>(name: &str, f: F) -> CountedJoin<T>
        where
            F: FnOnce() -> T + Send + 'static,
            T: Send + 'static,
        {
            let thread = std::thread::Builder::new().name(name.to_string());
            CountedJoin(thread.spawn(f).expect("spawn a thread"))
        }
    }
}

/// Starts a job that tells the test it runs and then waits for the test; returns its release.
fn hold<P: Primitives>(queue: &ConcurrentQueue<P>, barrier: bool) -> std::sync::mpsc::Sender<()> {
    let (started, started_rx) = std::sync::mpsc::channel();
    let (release, wait) = std::sync::mpsc::channel::<()>();
    let job = move || {
        started.send(()).unwrap();
        wait.recv_timeout(GATE_TIMEOUT)
            .expect("the test releases the job");
    };
    if barrier {
        queue.barrier_async(job);
    } else {
        queue.dispatch_async(job);
    }
    started_rx
        .recv_timeout(GATE_TIMEOUT)
        .expect("the job starts");
    release
}

/// Waits until `n` jobs have reported on `rx` (a channel: the waiting makes no wake-up call).
fn ran(rx: &std::sync::mpsc::Receiver<usize>, n: usize) {
    for _ in 0..n {
        rx.recv_timeout(GATE_TIMEOUT).expect("the jobs run");
    }
}

/// Idle workers go to sleep: after yielding a few times they block on the queue's condition
/// variable, instead of spinning for as long as the queue lives.
#[test]
fn idle_workers_go_to_sleep() {
    let counts = counted::install();
    let _queue = ConcurrentQueue::<counted::Counted>::in_world("q", 2);
    counts.until("both workers sleep", |c| c.sleeping == 2);
}

/// No wake-up call goes to a worker that is not asleep. With both workers busy (held jobs), a
/// burst of jobs makes no wake-up call at all — neither the enqueues nor the workers taking the
/// jobs afterwards; a barrier onto a sleeping queue wakes one worker, and neither that worker nor a
/// job enqueued behind the running barrier wakes the other (nothing else can start); and on
/// a queue of width 1 the end of a barrier wakes nobody either (its only worker is the one that
/// ran it). The bookkeeping behind this (`idle`, `waking`) exists only to save those calls.
#[test]
fn no_wake_up_call_goes_to_a_worker_that_is_not_asleep() {
    let counts = counted::install();
    let queue = ConcurrentQueue::<counted::Counted>::in_world("q", 2);
    counts.until("both workers sleep", |c| c.sleeping == 2);
    let release_a = hold(&queue, false);
    let release_b = hold(&queue, false);
    let before = counts.until("both workers run", |c| c.sleeping == 0);
    let (done, done_rx) = std::sync::mpsc::channel();
    for i in 0..10 {
        let done = done.clone();
        queue.dispatch_async(move || done.send(i).unwrap());
    }
    release_a.send(()).unwrap();
    release_b.send(()).unwrap();
    ran(&done_rx, 10);
    assert_eq!(
        (counts.now().notify_one, counts.now().notify_all),
        (before.notify_one, before.notify_all),
        "a wake-up call while both workers were busy"
    );

    let asleep = counts.until("both workers sleep again", |c| c.sleeping == 2);
    let release_barrier = hold(&queue, true);
    let done = done.clone();
    queue.dispatch_async(move || done.send(0).unwrap()); // behind the barrier: cannot start
    assert_eq!(
        (counts.now().notify_one, counts.now().notify_all),
        (asleep.notify_one + 1, asleep.notify_all),
        "only the barrier's own worker may be woken while the barrier runs"
    );
    release_barrier.send(()).unwrap();
    ran(&done_rx, 1);

    let counts = counted::install();
    let narrow = ConcurrentQueue::<counted::Counted>::in_world("narrow", 1);
    counts.until("its worker sleeps", |c| c.sleeping == 1);
    let release_barrier = hold(&narrow, true);
    let (done, done_rx) = std::sync::mpsc::channel();
    narrow.dispatch_async(move || done.send(0).unwrap()); // behind the barrier
    let before = counts.now();
    release_barrier.send(()).unwrap();
    ran(&done_rx, 1);
    assert_eq!(
        counts.now().notify_all,
        before.notify_all,
        "the end of a barrier woke a worker that was not asleep"
    );
}

/// A worker woken without a wake-up call — spuriously, as a condition variable may — counts itself
/// as asleep again when it goes back to sleep, and as awake when it is woken on purpose: so later,
/// with the worker busy, a burst of jobs still makes no wake-up call. (Miscounted, the queue
/// would believe a sleeper is there and call it for every job.) The spurious wake-up comes both
/// before and after a wake-up on purpose.
#[test]
fn a_spurious_wake_up_does_not_confuse_the_count_of_sleepers() {
    let counts = counted::install();
    let queue = ConcurrentQueue::<counted::Counted>::in_world("q", 1);
    let (done, done_rx) = std::sync::mpsc::channel();
    for round in 0..2 {
        let before = counts.until("the worker sleeps", |c| c.sleeping == 1);
        counts.wake_spuriously();
        counts.until("the worker woke and sleeps again", |c| {
            c.woken > before.woken && c.sleeping == 1
        });
        let release = hold(&queue, false); // a wake-up on purpose
        let before = counts.now();
        for _ in 0..5 {
            let done = done.clone();
            queue.dispatch_async(move || done.send(round).unwrap());
        }
        release.send(()).unwrap();
        ran(&done_rx, 5);
        assert_eq!(
            (counts.now().notify_one, counts.now().notify_all),
            (before.notify_one, before.notify_all),
            "round {round}: a wake-up call while the only worker was busy"
        );
    }
}
