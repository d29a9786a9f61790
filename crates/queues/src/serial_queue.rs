//! `SerialQueue`: a labelled FIFO queue that runs one job at a time on its own worker thread — the
//! library core of the queues chapter, a small, real stand-in for a GCD serial `DispatchQueue`.
//!
//! * [`SerialQueue::dispatch_async`] enqueues a job and returns at once (GCD's `queue.async { }`;
//!   `async` is a Rust keyword, and `dispatch_async` is the name C programmers know GCD's call by).
//! * [`SerialQueue::sync`] enqueues a job, waits for it, and returns its value (`queue.sync { }`).
//! * Jobs run in the order they were enqueued, one at a time, so state touched only from the queue's
//!   jobs needs no lock.
//! * The label names the worker thread, so every `say!` line a job says is signed with it, and a
//!   debugger or `top -H` shows it too.
//!
//! ## The self-deadlock check
//!
//! `sync` onto the queue you are already running on waits for a job that can only start after the
//! current one — yours — ends: a deadlock (demo Q6). This `sync` **detects** it and returns
//! [`SyncError::WouldDeadlock`] instead of hanging. The detection is GCD's
//! `dispatch_queue_set_specific` / `dispatch_get_specific` idea: a thread-local key, set by the
//! worker while it runs a job, says which queues the current code runs on. It is a *stack*, not one
//! id: a `sync` job carries its caller's queues with it, so `A.sync { B.sync { A.sync { } } }` is
//! refused too (B's worker runs the inner job on behalf of a caller that holds A).
//! [`SerialQueue::is_current`] exposes the key, so code that may or may not already be on the
//! queue can run its work directly instead of calling `sync` (the Q6 fix).
//!
//! What the check cannot see: two queues whose jobs `sync` onto each other *at the same time* from
//! their own threads. That is a lock-ordering cycle (races R4), not a re-entry.
//!
//! ## Why a thread per serial queue, and what GCD does differently
//!
//! One dedicated thread per queue is the simplest thing that is obviously serial and FIFO (a
//! channel and one consumer), and it gives each queue a named thread, which makes the traces
//! readable. GCD instead multiplexes all queues onto a shared pool of worker threads, so a serial
//! queue's jobs may run on different threads over time; and `dispatch_sync` onto an *idle* queue
//! does not hop threads at all — it runs the block on the caller's thread, holding the queue. Here
//! `sync` always hands the job to the worker thread and waits. Because of that the closure must be
//! `Send + 'static`; GCD's blocks can borrow from the caller's stack.
//!
//! A job that panics does not kill the queue: the worker catches the panic, carries on with the next
//! job, and a `sync` caller gets [`SyncError::JobPanicked`]. Dropping the last handle closes the
//! queue: the worker finishes the jobs already enqueued and exits. It is not joined, so a drop
//! never waits on a stuck job.

use std::cell::RefCell;
use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};

use racelab_kit::say;
use racelab_kit::sync::{Primitives, Std};

type Job = Box<dyn FnOnce() + Send>;

/// A queue's identity: unique for the life of the process.
type QueueId = usize;

static NEXT_ID: AtomicUsize = AtomicUsize::new(1);

thread_local! {
    /// The queues the code running on this thread runs on behalf of, innermost last — the
    /// queue-specific key (`dispatch_get_specific`). Empty outside every queue.
    static RUNNING_ON: RefCell<Vec<QueueId>> = const { RefCell::new(Vec::new()) };
}

/// Runs `job` with the thread's key set to `owners`, then clears it (also when the job panics).
/// Generic and allocation-free (the key's `Vec` keeps its capacity): it runs once per job, and a
/// boxed inner job plus a fresh `Vec` per `dispatch_async` (three allocations per job, not one)
/// made a burst of 1,000 jobs take 185 µs instead of 128 µs (`benches/serial_async.rs`).
fn run_as(owners: &[QueueId], job: impl FnOnce()) {
    struct Clear;
    impl Drop for Clear {
        fn drop(&mut self) {
            RUNNING_ON.with(|r| r.borrow_mut().clear());
        }
    }
    RUNNING_ON.with(|r| r.borrow_mut().extend_from_slice(owners));
    let _clear = Clear;
    job();
}

