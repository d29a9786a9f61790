//! Q13 `dispatch_group_phases` — one `DispatchGroup` shared by every phase of every run makes a run
//! wait for another run's tasks; a group per phase per run does not. And "sequential" tasks on a
//! concurrent queue run side by side.
//!
//! Ports the guide's "Dispatch Groups with Complex Dependencies" (L1069–1128). The pattern —
//! fan out, `notify` when all are done, start the next phase — is right; the wiring is not:
//!
//! * the group is a stored property (L1072), reused by every phase and every call. A group only
//!   counts; it does not know whose tasks it counts. Call `performComplexWorkflow` twice (runs A and
//!   B) and A's `notify` (L1088) fires only once B's phase-1 tasks have left too: A's phase 2
//!   waits for B's slowest task. Each notify still fires once — both fire together, at the next
//!   moment the shared count reaches zero — and later phases entangle the same way
//!   (`workflowCompleted` of A waits for B's processing tasks);
//! * "Phase 3: Sequential processing tasks" (L1102) go to the same concurrent queue
//!   (L1105–1111), so they run side by side;
//! * and (noted, not demonstrated) `Thread.sleep` in a task blocks a pool thread, which on GCD
//!   makes the pool grow — Q4's thread explosion.
//!
//! * **Scenario 1, two runs** ([`two_runs`]): run A, then run B, on one manager; B's `task1` is
//!   held by a gate until `main` releases it. `main` waits until every job that *can* finish has
//!   ([`Env::settle`] — a count of jobs in flight on every queue, never a sleep) and looks: has
//!   A's phase 2 started? Broken: no, it cannot — the shared group still counts B's held task.
//!   Fixed: yes, and A has completed.
//! * **Scenario 2, the "sequential" phase** ([`sequential_phase`]): run A alone; every phase-3
//!   task holds until as many run as the phase's queue has room for (its width), then all are
//!   released. A gauge records the most that ever ran at once: broken 3, fixed 1.
//!
//! Two lessons, so two fixes: [`fixed`] gives each phase of each run its own group (scenario 1;
//! its phase 3 is still on the concurrent queue), and [`sequential`] — the second lesson, the
//! fixed manager with a serial queue for phase 3 — makes the sequential phase sequential
//! (scenario 2). The demo's fixed variant runs each scenario on the fix it checks.
//!
//! The check, the same for both variants: A's phase 2 starts while B's task is held, and the
//! sequential phase never runs two tasks at once.
//!
//! The concurrent queue is the chapter's [`ConcurrentQueue`], `WIDTH` workers wide, made by one
//! function, [`concurrent_queue`].

use std::sync::Arc;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::say;
use racelab_kit::trace::{Trace, traced};
use racelab_kit::wait;

use racelab_dispatch::concurrent_queue::ConcurrentQueue;

pub mod broken;
pub mod fixed;
pub mod harness;
pub mod sequential;

pub use harness::{Counted, Env, Script};

/// The concurrent queue's width (threads).
pub const WIDTH: usize = 4;

/// What the guide's concurrent `DispatchQueue` is here.
pub type WorkQueue = ConcurrentQueue;

// ANCHOR: concurrent_queue
/// The guide's `DispatchQueue(label:, attributes: .concurrent)`, `WIDTH` workers wide.
pub fn concurrent_queue(label: &str) -> WorkQueue {
    ConcurrentQueue::new(label, WIDTH)
}
// ANCHOR_END: concurrent_queue

/// What both twins' managers offer the scenarios.
pub trait Workflow: Send + Sync + 'static {
    /// A manager on `env`'s queues.
    fn new(env: &Env) -> Arc<Self>;
    /// The guide's `performComplexWorkflow`, for run `run`.
    fn perform_complex_workflow(self: &Arc<Self>, run: &str);
    /// How many phase-3 tasks the phase's queue can run at once.
    fn processing_width(&self) -> usize;
}

