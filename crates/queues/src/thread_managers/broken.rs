//! Q3, broken: the guide's `ThreadBasedManager`, as Rust lets you write it — and it still leaks
//! every thread.
//!
//! This version is problematic.
//!
//! The compiler has already removed the data race (the literal port does not compile, see
//! `tests/compile_fail/thread_managers_*.rs`): the thread list is behind a `Mutex`, and the
//! thread body gets an `Arc` of the manager to call `perform_work` on — `self.performWork()`,
//! which in Swift retains the manager too. The tempting finishing touch is a `Drop` that stops and
//! joins the workers. It never runs: each worker holds the manager, and each worker runs until the
//! manager stops it. Dropping your handle to the manager leaves it alive, its threads running,
//! and nobody able to stop or join them.

use std::sync::{Arc, Mutex};

use racelab_kit::step;
use racelab_kit::sync::prelude::*;

use super::{StopSignal, Worker};

/// Starts workers on threads of their own; stops and joins them when dropped (in theory).
#[derive(Default)]
pub struct ThreadBasedManager {
    workers: Mutex<Vec<Worker>>,
}

// ANCHOR: manager
impl ThreadBasedManager {
    /// Starts a worker thread named `name`.
    pub fn start_work(self: &Arc<Self>, name: &str) {
        let stop = Arc::new(StopSignal::default());
        let (this, signal) = (Arc::clone(self), stop.clone()); // the thread holds the manager
        let thread = Std::spawn(name, move || this.perform_work(&signal));
        self.workers.lock().unwrap().push(Worker { stop, thread });
    }

    /// A long-running worker: works until told to stop.
    fn perform_work(&self, stop: &StopSignal) {
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
