//! `MainQueue`: a stand-in for GCD's main queue — a serial queue whose jobs run on the thread that
//! made it, when that thread runs its run loop.
//!
//! GCD's main queue is not a queue with a worker thread: it is drained by the main thread's run
//! loop, between the events it handles. The same split here:
//!
//! * [`MainQueue::new`] is called on the owning thread and returns two halves: a [`MainQueue`]
//!   handle (`Send + Clone`) that any thread uses to `dispatch_async` or `sync` onto the main
//!   queue, and a [`RunLoop`] (neither `Send` nor `Sync`: it stays on the owning thread) that runs the
//!   queued jobs there — [`RunLoop::run_until_idle`] runs what is queued now,
//!   [`RunLoop::run_until`] keeps running jobs as they come until a condition holds or a deadline
//!   passes. Nothing runs while the owner is not in its run loop, exactly like a main thread busy
//!   in a long handler.
//! * Jobs are signed `main` in traces ([`LABEL`]), whatever the owning thread is called.
//! * [`MainQueue::sync`] refuses with [`SyncError::WouldDeadlock`] when the caller *is* the owning
//!   thread — in a job or not: the run loop cannot run the job while its thread waits for it (the
//!   guide's `// DispatchQueue.main.sync { } // ❌ Never do this!`, L1535). It shares
//!   [`SerialQueue`](crate::serial_queue::SerialQueue)'s queue-specific key, so a `sync` made from
//!   the owning thread onto a serial queue, whose job then syncs back onto main, is refused as
//!   well.
//!
//! Why not a worker thread: the point of the main queue is *which thread* runs the job (UI toolkits
//! insist on their one thread), so the owner's thread must run it. The deadlines in `run_until`
//! bound how long a demo looks; they order nothing.

use std::marker::PhantomData;
use std::sync::{Arc, mpsc};
use std::thread::{self, ThreadId};
use std::time::Instant;

use racelab_kit::say;
use racelab_kit::trace::as_actor;

use crate::serial_queue::{Job, QueueId, SyncError, held, new_id, run_on_behalf_of, set_held};

/// The label of every main queue; its jobs' lines are signed with it.
pub const LABEL: &str = "main";

/// A handle onto a main queue: `Send + Clone`, usable from any thread.
#[derive(Clone)]
pub struct MainQueue {
    inner: Arc<Inner>,
}

struct Inner {
    id: QueueId,
    owner: ThreadId,
    jobs: mpsc::Sender<Job>,
}

impl std::fmt::Debug for MainQueue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MainQueue")
            .field("owner", &self.inner.owner)
            .finish_non_exhaustive()
    }
}

/// The owning thread's half: runs the main queue's jobs. Not `Send`: it cannot leave its thread.
pub struct RunLoop {
    id: QueueId,
    inbox: mpsc::Receiver<Job>,
    /// `*const ()` is neither `Send` nor `Sync`, so neither is the run loop.
    _stays_here: PhantomData<*const ()>,
}

impl std::fmt::Debug for RunLoop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunLoop").finish_non_exhaustive()
    }
}

impl MainQueue {
    /// Makes the calling thread the owner of a new main queue: returns the handle (give clones to
    /// other threads) and the run loop (keep it here). From now until the run loop is dropped, the
    /// calling thread counts as running on this queue.
    #[allow(clippy::new_ret_no_self)]
    pub fn new() -> (MainQueue, RunLoop) {
        let (jobs, inbox) = mpsc::channel();
        let id = new_id();
        // The owner is "on" the main queue all the time, not only inside jobs.
        let mut base = held();
        base.push(id);
        set_held(base);
        let queue = MainQueue {
            inner: Arc::new(Inner {
                id,
                owner: thread::current().id(),
                jobs,
            }),
        };
        let run_loop = RunLoop {
            id,
            inbox,
            _stays_here: PhantomData,
        };
        (queue, run_loop)
    }

    /// The label, [`LABEL`].
    pub fn label(&self) -> &'static str {
        LABEL
    }

    /// Whether the calling code runs on this main queue: on the owning thread, or in a `sync` job
    /// made from it.
    pub fn is_current(&self) -> bool {
        held().contains(&self.inner.id)
    }

    /// Enqueues `job`; it runs on the owning thread the next time its run loop runs.
    pub fn dispatch_async(&self, job: impl FnOnce() + Send + 'static) {
        let id = self.inner.id;
        self.send(Box::new(move || {
            as_actor(LABEL, || run_on_behalf_of(&[id], job))
        }));
    }

    /// Enqueues `job`, waits until the owning thread's run loop has run it, and returns its value
    /// — or refuses with [`SyncError::WouldDeadlock`] when the caller is the owning thread (or runs
    /// on its behalf): nobody else can run the job while it waits. If the run loop is dropped
    /// before running the job, the job never runs and the caller gets
    /// [`SyncError::JobPanicked`] rather than waiting forever.
    pub fn sync<R: Send + 'static>(
        &self,
        job: impl FnOnce() -> R + Send + 'static,
    ) -> Result<R, SyncError> {
        let mut owners = held();
        if owners.contains(&self.inner.id) || thread::current().id() == self.inner.owner {
            return Err(SyncError::WouldDeadlock {
                label: LABEL.to_string(),
            });
        }
        owners.push(self.inner.id);
        let (reply, answer) = mpsc::sync_channel(1);
        say!("waits for {LABEL} to run its sync job");
        self.send(Box::new(move || {
            as_actor(LABEL, || {
                run_on_behalf_of(&owners, move || {
                    let _ = reply.send(job());
                })
            })
        }));
        answer.recv().map_err(|_| SyncError::JobPanicked {
            label: LABEL.to_string(),
        })
    }

    fn send(&self, job: Job) {
        // A dropped run loop runs nothing more: the job is dropped, and a `sync` caller is told
        // (its reply channel closes) instead of waiting forever.
        let _ = self.inner.jobs.send(job);
    }
}

impl RunLoop {
    /// Runs every job queued right now, and any they queue, until none is left; returns how many
    /// ran. Never waits for other threads.
    pub fn run_until_idle(&self) -> usize {
        let mut ran = 0;
        while let Ok(job) = self.inbox.try_recv() {
            run(job);
            ran += 1;
        }
        ran
    }

    /// Runs jobs as they arrive until `done()` holds or `deadline` passes; returns whether `done()`
    /// held. `done()` is looked at after each job (and before each wait), so whatever makes it
    /// true should arrive as a main-queue job — the way a main thread hears of anything. The
    /// deadline only bounds how long it looks.
    pub fn run_until(&self, deadline: Instant, mut done: impl FnMut() -> bool) -> bool {
        loop {
            self.run_until_idle();
            if done() {
                return true;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            match self.inbox.recv_timeout(left) {
                Ok(job) => run(job),
                Err(mpsc::RecvTimeoutError::Timeout) => return done(),
                // Every `MainQueue` handle is gone (they own the senders): nothing more can come.
                Err(mpsc::RecvTimeoutError::Disconnected) => return done(),
            }
        }
    }
}

/// Runs a main-queue job; a panicking job does not take the run loop down (`sync` reports it).
fn run(job: Job) {
    let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
}

impl Drop for RunLoop {
    fn drop(&mut self) {
        // The owning thread no longer runs this main queue.
        let id = self.id;
        let mut base = held();
        base.retain(|&h| h != id);
        set_held(base);
    }
}
