//! Q14 `target_queue_hierarchy` — a queue that targets a serial queue is serialized with it, so a
//! long job on the "dependency" queue holds every "critical" job behind it.
//!
//! Ports the guide's "Custom Dispatch Queue Hierarchies" (L1130–1192; code L1131–1191). Two
//! findings:
//!
//! * **It does not compile.** `attributes: .serial` (L1137, L1162): `DispatchQueue.Attributes`
//!   has `.concurrent` and `.initiallyInactive`, no `.serial` — serial is what you get with no
//!   attributes. (Not checked by a Swift compiler here; Rust has no analogue to make a
//!   compile-fail case of.)
//! * **It misexplains the target.** The comment at L1186 says targeting makes `dependencyQueue`
//!   "respect the critical queue's priority". Apple's `dispatch_set_target_queue` documentation
//!   does say a queue inherits its target's priority — but both queues ask for `.userInitiated`
//!   anyway (L1135, L1161), so that adds nothing. What the same documentation says next, and the
//!   guide never does, is the main effect: a block on a serial queue whose target is another
//!   serial queue "is not invoked concurrently with blocks submitted to the target queue or to any
//!   other queue with that same target queue". Dependent and critical jobs share one drain; a
//!   long dependent job delays critical work (head-of-line blocking), and a `sync` onto the
//!   critical queue from a dependent job is a self-deadlock.
//!
//! The mechanism is right and the tests say so (at most one job in flight across the hierarchy);
//! the expectation is wrong.
//!
//! * **broken** ([`broken`]): the guide's manager, the dependency queue built with
//!   [`SerialQueue::with_target`](racelab_dispatch::serial_queue::SerialQueue::with_target) onto the critical
//!   queue.
//! * **fixed** ([`fixed`]): the dependency queue is a serial queue of its own — one line.
//!
//! **The check** ([`scenario`]), on real threads: a long dependent job starts and is held at a
//! gate that `main` controls; then `main` submits a critical job whose result is shown on the
//! [`MainQueue`] and runs its run loop for [`PATIENCE`]. With the target, the critical job cannot
//! start — the one drain is busy with the held job — so no result comes, every run: the gate, not a
//! timing, makes it so, and `PATIENCE` only bounds how long `main` looks (it is the watchdog's idle
//! time, the chapter's measure of "stuck"). Then `main` opens the gate and the critical job runs
//! after the dependent one. Fixed: the critical job runs while the dependent job is held, with two
//! jobs in flight.
//!
//! The QoS half of the story is prose (book page): QoS is Apple-only, and what a target does to it
//! is not observable here.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::time::{Duration, Instant};

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::say;
use racelab_kit::trace::{Trace, traced};
use racelab_kit::watchdog::{DEADLOCK_TIMEOUT, GATE_TIMEOUT};

use racelab_dispatch::main_queue::MainQueue;

pub mod broken;
pub mod fixed;

/// The critical queue's label (L1134).
pub const CRITICAL: &str = "critical.queue";
/// The dependency queue's label (L1160).
pub const DEPENDENCY: &str = "dependency.queue";

/// How long `main` runs its run loop waiting for the critical result while the dependent job is
/// held: the watchdog's idle time. It bounds the look; the gate decides the outcome.
pub const PATIENCE: Duration = DEADLOCK_TIMEOUT;

/// What the scenario needs of either twin's manager.
pub trait Hierarchy {
    /// A new manager.
    fn create() -> Self;
    /// `performCriticalOperation`.
    fn critical(&self, operation: Box<dyn FnOnce() + Send>);
    /// `performDependentOperation`.
    fn dependent(&self, operation: Box<dyn FnOnce() + Send>);
}

impl Hierarchy for broken::QueueHierarchyManager {
    fn create() -> Self {
        Self::new()
    }
    fn critical(&self, operation: Box<dyn FnOnce() + Send>) {
        self.perform_critical_operation(operation)
    }
    fn dependent(&self, operation: Box<dyn FnOnce() + Send>) {
        self.perform_dependent_operation(operation)
    }
}

impl Hierarchy for fixed::QueueHierarchyManager {
    fn create() -> Self {
        Self::new()
    }
    fn critical(&self, operation: Box<dyn FnOnce() + Send>) {
        self.perform_critical_operation(operation)
    }
    fn dependent(&self, operation: Box<dyn FnOnce() + Send>) {
        self.perform_dependent_operation(operation)
    }
}

