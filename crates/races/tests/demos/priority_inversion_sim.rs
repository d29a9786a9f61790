//! R9 `priority_inversion_sim`: H waits on Lo's lock while M computes — on a simulated CPU, where
//! every run gives the same timeline.

use races::priority_inversion_sim::sim::{LockProtocol, Step, Task, simulate, task};
use races::priority_inversion_sim::{
    broken::NoProtocol, ceiling::PriorityCeiling, check, fixed::PriorityInheritance, run,
    tasks_with,
};

/// The trivial case: with no medium work, even a plain lock keeps H within the bound — Lo's
/// critical section is the only wait, and that one is unavoidable.
#[test]
fn broken_priority_inversion_sim_is_fine_without_medium_work() {
    let checked = check(&simulate(&tasks_with(0), &NoProtocol));
    assert_eq!(checked.response, Some(5));
    assert!(checked.holds(), "{}", checked.describe());
}

/// The check on the guide's three tasks: with a plain lock, H waits for the rest of Lo's
/// critical section *and* all 10 ticks of M, which needs no lock at all.
// ANCHOR: caught
#[test]
fn broken_priority_inversion_sim_h_waits_for_all_of_m() {
    let run = run(&NoProtocol);
    let checked = check(&run);
    assert_eq!((checked.response, checked.bound()), (Some(15), 6));
    assert_eq!(checked.over_by(), Some(9));
    racelab_testkit::snapshot!(
        "priority_inversion_sim__timeline",
        format!("{}\n{}", run.gantt(), run.narration())
    );
    // The same cells as a picture, for the book.
    racelab_testkit::snapshot!("priority_inversion_sim__timeline_svg", run.gantt_svg());
}
// ANCHOR_END: caught

/// Unbounded: every tick M computes is a tick more for H. With inheritance, M's work does not
/// matter to H at all.
// ANCHOR: unbounded
#[test]
fn broken_priority_inversion_sim_wait_grows_with_m() {
    for m_work in [0, 1, 10, 100, 1000] {
        let plain = check(&simulate(&tasks_with(m_work), &NoProtocol));
        assert_eq!(plain.response, Some(5 + m_work));
        let inherited = check(&simulate(&tasks_with(m_work), &PriorityInheritance));
        assert_eq!(inherited.response, Some(5));
    }
}
// ANCHOR_END: unbounded

/// The fixed twin under the same check: Lo inherits H's priority while H waits, M cannot
/// preempt it, and H finishes within its bound.
#[test]
fn fixed_priority_inversion_sim_inheritance_meets_the_bound() {
    let run = run(&PriorityInheritance);
    let checked = check(&run);
    assert!(checked.holds(), "{}", checked.describe());
    assert_eq!(checked.response, Some(5));
    racelab_testkit::snapshot!("priority_inversion_sim__inheritance", run.gantt());
    racelab_testkit::snapshot!("priority_inversion_sim__inheritance_svg", run.gantt_svg());
}

/// And with a priority ceiling: Lo runs at L's ceiling (H's priority) from the moment it takes
/// L, so H never even blocks on L — it simply starts once L is free.
#[test]
fn fixed_priority_inversion_sim_ceiling_meets_the_bound() {
    let run = run(&PriorityCeiling);
    let checked = check(&run);
    assert!(checked.holds(), "{}", checked.describe());
    assert_eq!(checked.response, Some(5));
    assert!(!run.narration().contains("H blocks"), "{}", run.narration());
}

// ---- every task set of a small family --------------------------------------------------------

/// A lower-priority task's possible scripts: work without a lock, or a critical section on L1
/// (which H takes) or L2 (which it does not), with some work before and after.
pub fn lower_scripts() -> Vec<Vec<Step>> {
    use Step::*;
    let mut scripts = vec![vec![Compute(5)]];
    for lock in ["L1", "L2"] {
        for pre in [0, 1] {
            for cs in [1, 3] {
                let steps = [
                    Compute(pre),
                    Lock(lock),
                    Compute(cs),
                    Unlock(lock),
                    Compute(1),
                ];
                scripts.push(steps.into_iter().filter(|s| *s != Compute(0)).collect());
            }
        }
    }
    scripts
}

