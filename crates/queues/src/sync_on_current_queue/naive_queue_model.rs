//! A model of a serial queue whose `sync` has no self-deadlock check — what a first implementation
//! (and GCD before it learnt to crash on this) does. Only Q6's broken twin uses it.
//!
//! This version is problematic.
//!
//! It is [`SerialQueue`](racelab_dispatch::serial_queue::SerialQueue) minus the queue-specific key: the same
//! labelled worker thread and FIFO channel, and a `sync` that enqueues its job and waits for the
//! reply whoever calls it. From a job on this very queue the reply can never come.

use std::sync::{Arc, mpsc};

use racelab_kit::say;
use racelab_kit::sync::prelude::*;

type Job = Box<dyn FnOnce() + Send>;

/// A labelled serial queue with an unchecked `sync`. Cloning shares the queue.
#[derive(Clone)]
pub struct NaiveSerialQueue {
    label: Arc<str>,
    jobs: mpsc::Sender<Job>,
}

impl NaiveSerialQueue {
    /// A new queue whose worker thread is named `label`.
    pub fn new(label: &str) -> Self {
        let (jobs, inbox) = mpsc::channel::<Job>();
        drop(Std::spawn(label, move || {
            for job in inbox {
                job();
            }
        }));
        NaiveSerialQueue {
            label: label.into(),
            jobs,
        }
    }

    /// Enqueues `job` and returns at once.
    pub fn dispatch_async(&self, job: impl FnOnce() + Send + 'static) {
        self.jobs.send(Box::new(job)).expect("the worker is alive");
    }

    // ANCHOR: sync
    /// Enqueues `job` and waits for its value — even when the caller *is* this queue's job.
    pub fn sync<R: Send + 'static>(&self, job: impl FnOnce() -> R + Send + 'static) -> R {
        let (reply, answer) = mpsc::sync_channel(1);
        say!("waits for {} to run its sync job", self.label);
        self.dispatch_async(move || {
            let _ = reply.send(job());
        });
        answer.recv().expect("the sync job ran")
    }
    // ANCHOR_END: sync
}
