//! Q13 `dispatch_group_phases`: one group shared by every run and phase — run A's phase 2 waits
//! for run B's held task, and the "sequential" phase runs three at once; a group per phase per run
//! fixes the first (`fixed.rs`), and a serial queue for phase 3 the second (`sequential.rs`).

use queues::dispatch_group_phases::{
    Env, Workflow, broken, fixed, run_sequential_phase, run_two_runs, sequential, sequential_phase,
    two_runs,
};
use racelab_kit::demo::Variant;
use racelab_kit::trace::traced;

/// The trivial case: one run on its own goes through all its phases with the shared group — the
/// bug needs two runs.
#[test]
fn broken_dispatch_group_phases_is_right_for_one_run() {
    let env = Env::new(&[]);
    let manager = broken::ComplexTaskManager::new(&env);
    manager.perform_complex_workflow("A");
    env.settle();
    assert_eq!(env.script.phase_2(), ["A"]);
}

/// Two runs share the group: while B's task1 is held, A's phase 2 cannot start — the shared count
/// still includes B's task. Forced by the hold, checked once nothing else can run: every run.
// ANCHOR: caught
#[test]
fn broken_dispatch_group_phases_run_a_waits_for_run_b() {
    let (a_started, trace) = run_two_runs(Variant::Broken);
    assert!(!a_started, "{}", trace.render());
    racelab_testkit::snapshot!("dispatch_group_phases__trace", trace.render());
}
// ANCHOR_END: caught

/// The "sequential" phase on the concurrent queue: all three tasks run at once.
#[test]
fn broken_dispatch_group_phases_runs_sequential_tasks_at_once() {
    let (peak, trace) = run_sequential_phase(Variant::Broken);
    assert_eq!(peak, 3, "{}", trace.render());
}

/// The fixed twin under the same check: A's phase 2 starts, and A completes, while B's task is
/// still held.
// ANCHOR: holds
#[test]
fn fixed_dispatch_group_phases_run_a_does_not_wait_for_run_b() {
    let (a_started, trace) = run_two_runs(Variant::Fixed);
    assert!(a_started, "{}", trace.render());
}
// ANCHOR_END: holds

/// The group fix alone leaves phase 3 where the guide put it, on the concurrent queue: its
/// "sequential" tasks still run three at once. That is the second lesson.
#[test]
fn fixed_dispatch_group_phases_group_fix_alone_keeps_phase_3_concurrent() {
    let (peak, trace) = traced(|_| sequential_phase::<fixed::ComplexTaskManager>());
    assert_eq!(peak, 3, "{}", trace.render());
}

/// The second lesson: the sequential phase on a serial queue — never more than one task at a
/// time — and the group fix still holds.
// ANCHOR: sequential
#[test]
fn fixed_dispatch_group_phases_runs_the_sequential_phase_one_at_a_time() {
    let (peak, trace) = run_sequential_phase(Variant::Fixed);
    assert_eq!(peak, 1, "{}", trace.render());
    let (a_started, trace) = traced(|_| two_runs::<sequential::ComplexTaskManager>());
    assert!(a_started, "{}", trace.render());
}
// ANCHOR_END: sequential
