//! `PriorityQueue`: a labelled queue with one worker thread that runs the highest-priority job
//! first — the chapter's executable model of "priority decides the order", which is what the guide
//! says QoS does (L1546) and what QoS does not do (Q7).
//!
//! * [`PriorityQueue::dispatch_async`] enqueues a named job at a [`Priority`]; jobs may enqueue more
//!   jobs (a job that re-enqueues itself is how an animation, a poller or a retry loop looks).
//! * One worker runs one job at a time. Each run is a numbered **step**; the worker narrates it
//!   (`step 5: runs frame 4 (high; waited 1 step)`) signed with the queue's label, and keeps a
//!   log ([`PriorityQueue::ran`]) — steps, not seconds, so the order is the whole story and it is
//!   the same on every run.
//! * [`PriorityQueue::inactive`] + [`PriorityQueue::activate`] is GCD's `.initiallyInactive`
//!   attribute: submit everything, then let the worker start. With all work submitted before
//!   activation, and new work submitted only by the jobs themselves (on the worker), the order
//!   depends on the [`Policy`] alone — no thread timing can change it.
//!
//! The policy is the lesson:
//!
//! * [`Policy::Strict`] always runs the highest priority waiting (FIFO within a priority). A
//!   stream of high-priority work starves everything below it for as long as it lasts.
//! * [`Policy::Aging`] raises a waiting job's *effective* priority by one level for every `every`
//!   steps it has waited, up to the top; among equals the older job runs first. A job of level `p`
//!   below the top reaches the top within `(top − p) × every` steps, whatever arrives after it;
//!   from there it waits at most for the jobs that were already waiting when it was submitted
//!   (they are older, and win ties).
//!
//! The pick is a linear scan over the waiting jobs (effective priority changes as jobs wait, which
//! a `BinaryHeap` keyed once cannot follow); at the handful of jobs a demo has that costs nothing.
//! A production executor would keep one FIFO per level and age whole levels, or use weighted
//! round-robin / deficit round-robin between levels.
//!
//! Not OS priorities: this orders *jobs within one queue*. Thread priorities (`nice`,
//! `SCHED_FIFO`/`SCHED_RR`, the `thread-priority` crate) decide which *thread* a CPU runs, need
//! privileges for the real-time classes, and are not used anywhere in racelab's tests.

use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use racelab_kit::say;
use racelab_kit::sync::{Primitives, Std, lock_unpoisoned};

type Job = Box<dyn FnOnce() + Send>;

/// How urgent a job is. `High > Normal > Low`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Priority {
    /// Maintenance: cleanup, prefetching (the guide's `.background`).
    Low,
    /// Everything else (the guide's `.default`).
    Normal,
    /// What the user is waiting for: frames, input (the guide's `.userInteractive`).
    High,
}

impl Priority {
    fn level(self) -> usize {
        self as usize
    }

    const TOP: usize = Priority::High as usize;
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Priority::Low => "low",
            Priority::Normal => "normal",
            Priority::High => "high",
        })
    }
}

/// How the worker picks the next job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// Highest priority first, FIFO within a priority. Can starve low priorities.
    Strict,
    /// Highest *effective* priority first: a waiting job gains one level per `every` steps waited
    /// (up to the top), and among equals the older job wins. Nothing waits forever.
    Aging {
        /// Steps of waiting per level gained (at least 1).
        every: usize,
    },
}

/// One run of a job, as the queue's log records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ran {
    /// The step it ran at, from 1.
    pub step: usize,
    /// The job's name.
    pub name: String,
    /// The priority it was submitted at.
    pub priority: Priority,
    /// How many other jobs ran between its submission and its run.
    pub waited: usize,
}

/// A labelled priority queue with one worker. Cloning shares the queue; when the last handle is
/// dropped the worker finishes the jobs already queued (if the queue was activated) and exits.
#[derive(Clone)]
pub struct PriorityQueue {
    shared: Arc<Shared>,
    _handle: Arc<Handle>,
}

struct Shared {
    label: String,
    policy: Policy,
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Default)]
struct State {
    waiting: Vec<Waiting>,
    next_seq: u64,
    steps: usize,
    active: bool,
    running: bool,
    closed: bool,
    log: Vec<Ran>,
}

struct Waiting {
    name: String,
    priority: Priority,
    seq: u64,
    /// `steps` when it was submitted.
    since: usize,
    job: Job,
}

/// Dropped with the last handle: tells the worker no more work can come from outside.
struct Handle(Arc<Shared>);

