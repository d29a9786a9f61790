//! `DispatchGroup`: count jobs in flight, and hear when they have all finished — GCD's
//! `DispatchGroup`, small and real, for any queue (or none).
//!
//! * [`DispatchGroup::enter`] adds one to the group's count; [`DispatchGroup::leave`] takes one off.
//!   A `leave` with nothing entered is a bug in the caller: it **panics** with a clear message,
//!   as GCD crashes ("Unbalanced call to dispatch_group_leave()").
//! * [`DispatchGroup::notify`] registers a closure that runs once, the next time the count reaches
//!   zero — at once, on the caller's thread, if it is zero already. It runs on the thread whose
//!   `leave` drained the group. [`DispatchGroup::notify_on`] sends it to a queue instead, like
//!   `group.notify(queue: .main) { }`. Every notify registered before the count reaches zero
//!   fires then, each once; after that the group is empty and can be used again.
//! * [`DispatchGroup::wait`] blocks until the count reaches zero; [`DispatchGroup::wait_timeout`]
//!   gives up after a while and says so with [`TimedOut`] (`group.wait(timeout:)`).
//! * [`DispatchGroup::dispatch_async`] is `queue.async(group:) { }`: it enters now and leaves when
//!   the job ends — also when the job panics, or when the queue drops it unrun — through the RAII
//!   guard [`Entered`] that [`DispatchGroup::enter_guard`] returns. Prefer it to hand-paired
//!   `enter`/`leave`: the pairing cannot be forgotten.
//!
//! A group works with any queue that implements [`Dispatch`]: the crate's
//! [`SerialQueue`], [`ConcurrentQueue`], and a shared rayon pool (`Arc<rayon::ThreadPool>`).
//!
//! ## What a group is not
//!
//! A group counts; it does not know *whose* jobs it counts. One group shared by two callers
//! makes each caller's `notify` wait for the other's jobs too — demo Q13
//! (`dispatch_group_phases`) is exactly that bug. Make a group per batch of work you want to hear
//! about, not one per object.
//!
//! ## How it is built, and why
//!
//! A `Mutex` around the count, the pending notifications and a generation number, and a `Condvar`
//! for `wait`. It is written once, generic over the kit's
//! [`Primitives`], so the library tests run the counter logic under loom
//! (`tests/demos/group.rs`); `wait_timeout` exists on real threads only (loom does not model
//! time). The generation makes `wait` return when the group drained *at some point* after the call,
//! even if new work entered before the waiter woke up — libdispatch keeps a generation for the same
//! reason. Closures passed to `notify` run after the lock is released (they may `enter` again);
//! closures bound for a queue are only *enqueued* by `leave`, and that happens while the lock is
//! still held, so all notifications of one drain are enqueued before anyone can re-enter the
//! group — their order on a serial queue is the order they were registered.
//!
//! In Rust the usual tool for "run these and wait for all of them" is structured: a scope
//! (`std::thread::scope`, `rayon::scope`) or, in async code, `tokio::task::JoinSet`. A group is for
//! the GCD shape — fire-and-forget jobs on queues and a callback when they are done.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use racelab_kit::sync::{CondvarApi, MutexApi, Primitives, Std, lock_unpoisoned};

use crate::concurrent_queue::ConcurrentQueue;
use crate::serial_queue::SerialQueue;

type Job = Box<dyn FnOnce() + Send>;

/// The panic message of an unbalanced [`DispatchGroup::leave`].
pub const UNBALANCED_LEAVE: &str =
    "DispatchGroup::leave() without a matching enter(): unbalanced leave (GCD crashes here too)";

/// A wait that gave up: the group (or semaphore) was not ready before the timeout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimedOut;

impl fmt::Display for TimedOut {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("timed out")
    }
}

impl std::error::Error for TimedOut {}

/// A queue a group can send jobs and notifications to: GCD's `DispatchQueue`, as far as a group
/// is concerned.
pub trait Dispatch: Clone + Send + 'static {
    /// Enqueues `job` and returns at once.
    fn dispatch_async(&self, job: impl FnOnce() + Send + 'static);
    /// How many of its jobs may run at the same time (1 for a serial queue).
    fn width(&self) -> usize;
}

impl Dispatch for SerialQueue {
    fn dispatch_async(&self, job: impl FnOnce() + Send + 'static) {
        SerialQueue::dispatch_async(self, job)
    }
    fn width(&self) -> usize {
        1
    }
}

impl Dispatch for ConcurrentQueue {
    fn dispatch_async(&self, job: impl FnOnce() + Send + 'static) {
        ConcurrentQueue::dispatch_async(self, job)
    }
    fn width(&self) -> usize {
        ConcurrentQueue::width(self)
    }
}

impl Dispatch for Arc<rayon::ThreadPool> {
    fn dispatch_async(&self, job: impl FnOnce() + Send + 'static) {
        // rayon aborts the whole process when a spawned job panics (unless the pool has a panic
        // handler); like the crate's own queues, the job's panic stays the job's.
        self.spawn(move || {
            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
        })
    }
    fn width(&self) -> usize {
        self.current_num_threads()
    }
}

/// A group of jobs in flight. Cloning shares the group.
pub struct DispatchGroup<P: Primitives = Std> {
    inner: Arc<Inner<P>>,
}

impl<P: Primitives> Clone for DispatchGroup<P> {
    fn clone(&self) -> Self {
        DispatchGroup {
            inner: self.inner.clone(),
        }
    }
}

