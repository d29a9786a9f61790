//! A model of a serial queue whose `sync` has no self-deadlock check — what a first implementation
//! (and GCD before it learnt to crash on this) does. Only Q6's broken twin uses it.
//!
//! This version is problematic.
//!
//! It is [`SerialQueue`](racelab_dispatch::serial_queue::SerialQueue) minus the queue-specific key: the same
//! labelled worker thread and FIFO channel, and a `sync` that enqueues its job and waits for the
//! reply whoever calls it. From a job on this very queue the reply can never come.

use std::sync::{Arc, mpsc};

use racelab_kit::step;
use racelab_kit::sync::prelude::*;
use racelab_kit::trace::Step;
use racelab_kit::wait::{self, Resource};

type Job = Box<dyn FnOnce() + Send>;

/// What `sync` says as it begins to wait: `waits for <queue> to run its sync job`.
pub const WAITS_FOR: Step = Step("waits for");

/// A labelled serial queue with an unchecked `sync`. Cloning shares the queue.
#[derive(Clone)]
pub struct NaiveSerialQueue {
    label: Arc<str>,
    jobs: mpsc::Sender<Job>,
    queued: Arc<Resource>, // the worker's idle wait, recorded so the watchdog can prove a deadlock
}

impl NaiveSerialQueue {
    /// A new queue whose worker thread is named `label`.
    pub fn new(label: &str) -> Self {
        let (jobs, inbox) = mpsc::channel::<Job>();
        let queued = Arc::new(Resource::new(format!("a job on {label}")));
        let waits = queued.clone();
        drop(Std::spawn(label, move || {
            while let Ok(job) = wait::recv(&inbox, &waits) {
                job();
            }
        }));
        NaiveSerialQueue {
            label: label.into(),
            jobs,
            queued,
        }
    }

    /// Enqueues `job` and returns at once.
    pub fn dispatch_async(&self, job: impl FnOnce() + Send + 'static) {
        self.jobs.send(Box::new(job)).expect("the worker is alive");
        self.queued.wake();
    }

    // ANCHOR: sync
    /// Enqueues `job` and waits for its value — even when the caller *is* this queue's job.
    pub fn sync<R: Send + 'static>(&self, job: impl FnOnce() -> R + Send + 'static) -> R {
        let (reply, answer) = mpsc::sync_channel(1);
        let done = Arc::new(Resource::new(format!("its sync job on {}", self.label)));
        let ticket = done.ticket(); // recorded wait: taken before the job can run
        step!(WAITS_FOR, on & self.label, " to run its sync job");
        let ran = done.clone();
        self.dispatch_async(move || {
            let _ = reply.send(job());
            ran.wake();
        });
        ticket.wait(|| answer.recv()).expect("the sync job ran")
    }
    // ANCHOR_END: sync
}