impl Drop for Handle {
    fn drop(&mut self) {
        self.0.lock().closed = true;
        self.0.changed.notify_all();
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        // A job runs outside the lock, so a panicking job cannot poison it; be robust anyway.
        lock_unpoisoned(&self.state)
    }
}

impl fmt::Debug for PriorityQueue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PriorityQueue")
            .field("label", &self.shared.label)
            .field("policy", &self.shared.policy)
            .finish_non_exhaustive()
    }
}

impl PriorityQueue {
    /// A queue whose worker (a thread named `label`) starts running jobs at once.
    pub fn new(label: &str, policy: Policy) -> Self {
        let queue = Self::inactive(label, policy);
        queue.activate();
        queue
    }

    /// A queue that holds its jobs until [`PriorityQueue::activate`] (GCD's `.initiallyInactive`).
    pub fn inactive(label: &str, policy: Policy) -> Self {
        if let Policy::Aging { every } = policy {
            assert!(every >= 1, "Policy::Aging needs every >= 1");
        }
        let shared = Arc::new(Shared {
            label: label.to_string(),
            policy,
            state: Mutex::new(State::default()),
            changed: Condvar::new(),
        });
        let worker = shared.clone();
        drop(Std::spawn(label, move || work(&worker)));
        PriorityQueue {
            _handle: Arc::new(Handle(shared.clone())),
            shared,
        }
    }

    /// The label given at creation (the worker thread's name).
    pub fn label(&self) -> &str {
        &self.shared.label
    }

    /// Lets the worker start (idempotent).
    pub fn activate(&self) {
        self.shared.lock().active = true;
        self.shared.changed.notify_all();
    }

    /// Enqueues `job`, called `name`, at `priority`; returns at once.
    pub fn dispatch_async(
        &self,
        priority: Priority,
        name: impl Into<String>,
        job: impl FnOnce() + Send + 'static,
    ) {
        let mut state = self.shared.lock();
        let seq = state.next_seq;
        state.next_seq += 1;
        let since = state.steps;
        state.waiting.push(Waiting {
            name: name.into(),
            priority,
            seq,
            since,
            job: Box::new(job),
        });
        drop(state);
        self.shared.changed.notify_all();
    }

    /// Blocks until the queue is active, nothing waits and nothing runs — or `timeout` passes.
    /// Returns whether it went idle. The timeout bounds the wait; it orders nothing.
    pub fn wait_idle(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let mut state = self.shared.lock();
        loop {
            if state.active && !state.running && state.waiting.is_empty() {
                return true;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            state = self
                .shared
                .changed
                .wait_timeout(state, left)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }

    /// Every job run so far, in order.
    pub fn ran(&self) -> Vec<Ran> {
        self.shared.lock().log.clone()
    }
}

/// The index of the job `policy` runs next among `waiting`, after `steps` steps.
fn pick(policy: Policy, waiting: &[Waiting], steps: usize) -> usize {
    let effective = |w: &Waiting| match policy {
        Policy::Strict => w.priority.level(),
        Policy::Aging { every } => {
            (w.priority.level() + (steps - w.since) / every).min(Priority::TOP)
        }
    };
    // Highest effective priority; among equals, the smallest sequence number (the oldest).
    (0..waiting.len())
        .max_by_key(|&i| (effective(&waiting[i]), std::cmp::Reverse(waiting[i].seq)))
        .expect("pick is only called with jobs waiting")
}

// ANCHOR: worker
/// The worker: picks a job by the policy, narrates the step, runs it outside the lock.
fn work(shared: &Shared) {
    loop {
        let mut state = shared.lock();
        while !state.active || state.waiting.is_empty() {
            if state.closed && (state.waiting.is_empty() || !state.active) {
                return;
            }
            state = shared
                .changed
                .wait(state)
                .unwrap_or_else(|p| p.into_inner());
        }
        let chosen = pick(shared.policy, &state.waiting, state.steps);
        let Waiting {
            name,
            priority,
            since,
            job,
            ..
        } = state.waiting.remove(chosen);
        let waited = state.steps - since;
        state.steps += 1;
        let step = state.steps;
        state.running = true;
        state.log.push(Ran {
            step,
            name: name.clone(),
            priority,
            waited,
        });
        drop(state);
        let plural = if waited == 1 { "" } else { "s" };
        say!("step {step}: runs {name} ({priority}; waited {waited} step{plural})");
        // A panicking job must not take the queue down.
        let _ = catch_unwind(AssertUnwindSafe(job));
        shared.lock().running = false;
        shared.changed.notify_all();
    }
}
// ANCHOR_END: worker
