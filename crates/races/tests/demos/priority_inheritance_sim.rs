//! R10 `priority_inheritance_sim`: the guide's `PriorityInheritanceLock`, run literally on R9's
//! simulator, under R9's check — and real inheritance under the same check.

use races::priority_inheritance_sim::{
    broken::PriorityInheritanceLock as GuideLock, check_with,
    fixed::PriorityInheritanceLock as RealInheritance, late_medium_tasks,
};
use races::priority_inversion_sim::sim::{Step, Task, simulate, task};
use races::priority_inversion_sim::{broken::NoProtocol, check, guide_tasks};

use crate::priority_inversion_sim::{small_task_sets, smallest};

/// The trivial case: when nobody ever waits for the lock, the guide's lock never "boosts"
/// anybody, and H takes exactly its own work.
#[test]
fn broken_priority_inheritance_sim_is_fine_when_nobody_waits() {
    use Step::*;
    let tasks = [
        task("H", 3, 5, &[Lock("L"), Compute(2), Unlock("L")]),
        task("Lo", 1, 0, &[Lock("L"), Compute(4), Unlock("L")]),
    ];
    let run = simulate(&tasks, &GuideLock);
    assert_eq!(run.response("H"), Some(2));
    assert!(!run.narration().contains("boosts"));
}

/// The check on R9's task set: the guide's lock never raises Lo, so M takes the CPU from it
/// exactly as with a plain lock — and when Lo finally unlocks, its `unlock()` "boosts" H *down*
/// to Lo's priority.
// ANCHOR: caught
#[test]
fn broken_priority_inheritance_sim_no_better_than_a_plain_lock() {
    let run = simulate(&guide_tasks(), &GuideLock);
    let checked = check(&run);
    assert_eq!((checked.response, checked.bound()), (Some(15), 6));
    assert_eq!(checked.over_by(), Some(9));
    assert_eq!(check_with(&guide_tasks(), &NoProtocol).response, Some(15));
    assert!(
        run.narration()
            .contains("t=14: Lo's unlock() \"boosts\" H to Lo's priority 1"),
        "{}",
        run.narration()
    );
    racelab_testkit::snapshot!(
        "priority_inheritance_sim__timeline",
        format!("{}\n{}", run.gantt(), run.narration())
    );
    racelab_testkit::snapshot!("priority_inheritance_sim__timeline_svg", run.gantt_svg());
}
// ANCHOR_END: caught

/// The demotion outlives the lock: M2, more medium work arriving at t=15, preempts the demoted H,
/// which now does *worse* than with a plain lock (20 ticks against 15).
// ANCHOR: worse
#[test]
fn broken_priority_inheritance_sim_worse_than_a_plain_lock() {
    let run = simulate(&late_medium_tasks(), &GuideLock);
    assert_eq!(run.response("H"), Some(20));
    assert_eq!(
        check_with(&late_medium_tasks(), &NoProtocol).response,
        Some(15)
    );
    racelab_testkit::snapshot!("priority_inheritance_sim__worse", run.gantt());
}
// ANCHOR_END: worse

/// Over R9's whole family of small task sets: the guide's lock takes H over the bound more often
/// than a plain lock does. The smallest task set where it is strictly worse than a plain lock:
#[test]
fn broken_priority_inheritance_sim_small_task_sets_exceed_the_bound() {
    let sets = small_task_sets();
    let over = crate::priority_inversion_sim::over_the_bound(&sets, &GuideLock);
    assert_eq!(over.len(), 218);
    let worse: Vec<usize> = over
        .iter()
        .copied()
        .filter(|&i| {
            check_with(&sets[i], &GuideLock).response > check_with(&sets[i], &NoProtocol).response
        })
        .collect();
    assert!(!worse.is_empty());
    let tasks = smallest(&sets, &worse);
    let guide = simulate(&tasks, &GuideLock);
    let plain = simulate(&tasks, &NoProtocol);
    let described: Vec<String> = tasks.iter().map(Task::describe).collect();
    racelab_testkit::snapshot!(
        "priority_inheritance_sim__smallest",
        format!(
            "{}\n\nthe guide's lock:\n{}{}\n\na plain lock:\n{}{}\n\n{} of {} task sets are worse than with a plain lock",
            described.join("\n"),
            guide.gantt(),
            guide.responses(),
            plain.gantt(),
            plain.responses(),
            worse.len(),
            sets.len()
        )
    );
}

/// The fixed twin under the same check, on both task sets: real inheritance raises Lo to H's
/// priority while H waits, so neither M nor M2 can get in the way.
#[test]
fn fixed_priority_inheritance_sim_meets_the_bound() {
    for tasks in [guide_tasks(), late_medium_tasks()] {
        let checked = check_with(&tasks, &RealInheritance);
        assert!(checked.holds(), "{}", checked.describe());
        assert_eq!(checked.response, Some(5));
    }
}
