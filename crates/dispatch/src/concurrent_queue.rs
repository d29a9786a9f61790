//! `ConcurrentQueue`: a labelled queue that runs up to `width` jobs at once, with GCD's barriers —
//! a small, real stand-in for a concurrent `DispatchQueue` (`attributes: .concurrent`).
//!
//! * [`ConcurrentQueue::dispatch_async`] enqueues a job and returns at once (`queue.async { }`).
//! * [`ConcurrentQueue::sync`] enqueues a job, waits for it and returns its value (`queue.sync { }`).
//! * [`ConcurrentQueue::barrier_async`] / [`ConcurrentQueue::barrier_sync`] enqueue a **barrier**
//!   (`queue.async(flags: .barrier) { }`), with GCD's exact semantics: a barrier starts only when
//!   every job enqueued before it has finished, runs alone, and every job enqueued after it waits
//!   until it has finished. Jobs *start* in the order they were enqueued; between barriers up to
//!   `width` of them run at once, and they may finish in any order.
//! * The label names the worker threads, so every `say!` line a job says is signed with it.
//!
//! ## Why its own bounded pool, and not rayon's
//!
//! The queue owns `width` worker threads that take jobs from one FIFO list guarded by one mutex
//! and a condition variable. rayon's pool was the other candidate, and it was rejected for three
//! reasons. Barriers need one FIFO order of *starts* across all workers, which rayon's per-worker
//! work-stealing deques deliberately do not have (rayon runs its spawned jobs in no promised
//! order). The scheduler is the lesson of this module: a barrier is exactly "the front of the list
//! is a barrier and something is still running, so nobody starts", and it should be readable in
//! thirty lines. And written once over the kit's [`Primitives`] facade, those same lines run under
//! loom, which checks the barrier logic on every interleaving (`tests/demos/concurrent_queue.rs`).
//! The price is one shared lock per job; the `fan_out` benchmark measures it against `rayon::scope`
//! on the same number of threads (the book's queues chapter has the numbers).
//!
//! ## Deadlocks it refuses, and the one it avoids
//!
//! It shares [`SerialQueue`](crate::serial_queue::SerialQueue)'s queue-specific key (GCD's
//! `dispatch_get_specific`): a worker records which queues the running job belongs to, and a
//! barrier job is recorded as holding the queue *exclusively*. So
//!
//! * `sync` or `barrier_sync` from inside this queue's own barrier job, and `barrier_sync` from
//!   inside any of its jobs, return [`SyncError::WouldDeadlock`] at once instead of hanging (the
//!   barrier would wait for the very job that waits for it) — directly, or through other queues'
//!   `sync` jobs made on its behalf;
//! * `sync` from inside one of its own ordinary jobs runs the closure right there, on the calling
//!   worker: the caller already holds one of the queue's `width` slots, and waiting for a second
//!   slot could wait forever (every worker waiting the same way). GCD does the same — except when
//!   a barrier is already enqueued: GCD's `sync` would queue behind it while the barrier waits for
//!   the caller, so here that `sync` is refused too.
//!
//! ## GCD's global queues ignore barriers
//!
//! [`ConcurrentQueue::global`] makes a queue that behaves like `DispatchQueue.global()`: a barrier
//! enqueued on it is a plain async job ("if the queue you pass is one of the global concurrent
//! queues, this function behaves like `dispatch_async`" — Apple's `dispatch_barrier_async`
//! documentation). Global queues are shared by the whole process, so no one caller may stop them.
//! A barrier only protects data when it is sent to the data's *own* concurrent queue (Q10). Here a
//! "global" queue is made per call so that tests stay independent of each other.
//!
//! A panicking job does not kill the queue (the worker catches it; a `sync` caller gets
//! [`SyncError::JobPanicked`]). Dropping the last handle closes the queue: the workers finish the
//! jobs already enqueued and exit. They are not joined, so a drop never waits on a stuck job.

use std::collections::VecDeque;
use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, mpsc};

use racelab_kit::sync::{CondvarApi, MutexApi, Primitives, Std};
use racelab_kit::trace::Step;
use racelab_kit::{say, step};

use crate::serial_queue::{SyncError, held, new_id, run_on_behalf_of};

