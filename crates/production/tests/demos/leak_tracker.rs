//! P8 `leak_tracker`: the guide's leak detector reports freed objects, misses real leaks, and
//! leaks itself.

use std::sync::Arc;

use production::leak_tracker::{
    Tracker, broken, fixed, parent_and_child, reports_leaks_and_frees_itself, run,
};
use racelab_kit::demo::Variant;
use racelab_kit::rt;

/// The trivial case: with nothing tracked, there is nothing to report, and the broken detector
/// says so.
#[test]
fn broken_leak_tracker_is_right_when_nothing_is_tracked() {
    assert!(broken::LeakTracker::new().detect_leaks().is_empty());
}

// ANCHOR: caught
/// One forced schedule: the freed screen is reported, the cycle is not (it stays tracked,
/// unreported), and the tracker outlives its last handle.
#[test]
fn broken_leak_tracker_reports_the_freed_misses_the_cycle_and_leaks_itself() {
    let (outcome, trace) = run(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "a freed screen: reported [\"screen\"], expected []; \
         a parent↔child cycle: reported [], expected [\"parent\", \"child\"]; \
         a parent↔child cycle: 2 entries still tracked after the checkpoint; \
         a pair with a weak back-edge: reported [\"parent\", \"child\"], expected []; \
         a pair with a weak back-edge: 2 entries still tracked after the checkpoint; \
         the tracker is still alive 35 s after its last handle was dropped: its own timer task \
         holds it"
    );
    racelab_testkit::snapshot!("leak_tracker__trace", trace.render());
}
// ANCHOR_END: caught

/// The same check on the fixed twin: only the cycle is reported, and the tracker goes.
#[test]
fn fixed_leak_tracker_reports_only_the_cycle_and_is_freed() {
    assert_eq!(
        rt::run(reports_leaks_and_frees_itself::<fixed::LeakTracker>()),
        Ok(())
    );
}

/// Tracks a freed screen, a live cycle and a freed pair, runs one checkpoint, and says how many
/// entries the tracker still holds.
fn held_after_a_checkpoint<T: Tracker>() -> usize {
    let tracker = T::new();
    let screen = Arc::new("the settings screen");
    tracker.expect_dropped(Arc::downgrade(&screen), "screen");
    drop(screen);
    for strong_back in [true, false] {
        let (parent, child) = parent_and_child(strong_back);
        tracker.expect_dropped(parent, "parent");
        tracker.expect_dropped(child, "child");
    }
    tracker.detect_leaks();
    tracker.tracked()
}

/// A checkpoint settles every expectation: the fixed tracker forgets the freed objects (their
/// `Weak`s would pin their allocations for ever) as well as the leaks it has just reported.
#[test]
fn fixed_leak_tracker_holds_nothing_after_a_checkpoint() {
    assert_eq!(held_after_a_checkpoint::<fixed::LeakTracker>(), 0);
}

/// The broken tracker keeps what it should report: the live cycle stays tracked, unreported.
#[test]
fn broken_leak_tracker_keeps_the_live_cycle_after_a_checkpoint() {
    assert_eq!(held_after_a_checkpoint::<broken::LeakTracker>(), 2);
}

/// The fixed detector keeps the guide's bookkeeping: a leak is reported once and then no longer
/// tracked; an object still alive at its checkpoint is reported at it, whatever its owner meant to
/// do later (which is why `expect_dropped` comes after the last owner has let go).
#[test]
fn fixed_leak_tracker_reports_a_leak_once() {
    let tracker = fixed::LeakTracker::new();
    let (parent, child) = parent_and_child(true);
    tracker.expect_dropped(parent, "parent");
    tracker.expect_dropped(child, "child");
    let kept = Arc::new(1);
    tracker.expect_dropped(Arc::downgrade(&kept), "kept");
    assert_eq!(tracker.detect_leaks(), ["parent", "child", "kept"]);
    assert!(tracker.detect_leaks().is_empty());
}