// ANCHOR: two_runs
/// Scenario 1, on real threads: runs A and B on one manager, B's `task1` held. Returns whether
/// A's phase 2 had started while B's task was still held.
pub fn two_runs<W: Workflow>() -> bool {
    let env = Env::new(&["B/task1"]);
    let manager = W::new(&env);
    // Said before either call: A's tasks may finish (and, fixed, A's phase 2 start) at once.
    say!("calls performComplexWorkflow() for run A, then for run B; B/task1 is slow: held");
    env.script.start_after("A"); // A's data tasks wait until B has started: B enters first
    manager.perform_complex_workflow("A");
    manager.perform_complex_workflow("B");
    env.script.all_started();
    env.settle(); // every job that can finish has finished; only B/task1 is left
    let a_started = env.script.phase_2().contains(&"A".to_string());
    if a_started {
        say!("sees B/task1 still held, and A's phase 2 started: A did not wait for B");
    } else {
        say!("sees B/task1 still held, and A's phase 2 NOT started: A waits for B's task");
    }
    say!("releases B/task1");
    env.script.release();
    env.settle();
    say!("sees both runs finished");
    a_started
}
// ANCHOR_END: two_runs

// ANCHOR: sequential_phase
/// Scenario 2, on real threads: run A alone; its phase-3 tasks hold until as many run as their
/// queue has room for, then go. Returns the most that ever ran at once.
pub fn sequential_phase<W: Workflow>() -> usize {
    let env = Env::new(&["*/process"]);
    let manager = W::new(&env);
    say!("calls performComplexWorkflow() for run A; phase-3 tasks hold");
    manager.perform_complex_workflow("A");
    let room = manager.processing_width().min(3);
    let what = format!("{room} phase-3 tasks run at once");
    wait::until(what, || env.script.held_now() == room);
    say!("sees {room} \"sequential\" task(s) running at once; releases them");
    env.script.release();
    env.settle();
    let peak = env.script.processing_peak();
    say!("sees run A finished: at most {peak} \"sequential\" task(s) ran at once");
    peak
}
// ANCHOR_END: sequential_phase

/// Runs scenario 1 for one twin with a fresh trace; returns its verdict and the trace.
pub fn run_two_runs(variant: Variant) -> (bool, Trace) {
    traced(|_| match variant {
        Variant::Broken => two_runs::<broken::ComplexTaskManager>(),
        Variant::Fixed => two_runs::<fixed::ComplexTaskManager>(),
    })
}

/// Runs scenario 2 for one variant with a fresh trace; returns the peak and the trace. The fixed
/// variant is the second lesson's manager ([`sequential`]), whose phase 3 has a serial queue.
pub fn run_sequential_phase(variant: Variant) -> (usize, Trace) {
    traced(|_| match variant {
        Variant::Broken => sequential_phase::<broken::ComplexTaskManager>(),
        Variant::Fixed => sequential_phase::<sequential::ComplexTaskManager>(),
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "Q13",
    name: "dispatch_group_phases",
    summary: "one DispatchGroup shared by every run: run A's phase 2 waits for run B's task; a group per phase per run",
    run: demo,
};

/// The demo: both scenarios on real threads.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading(
        "real threads: one manager, run A then run B; B/task1 is held until main releases it",
    );
    let (a_started, trace) = run_two_runs(variant);
    report.trace(&trace);
    report.heading("real threads: run A alone; each phase-3 task holds until no more can start");
    let (peak, trace) = run_sequential_phase(variant);
    report.trace(&trace);
    let mut bugs = Vec::new();
    if !a_started {
        bugs.push("run A's phase 2 waited for run B's task (one shared group)".to_string());
    }
    if peak > 1 {
        bugs.push(format!("{peak} \"sequential\" tasks ran at once"));
    }
    report.conclude(
        (!bugs.is_empty()).then(|| bugs.join("; ")),
        "A's phase 2 starts while B's task is held, and the sequential phase runs one task at a time",
    );
    report
}
