//! `PoolSerialQueue`, a model of a serial queue the way GCD builds one — no thread of its own, just
//! a list of jobs and a drain job that runs one of them on a shared pool and then resubmits itself.
//!
//! GCD's serial queues are not threads. Each one *targets* a concurrent queue (by default a
//! global one); when it has work, GCD submits a drain job for it to the pool, and whichever pool
//! thread is free runs it. The serial guarantee is "one job of this queue at a time, in FIFO
//! order" — nothing more: consecutive jobs may run on different threads, and one thread runs jobs
//! of many queues. This type is that design in forty lines, on the crate's
//! [`ConcurrentQueue`], next to the dedicated-thread
//! [`SerialQueue`](racelab_dispatch::serial_queue::SerialQueue), so Q8 can show both keep the same promise and
//! only one of them keeps a promise the guide adds (L1752: "Single Thread: typically uses one
//! thread").
//!
//! The drain runs **one** job per turn and then goes to the back of the pool's line: fair to the
//! pool's other work, and the reason the next job may land on another thread. (GCD drains a few
//! per turn; one keeps the demo's thread changes easy to force.) A job's lines are signed with the
//! queue's label, whichever pool thread runs it — as GCD's debugger shows the queue, not the thread.

use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex, mpsc};

use racelab_kit::trace::as_actor;

use racelab_dispatch::concurrent_queue::ConcurrentQueue;

type Job = Box<dyn FnOnce() + Send>;

/// A serial queue without a thread: its jobs run one at a time, in order, on a shared pool.
/// Cloning shares the queue.
#[derive(Clone)]
pub struct PoolSerialQueue {
    inner: Arc<Inner>,
}

struct Inner {
    label: String,
    pool: ConcurrentQueue,
    state: Mutex<State>,
}

#[derive(Default)]
struct State {
    jobs: VecDeque<Job>,
    /// Whether a drain job is on the pool (queued or running): at most one, which is what makes
    /// the queue serial.
    draining: bool,
}

// ANCHOR: drain
impl Inner {
    /// Runs this queue's next job on whichever pool thread took the drain job, then resubmits the
    /// drain if more jobs are waiting.
    fn drain(self: Arc<Self>) {
        let job = self.state.lock().unwrap().jobs.pop_front();
        let job = job.expect("a drain job is submitted only when a job waits");
        let _ = catch_unwind(AssertUnwindSafe(|| as_actor(&self.label, job)));
        let mut state = self.state.lock().unwrap();
        if state.jobs.is_empty() {
            state.draining = false;
        } else {
            drop(state);
            let again = self.clone();
            self.pool.dispatch_async(move || again.drain()); // to the back of the pool's line
        }
    }
}

impl PoolSerialQueue {
    /// Enqueues `job` and returns at once; it runs after every job enqueued before it.
    pub fn dispatch_async(&self, job: impl FnOnce() + Send + 'static) {
        let mut state = self.inner.state.lock().unwrap();
        state.jobs.push_back(Box::new(job));
        if !std::mem::replace(&mut state.draining, true) {
            drop(state);
            let inner = self.inner.clone();
            self.inner.pool.dispatch_async(move || inner.drain());
        }
    }
}
// ANCHOR_END: drain

impl PoolSerialQueue {
    /// A serial queue labelled `label` whose jobs run on `pool`.
    pub fn new(label: &str, pool: &ConcurrentQueue) -> Self {
        PoolSerialQueue {
            inner: Arc::new(Inner {
                label: label.to_string(),
                pool: pool.clone(),
                state: Mutex::default(),
            }),
        }
    }

    /// The label given to [`PoolSerialQueue::new`].
    pub fn label(&self) -> &str {
        &self.inner.label
    }

    /// Enqueues `job`, waits for it and returns its value (`None` if it panicked). Not checked for
    /// self-deadlock and not narrated: only the tests call it, from their own thread.
    pub fn sync<R: Send + 'static>(&self, job: impl FnOnce() -> R + Send + 'static) -> Option<R> {
        let (reply, answer) = mpsc::sync_channel(1);
        self.dispatch_async(move || {
            let _ = reply.send(job());
        });
        answer.recv().ok()
    }
}
