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
//! **The check** ([`scenario`]), on real threads under the [`watchdog`]: a long dependent job
//! starts and is held at a gate that `main` controls; then `main` submits a critical job and waits
//! for one of two facts. Either the critical job runs (fixed: two jobs in flight), or the registry
//! shows it stuck behind the held job: `critical.queue`'s one thread *holds its drain* (the
//! library records that while a job runs) and is *blocked* in a recorded wait — the dependent job's
//! wait for the gate — while the critical job, queued behind it on the same FIFO, has not started.
//! That is head-of-line blocking, proven at the moment `main` looks, not inferred from a silence:
//! no timeout is involved. Then `main` opens the gate and the critical job runs after the dependent
//! one.
//!
//! The QoS half of the story is prose (book page): QoS is Apple-only, and what a target does to it
//! is not observable here.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::latch::Latch;
use racelab_kit::trace::{Step, Trace, traced};
use racelab_kit::watchdog::{self, Outcome};
use racelab_kit::{say, step, wait};

pub mod broken;
pub mod fixed;

/// The critical queue's label (L1134).
pub const CRITICAL: &str = "critical.queue";
/// The dependency queue's label (L1160).
pub const DEPENDENCY: &str = "dependency.queue";

/// The long dependent job has started and holds at the gate.
pub const STARTS_LONG: Step = Step("starts the long dependent job");
/// The long dependent job is done.
pub const FINISHES_LONG: Step = Step("finishes the long dependent job");
/// The critical job runs.
pub const RUNS_CRITICAL: Step = Step("runs the critical job");

/// What the scenario needs of either twin's manager (each twin implements it).
pub trait Hierarchy {
    /// A new manager.
    fn create() -> Self;
    /// `performCriticalOperation`.
    fn critical(&self, operation: Box<dyn FnOnce() + Send>);
    /// `performDependentOperation`.
    fn dependent(&self, operation: Box<dyn FnOnce() + Send>);
}

/// What the scenario saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Seen {
    /// Whether the critical job ran while the dependent job was still held.
    pub critical_while_held: bool,
    /// How many jobs were in flight (the critical one included) when the critical job ran.
    pub in_flight_at_critical: usize,
}

// ANCHOR: scenario
/// On real threads, under the watchdog: a long dependent job is held at a gate; `main` submits a
/// critical job and waits until it has run — or until the registry shows it stuck: the thread that
/// drains `critical.queue` holds the drain and is blocked, and the critical job has not started.
/// Then `main` opens the gate and waits for both jobs.
pub fn scenario<M: Hierarchy>() -> Outcome<Seen> {
    watchdog::watch(|| {
        let manager = M::create(); // inside the watched scenario: its threads record their waits
        let in_flight = Arc::new(AtomicUsize::new(0));
        let gate = Arc::new(Latch::named("the gate"));

        say!("asks {DEPENDENCY} for a long dependent job");
        let (busy, held) = (in_flight.clone(), gate.clone());
        manager.dependent(Box::new(move || {
            busy.fetch_add(1, Ordering::SeqCst);
            step!(STARTS_LONG, "; it holds until main opens the gate");
            held.wait();
            step!(FINISHES_LONG);
            busy.fetch_sub(1, Ordering::SeqCst);
        }));
        wait::until("the dependent job starts", || {
            wait::reached(DEPENDENCY, STARTS_LONG)
        });

        say!("asks {CRITICAL} for a critical job");
        let (busy, seen_running) = (in_flight.clone(), Arc::new(AtomicUsize::new(0)));
        let running = seen_running.clone();
        manager.critical(Box::new(move || {
            let now = busy.fetch_add(1, Ordering::SeqCst) + 1;
            running.store(now, Ordering::SeqCst);
            step!(RUNS_CRITICAL, " (jobs in flight: {now})");
            busy.fetch_sub(1, Ordering::SeqCst);
        }));
        let ran = || wait::reached(CRITICAL, RUNS_CRITICAL);
        // The drain's thread is busy (holds it) and stuck (blocked); looked at before `ran`, so a
        // critical job that ran in between is never mistaken for one that is stuck.
        let stuck = || wait::holds(CRITICAL) && wait::blocked(CRITICAL) && !ran();
        wait::until("the critical job runs or is stuck", || ran() || stuck());
        let critical_while_held = ran();
        if critical_while_held {
            say!("sees the critical job run while the dependent job is still held");
        } else {
            say!("sees {CRITICAL}'s one thread stuck in the dependent job, holding the drain");
        }

        say!("opens the gate");
        gate.open();
        wait::until("both jobs finish", || {
            ran() && wait::reached(DEPENDENCY, FINISHES_LONG)
        });
        Seen {
            critical_while_held,
            in_flight_at_critical: seen_running.load(Ordering::SeqCst),
        }
    })
}
// ANCHOR_END: scenario

/// Runs the scenario for one twin with a fresh trace installed; returns what it saw and the trace.
pub fn run_scenario(variant: Variant) -> (Outcome<Seen>, Trace) {
    traced(|_| match variant {
        Variant::Broken => scenario::<broken::QueueHierarchyManager>(),
        Variant::Fixed => scenario::<fixed::QueueHierarchyManager>(),
    })
}

/// The check both twins run: critical work gets done while a long dependent job is in progress.
/// `Some(what went wrong)` when it does not.
pub fn check(seen: &Seen) -> Option<String> {
    (!seen.critical_while_held).then(|| {
        format!(
            "head-of-line blocking: the critical job was queued behind a dependent job that held \
             {CRITICAL}'s one drain while it waited for the gate; it ran after it"
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
    let (watched, trace) = run_scenario(variant);
    report.trace(&trace);
    let bug = match watched {
        Outcome::Finished(seen) => {
            report.line(format!(
                "=> jobs in flight when the critical job ran: {}; while the dependent job was held \
                 it {}.",
                seen.in_flight_at_critical,
                if seen.critical_while_held {
                    "ran"
                } else {
                    "was stuck behind it"
                }
            ));
            check(&seen)
        }
        // Neither twin deadlocks or stalls: either one is a failed scenario, never a catch.
        Outcome::Deadlocked(proof) => {
            let waits = report.deadlocked(&proof);
            (variant == Variant::Fixed).then(|| format!("deadlock: {waits}"))
        }
        Outcome::Stalled { idle } => report.stall(idle, &trace),
    };
    report.conclude(
        bug,
        "the critical job runs while a long dependent job is held",
    );
    report
}
