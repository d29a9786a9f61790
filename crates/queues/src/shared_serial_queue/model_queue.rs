//! The loom model of GCD for Q1: serial queues as threads that run their jobs in order.
//!
//! loom explores a fixed set of threads, so the model keeps a serial queue to its essence: **one
//! thread per queue instance, running that queue's jobs one after another**. (GCD gives a serial
//! queue no thread of its own — its jobs run one at a time on whichever pool thread is free, Q8 —
//! but the ordering is the same: one job at a time within a queue, none between queues.) [`Gcd::queue`] makes a
//! queue (GCD's `DispatchQueue(label:)`), [`Queue::dispatch_async`] adds a job, and [`Gcd::run`]
//! starts one thread per queue made so far and waits for them all. Starting the threads after
//! the jobs are enqueued (like a queue created `.initiallyInactive` and then activated) removes no
//! interesting interleaving: the jobs race with each other, not with the code that enqueues them.
//! The job lists use `std` locks: only the work the jobs do is under test, not the bookkeeping.

use std::sync::{Arc, Mutex};

use racelab_kit::sync::prelude::*;

type Job = Box<dyn FnOnce() + Send>;

/// A serial queue of the model: a label and the jobs enqueued on it. Cloning shares the queue.
#[derive(Clone)]
pub struct Queue {
    jobs: Arc<Mutex<Vec<Job>>>,
}

impl Queue {
    /// Enqueues `job`; it runs when the model runs, after the jobs enqueued before it.
    pub fn dispatch_async(&self, job: impl FnOnce() + Send + 'static) {
        self.jobs.lock().unwrap().push(Box::new(job));
    }
}

/// The model's dispatch runtime: it remembers every queue made, so that it can run them.
#[derive(Clone, Default)]
pub struct Gcd {
    queues: Arc<Mutex<Vec<(String, Queue)>>>,
}

impl Gcd {
    /// A new serial queue — a new one on every call, whatever its label (labels are only names).
    pub fn queue(&self, label: &str) -> Queue {
        let queue = Queue {
            jobs: Arc::default(),
        };
        let mut queues = self.queues.lock().unwrap();
        // Two queues may share a label; their threads are told apart by their number.
        let name = format!("{label} #{}", queues.len() + 1);
        queues.push((name, queue.clone()));
        queue
    }

    /// Runs every queue: one thread per queue, each running its own jobs in order; then waits.
    pub fn run<P: Primitives>(&self) {
        let queues = std::mem::take(&mut *self.queues.lock().unwrap());
        let threads: Vec<_> = queues
            .into_iter()
            .map(|(name, queue)| {
                let jobs = std::mem::take(&mut *queue.jobs.lock().unwrap());
                P::spawn(&name, move || jobs.into_iter().for_each(|job| job()))
            })
            .collect();
        for thread in threads {
            thread.join();
        }
    }
}
