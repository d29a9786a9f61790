//! Q13's scenario plumbing, apart from the scenarios and the check in [`super`]: [`Counted`]
//! (a queue whose jobs are counted while in flight, so a scenario can wait until nothing is left
//! to run — never a sleep), [`Script`] (what each task does: hold on a gate, or finish), and
//! [`Env`] (the queues and script one scenario shares with its manager).

use std::collections::HashSet;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Arc, Mutex};

use racelab_kit::gauge::Gauge;
use racelab_kit::latch::Latch;
use racelab_kit::sync::lock_unpoisoned as lock;
use racelab_kit::wait;

use racelab_dispatch::group::Dispatch;
use racelab_dispatch::serial_queue::SerialQueue;

/// A queue whose jobs are counted while in flight (enqueued, running, or held), so the scenario
/// can tell when nothing is left to run — without sleeping, on any queue.
#[derive(Clone)]
pub struct Counted<Q> {
    inner: Q,
    in_flight: Arc<AtomicUsize>,
}

impl<Q: Dispatch> Dispatch for Counted<Q> {
    fn dispatch_async(&self, job: impl FnOnce() + Send + 'static) {
        struct Done(Arc<AtomicUsize>);
        impl Drop for Done {
            fn drop(&mut self) {
                self.0.fetch_sub(1, SeqCst);
            }
        }
        self.in_flight.fetch_add(1, SeqCst);
        let done = Done(self.in_flight.clone());
        self.inner.dispatch_async(move || {
            let _done = done; // counted out after the job, and after what it enqueued
            job();
        });
    }
    fn width(&self) -> usize {
        self.inner.width()
    }
}

/// The scenario's side of the tasks: which tasks hold, and what the tasks report.
#[derive(Default)]
pub struct Script {
    /// Tasks that hold until released: `"B/task1"`, or `"*/process"` for every phase-3 task.
    hold: Mutex<HashSet<String>>,
    /// Opened once by `main`; the held tasks wait on it, and it counts them while they do.
    released: Latch,
    /// Runs whose data tasks wait until `main` has started every run (see [`Script::start_after`]).
    gated: Mutex<HashSet<String>>,
    /// Opened by `main` once every run has been started.
    all_started: Latch,
    processing: Gauge,
    phase_2: Mutex<Vec<String>>,
}

impl Script {
    fn holds(&self, run: &str, task: &str) -> bool {
        let hold = lock(&self.hold);
        hold.contains(&format!("{run}/{task}"))
            || (task.starts_with("process") && hold.contains("*/process"))
    }

    fn hold_if_asked(&self, run: &str, task: &str) {
        if !self.holds(run, task) {
            return;
        }
        // Counted as held while it waits; opening counts every held task out at once, so `settle`
        // cannot mistake a released task that has not woken yet for one still held.
        self.released.wait();
    }

    /// The guide's `performDataTask` (its `Thread.sleep(1.0)` is the hold).
    pub fn perform_data_task(&self, run: &str, task: &str) {
        if lock(&self.gated).contains(run) {
            self.all_started.wait();
        }
        self.hold_if_asked(run, task);
    }

    /// `run`'s data tasks wait until [`Script::all_started`]: so run A cannot finish its phase 1
    /// before `main` has even started run B, which would let A's notify fire before B enters a
    /// shared group — the order the scenario is about would then depend on thread timing.
    pub fn start_after(&self, run: &str) {
        lock(&self.gated).insert(run.to_string());
    }

    /// Every run has been started: the gated data tasks may go.
    pub fn all_started(&self) {
        self.all_started.open();
    }

    /// The guide's `performProcessingTask`, with a gauge of how many run at once.
    pub fn perform_processing_task(&self, run: &str, task: &str) {
        let _running = self.processing.enter();
        self.hold_if_asked(run, task);
    }

    /// Phase 2 has started for `run`.
    pub fn phase_2_started(&self, run: &str) {
        lock(&self.phase_2).push(run.to_string());
    }

    /// The runs whose phase 2 has started, in order.
    pub fn phase_2(&self) -> Vec<String> {
        lock(&self.phase_2).clone()
    }

    /// The most phase-3 tasks that ever ran at once.
    pub fn processing_peak(&self) -> usize {
        self.processing.peak()
    }

    /// Releases every held task.
    pub fn release(&self) {
        self.released.open();
    }

    /// How many tasks are held right now.
    pub fn held_now(&self) -> usize {
        self.released.waiting()
    }
}

/// What a scenario gives a manager: the script, the shared "main queue", and the in-flight count.
pub struct Env {
    /// The tasks' script.
    pub script: Arc<Script>,
    main: SerialQueue,
    in_flight: Arc<AtomicUsize>,
}

impl Env {
    /// An environment whose tasks named in `hold` (`"B/task1"`, `"*/process"`) hold until released.
    pub fn new(hold: &[&str]) -> Self {
        let script = Script::default();
        lock(&script.hold).extend(hold.iter().map(|s| s.to_string()));
        Env {
            script: Arc::new(script),
            main: SerialQueue::new("main-queue"),
            in_flight: Arc::default(),
        }
    }

    /// `queue`, with its jobs counted.
    pub fn counted<Q: Dispatch>(&self, queue: Q) -> Counted<Q> {
        Counted {
            inner: queue,
            in_flight: self.in_flight.clone(),
        }
    }

    /// The stand-in for `DispatchQueue.main`, counted.
    pub fn main_queue(&self) -> Counted<SerialQueue> {
        self.counted(self.main.clone())
    }

    /// Waits until every job in flight on every queue is held: nothing else can happen until
    /// `main` releases them. Exact, because a job is counted out only after the jobs it enqueued
    /// (a `leave` that fires a notify) are counted in.
    pub fn settle(&self) {
        wait::until("the workflow settles", || {
            self.in_flight.load(SeqCst) == self.script.held_now()
        });
    }
}