type Job = Box<dyn FnOnce() + Send>;

/// How many times an idle worker yields, looking for work, before it sleeps (real threads only).
const SPINS: u32 = 64;

/// What a caller says when its barrier has to wait for jobs already running:
/// `queues a barrier on <label>: it waits for <n> running job(s)` (scenarios gate on it).
pub const QUEUES_BARRIER: Step = Step("queues a barrier");

/// A labelled concurrent queue of width `width`, running on worker threads of world `P` (real
/// threads by default; loom's in the model checks). Cloning shares the queue.
pub struct ConcurrentQueue<P: Primitives = Std> {
    handle: Arc<Handle<P>>,
}

impl<P: Primitives> Clone for ConcurrentQueue<P> {
    fn clone(&self) -> Self {
        ConcurrentQueue {
            handle: self.handle.clone(),
        }
    }
}

/// What the handles share; dropping the last one closes the queue.
struct Handle<P: Primitives> {
    shared: Arc<Shared<P>>,
}

/// What the handles and the workers share.
struct Shared<P: Primitives> {
    label: String,
    /// The key of "runs on this queue" …
    id: usize,
    /// … and of "runs on this queue, alone, as its barrier".
    barrier_id: usize,
    width: usize,
    honours_barriers: bool,
    state: P::Mutex<State>,
    /// Signalled when a job may be able to start, or the queue closed.
    work: P::Condvar,
}

struct Item {
    job: Job,
    barrier: bool,
}

#[derive(Default)]
struct State {
    /// Jobs not started yet, in the order they were enqueued.
    pending: VecDeque<Item>,
    /// Ordinary jobs running now.
    running: usize,
    /// Whether a barrier job is running now.
    in_barrier: bool,
    /// Workers waiting for work that no one has woken yet.
    idle: usize,
    /// Workers woken but not yet back: counted so that a burst of enqueues wakes each sleeper once
    /// instead of paying a futile wake-up call per job.
    waking: usize,
    /// Every handle is gone: finish what is pending, then exit.
    closed: bool,
}

// ANCHOR: next
impl State {
    /// The job a free worker may start now, if any — the whole of the barrier logic. Jobs start in
    /// FIFO order; nothing starts while a barrier runs; a barrier starts only when nothing runs.
    fn next(&mut self) -> Option<Item> {
        if self.in_barrier {
            return None; // a barrier runs alone
        }
        if self.pending.front()?.barrier {
            if self.running > 0 {
                return None; // the barrier waits for every job enqueued before it
            }
            self.in_barrier = true;
        } else {
            self.running += 1; // ordinary jobs run side by side (up to `width` workers)
        }
        self.pending.pop_front()
    }

    /// Whether [`State::next`] would hand out a job now.
    fn can_start(&self) -> bool {
        match self.pending.front() {
            None => false,
            Some(_) if self.in_barrier => false,
            Some(item) => !item.barrier || self.running == 0,
        }
    }
}
// ANCHOR_END: next

impl State {
    /// Counts one sleeping worker as woken; returns whether there was one to wake.
    fn wake_one(&mut self) -> bool {
        let any = self.idle > 0;
        if any {
            self.idle -= 1;
            self.waking += 1;
        }
        any
    }

    /// Counts every sleeping worker as woken; returns whether there was any.
    fn wake_all(&mut self) -> bool {
        let any = self.idle > 0;
        self.waking += std::mem::take(&mut self.idle);
        any
    }

    /// A worker is back from waiting: woken on purpose, or spuriously (then it un-counts itself).
    fn woke(&mut self) {
        if self.waking > 0 {
            self.waking -= 1;
        } else {
            self.idle -= 1;
        }
    }
}

