//! Q7 `priority_scheduling`: "QoS determines execution order" (L1546) made literal — strict
//! priority — starves low-priority work while high-priority work keeps coming; aging bounds the
//! wait. Steps, not seconds: the order is the same on every run.

use queues::priority_scheduling::{BOUND, FRAMES, check, run_queue, run_scenario};
use racelab_kit::demo::Variant;

fn wait_of(ran: &[racelab_dispatch::priority_queue::Ran], name: &str) -> (usize, usize) {
    let r = ran.iter().find(|r| r.name == name).expect("it ran");
    (r.step, r.waited)
}

/// The trivial case: with no stream of high-priority work, strict priority is fine — one frame,
/// then the search, then the cleanup, nobody waits long.
#[test]
fn broken_priority_scheduling_is_fine_without_a_stream() {
    let ran = run_queue(Variant::Broken, 1);
    assert_eq!(check(&ran), None);
    assert_eq!(wait_of(&ran, "cleanup"), (3, 2));
}

/// The starvation, pinned: the search and the cleanup wait for all 12 frames.
// ANCHOR: caught
#[test]
fn broken_priority_scheduling_starves_low_work_behind_frames() {
    let (ran, trace) = run_scenario(Variant::Broken);
    assert_eq!(wait_of(&ran, "search"), (FRAMES + 1, FRAMES));
    assert_eq!(wait_of(&ran, "cleanup"), (FRAMES + 2, FRAMES + 1));
    assert_eq!(
        check(&ran).as_deref(),
        Some(
            "starvation: cleanup (low) waited 13 steps (bound 6) behind a stream of \
             high-priority work"
        )
    );
    racelab_testkit::snapshot!("priority_scheduling__trace", trace.render());
}
// ANCHOR_END: caught

/// And it has no bound: the cleanup waits for as many frames as the animation has.
#[test]
fn broken_priority_scheduling_wait_grows_with_the_stream() {
    for frames in [5, 20, 60] {
        let ran = run_queue(Variant::Broken, frames);
        assert_eq!(wait_of(&ran, "cleanup").1, frames + 1, "{frames} frames");
    }
}

/// The fixed twin under the same check: the search runs at step 4, the cleanup at step 7.
// ANCHOR: holds
#[test]
fn fixed_priority_scheduling_runs_every_job_within_the_bound() {
    let (ran, trace) = run_scenario(Variant::Fixed);
    assert_eq!(check(&ran), None, "{}", trace.render());
    assert_eq!(wait_of(&ran, "search"), (4, 3));
    assert_eq!(wait_of(&ran, "cleanup"), (7, BOUND));
    assert_eq!(ran.len(), FRAMES + 2);
}
// ANCHOR_END: holds

/// The bound does not depend on the stream: however many frames, nobody waits more than 6 steps —
/// and the frames still get most of the steps.
#[test]
fn fixed_priority_scheduling_bound_holds_for_any_stream() {
    for frames in [1, 5, 20, 60] {
        let ran = run_queue(Variant::Fixed, frames);
        assert_eq!(check(&ran), None, "{frames} frames");
        assert_eq!(ran.len(), frames + 2);
    }
}
