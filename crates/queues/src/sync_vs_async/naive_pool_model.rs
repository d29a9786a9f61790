//! A model of a fixed-size thread pool whose `sync` submits the job and blocks for its result —
//! whoever calls it. Only Q9's broken twin uses it.
//!
//! This version is problematic.
//!
//! Called from outside the pool, `sync` is fine. Called from one of the pool's own workers it
//! blocks that worker waiting for a job that needs a free worker; with every worker waiting like
//! this (here: the only one), nothing can ever run it.

use std::sync::{Arc, Mutex, mpsc};

use racelab_kit::say;
use racelab_kit::sync::prelude::*;

type Job = Box<dyn FnOnce() + Send>;

/// A pool of `threads` workers named `pool-0`, `pool-1`, … sharing one job channel.
#[derive(Clone)]
pub struct NaivePool {
    jobs: mpsc::Sender<Job>,
}

impl NaivePool {
    /// A new pool with `threads` workers.
    pub fn new(threads: usize) -> Self {
        let (jobs, inbox) = mpsc::channel::<Job>();
        let inbox = Arc::new(Mutex::new(inbox));
        for i in 0..threads {
            let inbox = inbox.clone();
            drop(Std::spawn(&format!("pool-{i}"), move || {
                loop {
                    let job = inbox.lock().unwrap().recv();
                    match job {
                        Ok(job) => job(),
                        Err(_) => break,
                    }
                }
            }));
        }
        NaivePool { jobs }
    }

    // ANCHOR: sync
    /// Submits `job` and blocks until a worker has run it — even when the caller *is* a worker.
    pub fn sync<R: Send + 'static>(&self, job: impl FnOnce() -> R + Send + 'static) -> R {
        let (reply, answer) = mpsc::sync_channel(1);
        say!("waits for the pool to run its sync job");
        let job: Job = Box::new(move || {
            let _ = reply.send(job());
        });
        self.jobs.send(job).expect("the pool is alive");
        answer.recv().expect("the sync job ran")
    }
    // ANCHOR_END: sync
}