/// Every task set of the family: H (priority 3) takes L1 once; A (2) and B (1) each run one of
/// `lower_scripts`; everybody is released at t=0, 1 or 2. No lock is nested in another.
pub fn small_task_sets() -> Vec<Vec<Task>> {
    use Step::*;
    let lower = lower_scripts();
    let mut sets = Vec::new();
    for h_release in 0..3 {
        for h_pre in [0, 1] {
            for h_cs in [1, 2] {
                let h: Vec<Step> = [Compute(h_pre), Lock("L1"), Compute(h_cs), Unlock("L1")]
                    .into_iter()
                    .filter(|s| *s != Compute(0))
                    .collect();
                for a in &lower {
                    for b in &lower {
                        for a_release in 0..3 {
                            for b_release in 0..3 {
                                sets.push(vec![
                                    task("H", 3, h_release, &h),
                                    task("A", 2, a_release, a),
                                    task("B", 1, b_release, b),
                                ]);
                            }
                        }
                    }
                }
            }
        }
    }
    sets
}

/// Which task sets of `sets` take H over the bound under `protocol`.
pub fn over_the_bound(sets: &[Vec<Task>], protocol: &dyn LockProtocol) -> Vec<usize> {
    (0..sets.len())
        .filter(|&i| !check(&simulate(&sets[i], protocol)).holds())
        .collect()
}

/// The smallest of `picked` (least work in total; the first such in the family).
pub fn smallest(sets: &[Vec<Task>], picked: &[usize]) -> Vec<Task> {
    let work = |i: usize| sets[i].iter().map(Task::work).sum::<u32>();
    let i = picked.iter().copied().min_by_key(|&i| (work(i), i));
    sets[i.expect("at least one task set")].clone()
}

/// The whole family under a plain lock: some task sets take H over the bound. The smallest, as a
/// timeline.
// ANCHOR: family_broken
#[test]
fn broken_priority_inversion_sim_small_task_sets_exceed_the_bound() {
    let sets = small_task_sets();
    let over = over_the_bound(&sets, &NoProtocol);
    assert_eq!((sets.len(), over.len()), (8748, 198));
    let tasks = smallest(&sets, &over);
    let run = simulate(&tasks, &NoProtocol);
    let described: Vec<String> = tasks.iter().map(Task::describe).collect();
    racelab_testkit::snapshot!(
        "priority_inversion_sim__smallest",
        format!(
            "{}\n\n{}{}\n=> {}",
            described.join("\n"),
            run.gantt(),
            run.responses(),
            check(&run).describe()
        )
    );
}
// ANCHOR_END: family_broken

/// The same family under priority inheritance and under a priority ceiling: H stays within the
/// classic bound in every one. The ceiling does better still: H waits for at most *one* critical
/// section (the longest of a lower task on L1), however many lower tasks there are.
// ANCHOR: family_fixed
#[test]
fn fixed_priority_inversion_sim_every_small_task_set_meets_the_bound() {
    let sets = small_task_sets();
    assert_eq!(
        over_the_bound(&sets, &PriorityInheritance),
        Vec::<usize>::new()
    );
    assert_eq!(over_the_bound(&sets, &PriorityCeiling), Vec::<usize>::new());
    for tasks in &sets {
        let longest = tasks[1..]
            .iter()
            .flat_map(Task::critical_sections)
            .filter(|&(lock, _)| lock == "L1")
            .map(|(_, ticks)| ticks)
            .max()
            .unwrap_or(0);
        let checked = check(&simulate(tasks, &PriorityCeiling));
        assert!(
            checked.response <= Some(checked.own_work + longest),
            "{tasks:#?}"
        );
    }
}
// ANCHOR_END: family_fixed

/// The simulator itself: two tasks taking two locks in opposite orders deadlock, and the
/// simulator says so and stops (the story of R4, on one simulated CPU).
#[test]
fn broken_priority_inversion_sim_opposite_lock_orders_deadlock_in_the_simulator() {
    use Step::*;
    let tasks = [
        task(
            "T0",
            2,
            1,
            &[Lock("A"), Compute(1), Lock("B"), Unlock("B"), Unlock("A")],
        ),
        task(
            "T1",
            1,
            0,
            &[Lock("B"), Compute(2), Lock("A"), Unlock("A"), Unlock("B")],
        ),
    ];
    let run = simulate(&tasks, &PriorityInheritance);
    assert!(run.deadlock, "{}", run.narration());
    assert_eq!((run.response("T0"), run.response("T1")), (None, None));
    assert!(
        run.narration()
            .ends_with("deadlock: every task left waits for a lock\n")
    );
}