impl<P: Primitives> Shared<P> {
    /// A worker: start the next job when one may start, run it, repeat; exit once closed and empty.
    fn work(&self) {
        // On real threads a worker that runs out of work first yields a few times before it
        // sleeps, as rayon's workers do: a fan-out that comes right back then finds it awake
        // instead of paying a wake-up. Under loom the extra looks would only multiply schedules.
        let may_spin = !P::IS_MODEL;
        let mut spins = 0;
        let mut state = self.state.lock();
        loop {
            if let Some(Item { job, barrier }) = state.next() {
                spins = 0;
                if state.can_start() && state.wake_one() {
                    self.work.notify_one(); // more may start: pass the word on
                }
                drop(state);
                // A panicking job must not take the worker down; `sync` reports it to its caller.
                let _ = catch_unwind(AssertUnwindSafe(job));
                state = self.state.lock();
                if barrier {
                    state.in_barrier = false;
                    if state.can_start() && state.wake_all() {
                        self.work.notify_all(); // everything behind the barrier may start
                    }
                } else {
                    state.running -= 1;
                }
            } else if state.closed && state.pending.is_empty() {
                return;
            } else if may_spin && spins < SPINS {
                spins += 1;
                drop(state);
                std::thread::yield_now();
                state = self.state.lock();
            } else {
                state.idle += 1;
                state = self.work.wait(state);
                state.woke();
            }
        }
    }

    fn enqueue(&self, job: Job, barrier: bool) {
        let barrier = barrier && self.honours_barriers;
        let mut state = self.state.lock();
        if barrier && (state.running > 0 || state.in_barrier) {
            let running = state.running + usize::from(state.in_barrier);
            step!(
                QUEUES_BARRIER,
                " on {}: it waits for {running} running job(s)",
                self.label
            );
        }
        state.pending.push_back(Item { job, barrier });
        if state.can_start() && state.wake_one() {
            self.work.notify_one();
        }
    }
}

impl<P: Primitives> Drop for Handle<P> {
    fn drop(&mut self) {
        let mut state = self.shared.state.lock();
        state.closed = true;
        state.wake_all();
        drop(state);
        self.shared.work.notify_all();
    }
}

impl<P: Primitives> fmt::Debug for ConcurrentQueue<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConcurrentQueue")
            .field("label", &self.handle.shared.label)
            .field("width", &self.handle.shared.width)
            .field("honours_barriers", &self.handle.shared.honours_barriers)
            .finish()
    }
}

impl ConcurrentQueue<Std> {
    /// A new concurrent queue running up to `width` jobs at once on `width` real worker threads
    /// named `label` (which inherit the current trace). Panics if `width` is 0.
    pub fn new(label: &str, width: usize) -> Self {
        Self::in_world(label, width)
    }

    /// A queue that behaves like one of GCD's global queues: barriers are **not** honoured — a
    /// barrier job is a plain async job, as `dispatch_barrier_async` onto a global queue is.
    pub fn global(label: &str, width: usize) -> Self {
        Self::global_in_world(label, width)
    }

    /// Enqueues `job`, waits for it and returns its value; it starts after every job enqueued
    /// before it has started, and after any barrier before it has finished. From inside one of
    /// this queue's ordinary jobs the closure runs at once on the calling worker — unless a barrier
    /// is waiting to start, which waits for the calling job: then, as from inside its barrier job,
    /// the call is refused with [`SyncError::WouldDeadlock`].
    pub fn sync<R: Send + 'static>(
        &self,
        job: impl FnOnce() -> R + Send + 'static,
    ) -> Result<R, SyncError> {
        let shared = &self.handle.shared;
        let mut owners = held();
        if owners.contains(&shared.barrier_id) {
            return Err(self.would_deadlock());
        }
        if owners.contains(&shared.id) {
            // A barrier enqueued before this `sync` waits for the calling job, and GCD's `sync`
            // would wait behind that barrier: a deadlock (libdispatch traps on it).
            if MutexApi::lock(&shared.state)
                .pending
                .iter()
                .any(|item| item.barrier)
            {
                return Err(self.would_deadlock());
            }
            // Already holding one of this queue's slots: waiting for another could wait forever.
            return catch_unwind(AssertUnwindSafe(job)).map_err(|_| self.panicked());
        }
        owners.push(shared.id);
        say!("waits for {} to run its sync job", shared.label);
        self.wait_for(owners, job, false)
    }

    /// Enqueues a barrier running `job`, waits for it and returns its value. Refused with
    /// [`SyncError::WouldDeadlock`] from inside any job of this queue: the barrier would wait for
    /// the very job that waits for it. (On a [`global`](ConcurrentQueue::global) queue it is
    /// [`sync`](ConcurrentQueue::sync).)
    pub fn barrier_sync<R: Send + 'static>(
        &self,
        job: impl FnOnce() -> R + Send + 'static,
    ) -> Result<R, SyncError> {
        let shared = &self.handle.shared;
        if !shared.honours_barriers {
            return self.sync(job);
        }
        let mut owners = held();
        if owners.contains(&shared.id) {
            return Err(self.would_deadlock());
        }
        owners.extend([shared.id, shared.barrier_id]);
        say!("waits for {} to run its barrier job", shared.label);
        self.wait_for(owners, job, true)
    }

    fn wait_for<R: Send + 'static>(
        &self,
        owners: Vec<usize>,
        job: impl FnOnce() -> R + Send + 'static,
        barrier: bool,
    ) -> Result<R, SyncError> {
        let (reply, answer) = mpsc::sync_channel(1);
        let job: Job = Box::new(move || {
            run_on_behalf_of(&owners, move || {
                let _ = reply.send(job());
            })
        });
        self.handle.shared.enqueue(job, barrier);
        answer.recv().map_err(|_| self.panicked())
    }

    fn would_deadlock(&self) -> SyncError {
        SyncError::WouldDeadlock {
            label: self.handle.shared.label.clone(),
        }
    }

    fn panicked(&self) -> SyncError {
        SyncError::JobPanicked {
            label: self.handle.shared.label.clone(),
        }
    }
}

