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

/// A world for one test: real threads and std's types, except that its condition variable lets the
/// test see a waiter fall asleep, and hold a woken waiter back before it takes the lock again — so
/// the test can put work into the group between the wake-up and the waiter's next look. (A woken
/// waiter re-taking the lock late is allowed: a condition variable's wait may return at any time,
/// and the caller looks again.)
mod stepped {
    use std::sync::{Condvar, Mutex, MutexGuard};
    use std::time::Instant;

    use racelab_kit::sync::{CondvarApi, JoinApi, MutexApi, Primitives};
    use racelab_kit::watchdog::GATE_TIMEOUT;

    /// What the test sees of the waiters, and lets them do.
    pub struct Steps {
        /// Waits that fell asleep (while holding the lock, so the waiter had looked).
        pub asleep: usize,
        /// Waits woken and held back, their lock let go.
        pub woken: usize,
        /// How many woken waits may take the lock again and return.
        pub resumed: usize,
        /// The test's waiter has returned from `wait`.
        pub returned: bool,
    }

    static STEPS: Mutex<Steps> = Mutex::new(Steps {
        asleep: 0,
        woken: 0,
        resumed: 0,
        returned: false,
    });
    static CHANGED: Condvar = Condvar::new();

    fn steps() -> MutexGuard<'static, Steps> {
        STEPS.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Changes the steps and tells everyone who waits on them.
    pub fn step(change: impl FnOnce(&mut Steps)) {
        change(&mut steps());
        CHANGED.notify_all();
    }

    /// Waits until `ready` holds of the steps (bounded by the gate timeout: a broken test fails
    /// instead of hanging); returns what it held of.
    pub fn until<R>(what: &str, ready: impl Fn(&Steps) -> Option<R>) -> R {
        let deadline = Instant::now() + GATE_TIMEOUT;
        let mut s = steps();
        loop {
            if let Some(r) = ready(&s) {
                return r;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(!left.is_zero(), "gave up waiting until {what}");
            s = CHANGED
                .wait_timeout(s, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }

    pub struct Stepped;

    pub struct SteppedMutex<T>(Mutex<T>);

    pub struct SteppedGuard<'a, T> {
        mutex: &'a SteppedMutex<T>,
        guard: Option<MutexGuard<'a, T>>,
    }

    impl<T> std::ops::Deref for SteppedGuard<'_, T> {
        type Target = T;
        fn deref(&self) -> &T {
            self.guard.as_ref().expect("held")
        }
    }

    impl<T> std::ops::DerefMut for SteppedGuard<'_, T> {
        fn deref_mut(&mut self) -> &mut T {
            self.guard.as_mut().expect("held")
        }
    }

    impl<T> MutexApi<T> for SteppedMutex<T> {
        type Guard<'a>
            = SteppedGuard<'a, T>
        where
            Self: 'a;
        fn new(value: T) -> Self {
            SteppedMutex(Mutex::new(value))
        }
        fn lock(&self) -> SteppedGuard<'_, T> {
            SteppedGuard {
                mutex: self,
                guard: Some(self.0.lock().unwrap_or_else(|p| p.into_inner())),
            }
        }
        fn into_inner(self) -> T {
            self.0.into_inner().unwrap_or_else(|p| p.into_inner())
        }
    }

    pub struct SteppedCondvar(Condvar);

    impl CondvarApi<Stepped> for SteppedCondvar {
        fn new() -> Self {
            SteppedCondvar(Condvar::new())
        }
        fn wait<'a, T: Send + 'a>(&self, mut guard: SteppedGuard<'a, T>) -> SteppedGuard<'a, T> {
            let held = guard.guard.take().expect("held");
            step(|s| s.asleep += 1); // still holding the lock: nobody can have drained it since
            let held = self.0.wait(held).unwrap_or_else(|p| p.into_inner());
            drop(held);
            let me = {
                let mut s = steps();
                s.woken += 1;
                s.woken
            };
            CHANGED.notify_all();
            until("the test resumes the woken waiter", |s| {
                (s.resumed >= me).then_some(())
            });
            guard.guard = Some(guard.mutex.0.lock().unwrap_or_else(|p| p.into_inner()));
            guard
        }
        fn notify_one(&self) {
            self.0.notify_one()
        }
        fn notify_all(&self) {
            self.0.notify_all()
        }
    }

    pub struct SteppedJoin<T>(std::thread::JoinHandle<T>);

    impl<T> JoinApi<T> for SteppedJoin<T> {
        fn join(self) -> T {
            self.0
                .join()
                .unwrap_or_else(|p| std::panic::resume_unwind(p))
        }
    }

    impl Primitives for Stepped {
        const WORLD: &'static str = "real threads, stepped condition variable";
        const IS_MODEL: bool = false;
        type AtomicUsize = std::sync::atomic::AtomicUsize;
        type AtomicBool = std::sync::atomic::AtomicBool;
        type Mutex<T: Send> = SteppedMutex<T>;
        type RwLock<T: Send + Sync> = std::sync::RwLock<T>;
        type Condvar = SteppedCondvar;
        type JoinHandle<T> = SteppedJoin<T>;

        fn spawn<T, F>(name: &str, f: F) -> SteppedJoin<T>
        where
            F: FnOnce() -> T + Send + 'static,
            T: Send + 'static,
        {
            let thread = std::thread::Builder::new().name(name.to_string());
            SteppedJoin(thread.spawn(f).expect("spawn a thread"))
        }
    }
}

/// `wait` returns when the group drained at some point after the call — also when new work entered
/// before the waiter woke up and looked again (libdispatch's generation count). With the stepped
/// condition variable: the waiter falls asleep on a group with one job; the job leaves (the drain
/// wakes the waiter, which the world holds back); a new job enters; only then does the waiter look
/// again. It must return — a `wait` that looked at the count alone would fall asleep again.
#[test]
fn wait_returns_after_a_drain_even_if_work_entered_before_the_waiter_looked() {
    use stepped::{Stepped, step, until};
    let group = DispatchGroup::<Stepped>::new_in();
    group.enter();
    let g = group.clone();
    let waiter = Stepped::spawn("waiter", move || {
        g.wait();
        step(|s| s.returned = true);
    });
    until("the waiter sleeps", |s| (s.asleep == 1).then_some(()));
    group.leave(); // drained
    until("the drain woke the waiter", |s| {
        (s.woken == 1).then_some(())
    });
    group.enter(); // new work, before the waiter looks again
    step(|s| s.resumed = 1);
    let asleep_again = until("the waiter returns or sleeps again", |s| {
        (s.returned || s.asleep == 2).then_some(s.asleep == 2)
    });
    group.leave(); // lets a waiter that fell asleep again go, so the test ends either way
    step(|s| s.resumed = 2);
    waiter.join();
    assert!(!asleep_again, "wait slept on after the group had drained");
}