/// Why [`SerialQueue::sync`] did not run the closure or return its value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncError {
    /// The caller already runs on this queue (directly, or inside a `sync` made from it): waiting
    /// for the job would wait for ourselves. The closure was not run.
    WouldDeadlock {
        /// The queue's label.
        label: String,
    },
    /// The closure panicked on the queue (the queue itself carries on).
    JobPanicked {
        /// The queue's label.
        label: String,
    },
}

impl fmt::Display for SyncError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SyncError::WouldDeadlock { label } => {
                write!(f, "sync onto {label} from {label} itself would deadlock")
            }
            SyncError::JobPanicked { label } => write!(f, "the sync job on {label} panicked"),
        }
    }
}

impl std::error::Error for SyncError {}

/// A labelled serial queue. Cloning shares the queue.
#[derive(Clone)]
pub struct SerialQueue {
    inner: Arc<Inner>,
}

struct Inner {
    label: String,
    id: QueueId,
    jobs: mpsc::Sender<Job>,
}

impl fmt::Debug for SerialQueue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SerialQueue")
            .field("label", &self.inner.label)
            .finish()
    }
}

impl SerialQueue {
    /// A new queue whose worker thread is named `label` (and inherits the current trace).
    pub fn new(label: &str) -> Self {
        let (jobs, inbox) = mpsc::channel::<Job>();
        // The worker ends when the last handle (and so the last `Sender`) is dropped.
        drop(Std::spawn(label, move || {
            for job in inbox {
                // A panicking job must not take the queue down; `sync` reports it to its caller.
                let _ = catch_unwind(AssertUnwindSafe(job));
            }
        }));
        SerialQueue {
            inner: Arc::new(Inner {
                label: label.to_string(),
                id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
                jobs,
            }),
        }
    }

    /// The label given to [`SerialQueue::new`].
    pub fn label(&self) -> &str {
        &self.inner.label
    }

    /// Whether the calling code runs on this queue — in one of its jobs, or in a `sync` job made
    /// from one. GCD's `dispatch_get_specific` check.
    pub fn is_current(&self) -> bool {
        RUNNING_ON.with(|r| r.borrow().contains(&self.inner.id))
    }

    /// Enqueues `job` and returns at once; it runs after every job enqueued before it.
    pub fn dispatch_async(&self, job: impl FnOnce() + Send + 'static) {
        let id = self.inner.id;
        self.send(Box::new(move || run_as(&[id], job)));
    }

    /// Enqueues `job`, waits for it to run, and returns its value — or refuses with
    /// [`SyncError::WouldDeadlock`], without enqueuing anything, when the caller already runs on
    /// this queue.
    pub fn sync<R: Send + 'static>(
        &self,
        job: impl FnOnce() -> R + Send + 'static,
    ) -> Result<R, SyncError> {
        let label = &self.inner.label;
        // ANCHOR: check
        let mut owners = RUNNING_ON.with(|r| r.borrow().clone());
        if owners.contains(&self.inner.id) {
            return Err(SyncError::WouldDeadlock {
                label: label.clone(),
            });
        }
        // ANCHOR_END: check
        owners.push(self.inner.id);
        let (reply, answer) = mpsc::sync_channel(1);
        // Said before the job is sent, so it comes before anything the job says.
        say!("waits for {label} to run its sync job");
        self.send(Box::new(move || {
            run_as(&owners, move || {
                let _ = reply.send(job());
            })
        }));
        answer.recv().map_err(|_| SyncError::JobPanicked {
            label: label.clone(),
        })
    }

    fn send(&self, job: Job) {
        // The worker only stops once every sender is gone, and `self` holds one.
        self.inner
            .jobs
            .send(job)
            .expect("a serial queue's worker outlives its handles");
    }
}