impl<P: Primitives> ConcurrentQueue<P> {
    /// [`ConcurrentQueue::new`] in world `P`: under [`Loom`](racelab_kit::sync::Loom) the workers
    /// are loom threads, so a model can check the barrier logic on every interleaving. (`sync` and
    /// `barrier_sync` exist on real threads only.)
    pub fn in_world(label: &str, width: usize) -> Self {
        Self::build(label, width, true)
    }

    /// [`ConcurrentQueue::global`] in world `P` (barriers not honoured).
    pub fn global_in_world(label: &str, width: usize) -> Self {
        Self::build(label, width, false)
    }

    fn build(label: &str, width: usize, honours_barriers: bool) -> Self {
        assert!(width > 0, "a concurrent queue needs at least one worker");
        let id = new_id();
        let shared = Arc::new(Shared::<P> {
            label: label.to_string(),
            id,
            barrier_id: new_id(),
            width,
            honours_barriers,
            state: P::Mutex::new(State::default()),
            work: P::Condvar::new(),
        });
        for _ in 0..width {
            let shared = shared.clone();
            // Not joined: the workers exit by themselves once the queue is closed and drained.
            drop(P::spawn(label, move || shared.work()));
        }
        ConcurrentQueue {
            handle: Arc::new(Handle { shared }),
        }
    }

    /// The label given at creation.
    pub fn label(&self) -> &str {
        &self.handle.shared.label
    }

    /// How many jobs may run at once.
    pub fn width(&self) -> usize {
        self.handle.shared.width
    }

    /// Whether the calling code runs on this queue — in one of its jobs, or in a `sync` job made
    /// from one (the queue-specific key).
    pub fn is_current(&self) -> bool {
        held().contains(&self.handle.shared.id)
    }

    /// Enqueues `job` and returns at once. It starts after every job enqueued before it has
    /// started (and after any barrier before it has finished), alongside up to `width - 1` others.
    pub fn dispatch_async(&self, job: impl FnOnce() + Send + 'static) {
        let id = self.handle.shared.id;
        self.handle
            .shared
            .enqueue(Box::new(move || run_on_behalf_of(&[id], job)), false);
    }

    /// Enqueues a barrier and returns at once: `job` starts when every job enqueued before it has
    /// finished, runs alone, and every job enqueued after it waits until it has finished. On a
    /// [`global`](ConcurrentQueue::global) queue it is a plain [`dispatch_async`](Self::dispatch_async).
    pub fn barrier_async(&self, job: impl FnOnce() + Send + 'static) {
        let shared = &self.handle.shared;
        // On a global queue the "barrier" is an ordinary job and holds the queue like one.
        let exclusive = if shared.honours_barriers {
            shared.barrier_id
        } else {
            shared.id
        };
        let owners = [shared.id, exclusive];
        shared.enqueue(Box::new(move || run_on_behalf_of(&owners, job)), true);
    }
}
