//! Q3 `thread_managers` — a manager that starts a thread per job: in Swift a data race on its
//! thread list, and threads nobody joins; in Rust the race does not compile, and a worker that
//! holds the manager keeps it — and itself — alive forever. Capturing only what the worker needs
//! lets the manager's `Drop` stop and join every worker.
//!
//! Ports the guide's "Concurrency Models in iOS": "1. Thread-Based Concurrency" (L213–242; the code
//! is L223–242) and "2. Queue-Based Concurrency" (L244–270; the code is L254–270). The guide calls
//! the thread version "not recommended" and leaves it there. What is wrong with it:
//!
//! * `threads.append(thread)` (L234) mutates a plain array with no lock; if `startWork()` is called
//!   from two threads, that is a data race — undefined behaviour that can corrupt the array.
//! * the threads are never joined or removed: the array only grows, and nothing waits for the work
//!   to end;
//! * each thread's closure calls `self.performWork()`, so it retains the manager for as long as it
//!   runs: the manager cannot go away while any worker runs.
//!
//! `QueueBasedManager` (L256–269) is fine as it stands: the manager owns no thread at all — GCD
//! runs the queue's blocks on threads of its shared pool (a serial queue is one block at a time,
//! not one thread: Q8) — and a block that captures `self` releases it when it has run. The guide
//! is right to recommend it.
//!
//! * The literal port does not compile — three compile-fail cases in `tests/compile_fail/`: the
//!   append through `&self` (E0596), the array in a `RefCell` shared by two threads (E0277), and a
//!   thread body that borrows `self` (E0521).
//! * **broken** ([`broken`]): what compiles — the list behind a `Mutex`, the thread given an `Arc`
//!   of the manager, and a `Drop` that stops and joins. On real threads, under the [`watchdog`],
//!   `main` starts two workers (gated on each saying it works), then drops its manager: the
//!   manager is still alive (a `Weak` still upgrades), no worker has exited, and none ever will —
//!   they are leaked, every run.
//! * **fixed** ([`fixed`]): the thread holds only its stop signal; dropping the manager runs `Drop`,
//!   which stops and joins each worker in turn: when `drop` returns, every worker has exited.

use std::sync::Arc;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::latch::Latch;
use racelab_kit::sync::Joined;
use racelab_kit::trace::{Step, Trace, traced};
use racelab_kit::watchdog::{self, Outcome};
use racelab_kit::{say, wait};

pub mod broken;
pub mod fixed;

/// A one-shot "stop" a worker waits for: the kit's [`Latch`] — `open` stops the worker, `wait`
/// blocks until then, with no bound (a worker nobody stops stays blocked: that is the leak the
/// broken twin shows).
pub type StopSignal = Latch;

/// A started worker: its stop signal and its thread.
pub struct Worker {
    stop: Arc<StopSignal>,
    thread: Joined<std::thread::JoinHandle<()>>,
}

impl Worker {
    /// Stops the worker and waits for its thread to end.
    pub fn stop_and_join(self) {
        let name = self
            .thread
            .thread()
            .name()
            .unwrap_or("a worker")
            .to_string();
        say!("stops and joins {name}");
        self.stop.open();
        self.thread.join();
    }
}

/// What a worker says once it is working.
pub const WORKS: Step = Step("works");
/// What a worker says as it ends.
pub const EXITS: Step = Step("exits");

/// The workers' names.
pub const WORKERS: [&str; 2] = ["worker-1", "worker-2"];

/// What `main` saw right after dropping its manager.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AfterDrop {
    /// Whether the manager still existed (a `Weak` to it still upgraded).
    pub manager_alive: bool,
    /// The workers that had exited.
    pub exited: Vec<String>,
}

// ANCHOR: scenario
/// On real threads, under the watchdog: `main` starts both workers, waiting (a gate) until each
/// has reached [`WORKS`], keeps a `Weak` to the manager, drops the manager, and looks.
pub fn scenario(variant: Variant, trace: &Trace) -> Outcome<AfterDrop> {
    let trace = trace.clone();
    watchdog::watch(move || {
        let start = |start_work: &dyn Fn(&str)| {
            for name in WORKERS {
                start_work(name);
                wait::until(format!("{name} works"), || wait::reached(name, WORKS));
            }
        };
        let manager_alive = match variant {
            Variant::Broken => {
                let manager = Arc::new(broken::ThreadBasedManager::default());
                start(&|name| manager.start_work(name));
                let weak = Arc::downgrade(&manager);
                say!("drops the manager");
                drop(manager);
                weak.upgrade().is_some()
            }
            Variant::Fixed => {
                let manager = Arc::new(fixed::ThreadBasedManager::default());
                start(&|name| manager.start_work(name));
                let weak = Arc::downgrade(&manager);
                say!("drops the manager");
                drop(manager);
                weak.upgrade().is_some()
            }
        };
        let exited = exited(&trace);
        say!("sees the manager alive: {manager_alive}; workers exited: {exited:?}");
        AfterDrop {
            manager_alive,
            exited,
        }
    })
}
// ANCHOR_END: scenario

/// The workers that have reached [`EXITS`].
pub fn exited(trace: &Trace) -> Vec<String> {
    WORKERS
        .iter()
        .filter(|w| trace.reached(w, EXITS, None))
        .map(|w| w.to_string())
        .collect()
}

/// Runs the scenario for one twin and returns its result and trace.
pub fn run_scenario(variant: Variant) -> (Outcome<AfterDrop>, Trace) {
    traced(|trace| scenario(variant, trace))
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "Q3",
    name: "thread_managers",
    summary: "worker threads that hold their manager keep it alive and are never joined; holding only a stop signal lets Drop join them",
    run: demo,
};

/// The demo: two workers, then the manager is dropped, on real threads under the watchdog.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading("real threads: main starts two workers, then drops the manager");
    let (watched, trace) = run_scenario(variant);
    report.trace(&trace);
    let bug = match watched {
        Outcome::Finished(after) => {
            if after.manager_alive {
                report.line(
                    "=> the manager outlives its owner: each worker holds it, and its Drop \
                     (which would stop them) never runs.",
                );
            }
            let left: Vec<&str> = WORKERS
                .into_iter()
                .filter(|w| !after.exited.iter().any(|e| e == w))
                .collect();
            if !left.is_empty() {
                report.line(format!(
                    "=> still running, and nobody can stop or join them: {}",
                    left.join(", ")
                ));
            }
            (after.manager_alive || !left.is_empty()).then(|| {
                format!(
                    "after the manager was dropped, {} worker(s) still run, leaked",
                    left.len()
                )
            })
        }
        Outcome::Deadlocked(proof) => {
            let waits = report.deadlocked(&proof);
            Some(format!("dropping the manager hung: {waits}"))
        }
        // The backstop proves nothing: only the fixed twin fails on it.
        Outcome::Stalled { idle } => report.stall(idle, &trace),
    };
    report.conclude(
        bug,
        "dropping the manager stops and joins every worker: each has exited when drop returns",
    );
    report
}
