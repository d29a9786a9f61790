//! A model of Foundation's `Operation` and `OperationQueue`, with their documented semantics —
//! what the guide's snippet runs on. Only Q2's broken twin uses it.
//!
//! This version is problematic.
//!
//! Faithful to Apple's documentation, which is where the trouble lies:
//!
//! * An operation is ready when every dependency is **finished** — "dependencies … make no
//!   distinction about whether a dependent operation finished successfully or unsuccessfully.
//!   (In other words, canceling an operation similarly marks it as finished.)"
//! * `cancel()` only sets a flag. An operation cancelled before it starts finishes at once without
//!   running its work, and "ignore\[s\] any dependencies it may have"; one that is running is told
//!   through its token and finishes when its work returns. Either way it ends up finished.
//! * Operations pass no results: work is `FnOnce(&CancelToken)`, so dependents share state some
//!   other way (the guide never says how).
//! * `add_dependency` accepts a cycle. Apple: "a programmer error that will prevent the affected
//!   operations from ever running" — nothing reports it, and
//!   [`OperationQueue::wait_until_all_operations_are_finished`] then waits forever.
//!
//! The queue runs `max_concurrent` worker threads; each operation's narration is signed with its
//! name. Dropping the queue lets the workers exit once nothing is ready; operations stuck on a
//! cycle are abandoned.
//!
//! Both of its waits — a worker's for a ready operation, and
//! [`OperationQueue::wait_until_all_operations_are_finished`] — are recorded through `kit::wait`
//! (a ticket taken under the queue's lock once the condition was found false, woken at every
//! change), so with a cycle the watchdog sees every thread blocked with nothing left to wake any,
//! and proves the hang at once instead of timing it out.

use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use racelab_kit::say;
use racelab_kit::sync::lock_unpoisoned;
use racelab_kit::sync::prelude::*;
use racelab_kit::trace::as_actor;
use racelab_kit::wait::Resource;

use racelab_dispatch::cancel::CancelToken;

type Work = Box<dyn FnOnce(&CancelToken) + Send>;

/// An operation: a name, some work, dependencies, a cancellation flag. Cloning shares it.
#[derive(Clone)]
pub struct Operation {
    inner: Arc<OpInner>,
}

struct OpInner {
    name: String,
    token: CancelToken,
    state: Mutex<OpState>,
}

struct OpState {
    dependencies: Vec<Operation>,
    work: Option<Work>,
    finished: bool,
}

impl Operation {
    /// An operation called `name` that runs `work` (which may look at its token).
    pub fn new(name: &str, work: impl FnOnce(&CancelToken) + Send + 'static) -> Self {
        Operation {
            inner: Arc::new(OpInner {
                name: name.to_string(),
                token: CancelToken::new(name),
                state: Mutex::new(OpState {
                    dependencies: Vec::new(),
                    work: Some(Box::new(work)),
                    finished: false,
                }),
            }),
        }
    }

    /// `addDependency(_:)`: this operation becomes ready only once `other` is finished. Accepts
    /// anything, a cycle included.
    pub fn add_dependency(&self, other: &Operation) {
        self.state().dependencies.push(other.clone());
    }

    /// `cancel()`: sets the flag (and runs the token's callbacks). Dependents are not told.
    pub fn cancel(&self) {
        self.inner.token.cancel();
    }

    /// `isFinished`.
    pub fn is_finished(&self) -> bool {
        self.state().finished
    }

    /// `isReady`: every dependency finished — however it finished — or this one is cancelled.
    fn is_ready(&self) -> bool {
        self.inner.token.is_cancelled() || self.state().dependencies.iter().all(|d| d.is_finished())
    }

    /// `start()`: runs the work unless cancelled, then is finished either way.
    fn start(&self) {
        let work = self.state().work.take();
        as_actor(&self.inner.name, || {
            match (self.inner.token.is_cancelled(), work) {
                (true, _) => say!("finishes without running: it was cancelled"),
                (false, Some(work)) => work(&self.inner.token),
                (false, None) => {}
            }
        });
        self.state().finished = true;
    }

    fn state(&self) -> MutexGuard<'_, OpState> {
        lock_unpoisoned(&self.inner.state)
    }
}

/// `OperationQueue`: runs added operations on up to `max_concurrent` threads as they become ready.
pub struct OperationQueue {
    shared: Arc<QueueShared>,
}

struct QueueShared {
    state: Mutex<QueueState>,
    changed: Condvar,
    ready: Resource,    // a worker's recorded wait for a ready operation
    finished: Resource, // the recorded wait for every operation to finish
}

struct QueueState {
    pending: Vec<Operation>,
    running: usize,
    closed: bool,
}

impl QueueShared {
    fn lock(&self) -> MutexGuard<'_, QueueState> {
        lock_unpoisoned(&self.state)
    }

    /// After every change that could end a wait: wakes both recorded waits, then the threads.
    fn notify(&self) {
        self.ready.wake();
        self.finished.wake();
        self.changed.notify_all();
    }

    /// Waits on the condition variable, recorded as a wait on `what` (the ticket is taken here,
    /// under the lock, after the caller found its condition false).
    fn wait<'a>(
        &self,
        what: &Resource,
        s: MutexGuard<'a, QueueState>,
    ) -> MutexGuard<'a, QueueState> {
        what.ticket()
            .wait(|| self.changed.wait(s).unwrap_or_else(|p| p.into_inner()))
    }
}

impl OperationQueue {
    /// A queue with `max_concurrent` worker threads (`maxConcurrentOperationCount`).
    pub fn new(max_concurrent: usize) -> Self {
        let shared = Arc::new(QueueShared {
            state: Mutex::new(QueueState {
                pending: Vec::new(),
                running: 0,
                closed: false,
            }),
            changed: Condvar::new(),
            ready: Resource::new("a ready operation"),
            finished: Resource::new("every operation to finish"),
        });
        for i in 0..max_concurrent.max(1) {
            let shared = shared.clone();
            drop(Std::spawn(&format!("opq-worker-{i}"), move || {
                worker(&shared)
            }));
        }
        OperationQueue { shared }
    }

    /// `addOperations(_:waitUntilFinished: false)`.
    pub fn add_operations(&self, operations: &[Operation]) {
        self.shared
            .lock()
            .pending
            .extend(operations.iter().cloned());
        self.shared.notify();
        for op in operations {
            // A cancelled operation becomes ready: tell the workers to look again.
            let queue = Arc::downgrade(&self.shared);
            op.inner.token.on_cancel(move || {
                if let Some(queue) = queue.upgrade() {
                    let _looking = queue.lock(); // so no worker is between its look and its wait
                    queue.notify();
                }
            });
        }
    }

    /// `waitUntilAllOperationsAreFinished()`: blocks until nothing is pending or running.
    pub fn wait_until_all_operations_are_finished(&self) {
        let mut s = self.shared.lock();
        while !s.pending.is_empty() || s.running > 0 {
            s = self.shared.wait(&self.shared.finished, s);
        }
    }
}

impl Drop for OperationQueue {
    fn drop(&mut self) {
        self.shared.lock().closed = true;
        self.shared.notify();
    }
}

/// One queue thread: starts the first ready operation, in the order they were added.
fn worker(shared: &QueueShared) {
    loop {
        let mut s = shared.lock();
        let op = loop {
            if let Some(at) = s.pending.iter().position(Operation::is_ready) {
                break s.pending.remove(at);
            }
            if s.closed {
                return;
            }
            s = shared.wait(&shared.ready, s);
        };
        s.running += 1;
        drop(s);
        op.start();
        shared.lock().running -= 1;
        shared.notify();
    }
}