/// What the scenario saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outcome {
    /// Whether the critical result was shown while the dependent job was still held.
    pub critical_while_held: bool,
    /// How many jobs were in flight (the critical one included) when the critical job ran.
    pub in_flight_at_critical: usize,
}

// ANCHOR: scenario
/// On real threads: a long dependent job is held at a gate; `main` submits a critical job and runs
/// its main-queue run loop for [`PATIENCE`], waiting for the critical result; then opens the gate
/// and waits for both jobs to finish.
pub fn scenario<M: Hierarchy>(trace: &Trace) -> Outcome {
    let (main, run_loop) = MainQueue::new();
    let manager = M::create();
    let in_flight = Arc::new(AtomicUsize::new(0));
    let (open, gate) = mpsc::channel::<()>();

    say!("asks {DEPENDENCY} for a long dependent job");
    let busy = in_flight.clone();
    manager.dependent(Box::new(move || {
        busy.fetch_add(1, Ordering::SeqCst);
        say!("starts the long dependent job; it holds until main opens the gate");
        let _ = gate.recv();
        say!("finishes the long dependent job");
        busy.fetch_sub(1, Ordering::SeqCst);
    }));
    trace.gate(DEPENDENCY, &["starts the long dependent job"]);

    let shown = Arc::new(Mutex::new(None::<usize>));
    let patience = PATIENCE.as_millis();
    say!("asks {CRITICAL} for a critical job and runs its run loop for up to {patience} ms");
    let (busy, result) = (in_flight.clone(), shown.clone());
    manager.critical(Box::new(move || {
        let running = busy.fetch_add(1, Ordering::SeqCst) + 1;
        say!("runs the critical job (jobs in flight: {running})");
        busy.fetch_sub(1, Ordering::SeqCst);
        main.dispatch_async(move || {
            say!("shows the critical result");
            *result.lock().unwrap() = Some(running);
        });
    }));
    let is_shown = || shown.lock().unwrap().is_some();
    let critical_while_held = run_loop.run_until(Instant::now() + PATIENCE, is_shown);
    if critical_while_held {
        say!("has the critical result while the dependent job is still held");
    } else {
        say!("has no critical result after {patience} ms: the critical job has not started");
    }

    say!("opens the gate");
    let _ = open.send(());
    trace.gate(DEPENDENCY, &["finishes the long dependent job"]);
    assert!(run_loop.run_until(Instant::now() + GATE_TIMEOUT, is_shown));
    let in_flight_at_critical = shown.lock().unwrap().expect("shown");
    Outcome {
        critical_while_held,
        in_flight_at_critical,
    }
}
// ANCHOR_END: scenario

/// Runs the scenario for one twin with a fresh trace installed; returns what it saw and the trace.
pub fn run_scenario(variant: Variant) -> (Outcome, Trace) {
    traced(|trace| match variant {
        Variant::Broken => scenario::<broken::QueueHierarchyManager>(trace),
        Variant::Fixed => scenario::<fixed::QueueHierarchyManager>(trace),
    })
}

/// The check both twins run: critical work gets done while a long dependent job is in progress.
/// `Some(what went wrong)` when it does not.
pub fn check(outcome: &Outcome) -> Option<String> {
    (!outcome.critical_while_held).then(|| {
        format!(
            "head-of-line blocking: the critical job could not start for {} ms while a dependent \
             job held {CRITICAL}'s one drain; it ran after it",
            PATIENCE.as_millis()
        )
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "Q14",
    name: "target_queue_hierarchy",
    summary: "a queue that targets the critical serial queue shares its drain: a long dependent job blocks critical work",
    run: demo,
};

/// The demo: the held dependent job and the critical job, on real threads.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    let how = match variant {
        Variant::Broken => format!("{DEPENDENCY} targets {CRITICAL}"),
        Variant::Fixed => format!("{DEPENDENCY} drains on its own"),
    };
    report.heading(format!(
        "real threads ({how}): a long dependent job is held at a gate, then a critical job is submitted"
    ));
    let (outcome, trace) = run_scenario(variant);
    report.trace(&trace);
    report.line(format!(
        "=> jobs in flight when the critical job ran: {}; while the dependent job was held it {}.",
        outcome.in_flight_at_critical,
        if outcome.critical_while_held {
            "ran"
        } else {
            "never started"
        }
    ));
    report.conclude(
        check(&outcome),
        "the critical job runs while a long dependent job is held",
    );
    report
}
