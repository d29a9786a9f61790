//! Q3, fixed: the same manager, whose threads hold only their stop signal — so dropping the
//! manager runs its `Drop`, which stops and joins every worker.
//!
//! One change: the thread body no longer captures the manager (`self.performWork()`), only what
//! it needs, so the manager's lifetime is its owner's again. `start_work` can then take `&self`.
//! After the manager is dropped, no worker of it is left running. The thread list still grows
//! with every `start_work` until then: for many short jobs, use a pool or a queue — the guide's
//! `QueueBasedManager` — not a thread each.

use std::sync::{Arc, Mutex};

use racelab_kit::step;
use racelab_kit::sync::prelude::*;

use super::{StopSignal, Worker};

/// Starts workers on threads of their own; stops and joins them when dropped.
#[derive(Default)]
pub struct ThreadBasedManager {
    workers: Mutex<Vec<Worker>>,
}

// ANCHOR: manager
impl ThreadBasedManager {
    /// Starts a worker thread named `name`.
    pub fn start_work(&self, name: &str) {
        let stop = Arc::new(StopSignal::default());
        let signal = stop.clone(); // the thread holds its stop signal, not the manager
        let thread = Std::spawn(name, move || Self::perform_work(&signal));
        self.workers.lock().unwrap().push(Worker { stop, thread });
    }

    /// A long-running worker: works until told to stop.
    fn perform_work(stop: &StopSignal) {
        step!(super::WORKS);
        stop.wait();
        step!(super::EXITS);
    }
}

impl Drop for ThreadBasedManager {
    fn drop(&mut self) {
        for worker in self.workers.get_mut().unwrap().drain(..) {
            worker.stop_and_join();
        }
    }
}
// ANCHOR_END: manager