impl<P: Primitives> fmt::Debug for DispatchGroup<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DispatchGroup")
            .field("count", &self.count())
            .finish()
    }
}

struct Inner<P: Primitives> {
    state: P::Mutex<State>,
    drained: P::Condvar,
}

#[derive(Default)]
struct State {
    /// Jobs entered and not yet left.
    count: usize,
    /// How many times the count has come back to zero.
    generation: u64,
    /// `notify` closures: run after the lock is released.
    run: Vec<Job>,
    /// `notify_on` closures: each only enqueues a job, so they run under the lock.
    enqueue: Vec<Job>,
}

impl<P: Primitives> Default for DispatchGroup<P> {
    fn default() -> Self {
        Self::new_in()
    }
}

impl DispatchGroup<Std> {
    /// An empty group, on real threads.
    pub fn new() -> Self {
        Self::new_in()
    }
}

impl<P: Primitives> DispatchGroup<P> {
    /// An empty group in world `P` (`DispatchGroup::<Loom>::new_in()` in a loom model).
    pub fn new_in() -> Self {
        DispatchGroup {
            inner: Arc::new(Inner {
                state: MutexApi::new(State::default()),
                drained: CondvarApi::new(),
            }),
        }
    }

    /// One more job in flight.
    pub fn enter(&self) {
        self.inner.state.lock().count += 1;
    }

    /// One job fewer in flight. When the count reaches zero, every pending notification fires
    /// and every waiter wakes.
    ///
    /// # Panics
    ///
    /// With [`UNBALANCED_LEAVE`] when nothing is entered: a `leave` without its `enter` is a bug.
    pub fn leave(&self) {
        let mut state = self.inner.state.lock();
        if state.count == 0 {
            drop(state);
            panic!("{UNBALANCED_LEAVE}");
        }
        state.count -= 1;
        if state.count > 0 {
            return;
        }
        state.generation += 1;
        // Only enqueues: done under the lock, so a notification cannot be overtaken by work that
        // re-enters the group (see the module doc).
        for enqueue in std::mem::take(&mut state.enqueue) {
            enqueue();
        }
        let run = std::mem::take(&mut state.run);
        drop(state);
        self.inner.drained.notify_all();
        for notify in run {
            notify();
        }
    }

    /// Runs `f` once, the next time the count reaches zero — right now, on this thread, if it is
    /// zero already. `f` runs on the thread whose `leave` drained the group.
    pub fn notify(&self, f: impl FnOnce() + Send + 'static) {
        let mut state = self.inner.state.lock();
        if state.count == 0 {
            drop(state);
            f();
        } else {
            state.run.push(Box::new(f));
        }
    }

    /// Like [`DispatchGroup::notify`], but `f` is sent to `queue` with `dispatch_async` (GCD's
    /// `group.notify(queue:)`): it runs there, never on the thread that left last.
    pub fn notify_on<Q: Dispatch>(&self, queue: &Q, f: impl FnOnce() + Send + 'static) {
        let queue = queue.clone();
        let enqueue: Job = Box::new(move || queue.dispatch_async(f));
        let mut state = self.inner.state.lock();
        if state.count == 0 {
            drop(state);
            enqueue();
        } else {
            state.enqueue.push(enqueue);
        }
    }

    /// Blocks until the count reaches zero (returns at once if it is zero).
    pub fn wait(&self) {
        let mut state = self.inner.state.lock();
        let generation = state.generation;
        while state.count > 0 && state.generation == generation {
            state = self.inner.drained.wait(state);
        }
    }

    /// How many jobs are in flight right now (a snapshot, for narration and tests).
    pub fn count(&self) -> usize {
        self.inner.state.lock().count
    }

    /// Enters, and returns a guard that leaves when dropped — also during a panic.
    pub fn enter_guard(&self) -> Entered<P> {
        self.enter();
        Entered {
            group: self.clone(),
        }
    }

    /// GCD's `queue.async(group: group) { job() }`: enters now, enqueues `job` on `queue`, and
    /// leaves when the job ends (returns, panics, or is dropped unrun).
    pub fn dispatch_async<Q: Dispatch>(&self, queue: &Q, job: impl FnOnce() + Send + 'static) {
        let entered = self.enter_guard();
        queue.dispatch_async(move || {
            let _leaves_when_done = entered;
            job();
        });
    }
}

impl DispatchGroup<Std> {
    /// Blocks until the count reaches zero, or `timeout` passes: `Err(TimedOut)` then (GCD's
    /// `group.wait(timeout:)` returning `.timedOut`). Real threads only: loom has no clock.
    pub fn wait_timeout(&self, timeout: Duration) -> Result<(), TimedOut> {
        let deadline = Instant::now() + timeout;
        let mut state = lock_unpoisoned(&self.inner.state);
        let generation = state.generation;
        while state.count > 0 && state.generation == generation {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(TimedOut);
            }
            state = self
                .inner
                .drained
                .wait_timeout(state, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
        Ok(())
    }
}

/// One entry in a group; leaves it when dropped. From [`DispatchGroup::enter_guard`].
#[must_use = "the group is left as soon as this guard is dropped"]
pub struct Entered<P: Primitives = Std> {
    group: DispatchGroup<P>,
}

impl<P: Primitives> fmt::Debug for Entered<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Entered").finish_non_exhaustive()
    }
}

impl<P: Primitives> Drop for Entered<P> {
    fn drop(&mut self) {
        self.group.leave();
    }
}
