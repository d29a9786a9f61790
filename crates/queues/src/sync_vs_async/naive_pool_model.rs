//! A model of a fixed-size thread pool whose `sync` submits the job and blocks for its result —
//! whoever calls it. Only Q9's broken twin uses it.
//!
//! This version is problematic.
//!
//! Called from outside the pool, `sync` is fine. Called from one of the pool's own workers it
//! blocks that worker waiting for a job that needs a free worker; with every worker waiting like
//! this (here: the only one), nothing can ever run it.
//!
//! Both waits are recorded through `kit::wait` — a worker's wait for the next job, and `sync`'s
//! wait for its reply — so the watchdog sees every thread blocked with nothing left to wake any,
//! and proves the deadlock at once instead of timing it out.

use std::sync::{Arc, Mutex, mpsc};

use racelab_kit::step;
use racelab_kit::sync::prelude::*;
use racelab_kit::trace::Step;
use racelab_kit::wait::{self, Resource};

type Job = Box<dyn FnOnce() + Send>;

/// What `sync` says as it begins to wait: `waits for the pool to run its sync job`.
pub const WAITS_FOR: Step = Step("waits for the pool");

/// A pool of `threads` workers named `pool-0`, `pool-1`, … sharing one job channel.
#[derive(Clone)]
pub struct NaivePool {
    jobs: mpsc::Sender<Job>,
    queued: Arc<Resource>, // the workers' idle wait, recorded so the watchdog can prove a deadlock
}

impl NaivePool {
    /// A new pool with `threads` workers.
    pub fn new(threads: usize) -> Self {
        let (jobs, inbox) = mpsc::channel::<Job>();
        let inbox = Arc::new(Mutex::new(inbox));
        let queued = Arc::new(Resource::new("a job on the pool"));
        for i in 0..threads {
            let (inbox, waits) = (inbox.clone(), queued.clone());
            drop(Std::spawn(&format!("pool-{i}"), move || {
                while let Ok(job) = wait::recv(&inbox.lock().unwrap(), &waits) {
                    job();
                }
            }));
        }
        NaivePool { jobs, queued }
    }

    // ANCHOR: sync
    /// Submits `job` and blocks until a worker has run it — even when the caller *is* a worker.
    pub fn sync<R: Send + 'static>(&self, job: impl FnOnce() -> R + Send + 'static) -> R {
        let (reply, answer) = mpsc::sync_channel(1);
        let done = Arc::new(Resource::new("its sync job on the pool"));
        let ticket = done.ticket(); // recorded wait: taken before the job can run
        step!(WAITS_FOR, " to run its sync job");
        let ran = done.clone();
        let job: Job = Box::new(move || {
            let _ = reply.send(job());
            ran.wake();
        });
        self.jobs.send(job).expect("the pool is alive");
        self.queued.wake();
        ticket.wait(|| answer.recv()).expect("the sync job ran")
    }
    // ANCHOR_END: sync
}
