//! R1 `unsafe_counter`: two increments, one lost.

use racelab_kit::demo::Variant;
use racelab_kit::sync::Std;
use races::unsafe_counter::{Counter, broken, explore_variant, fixed, two_increments};

/// The trivial case: on one thread the broken counter is right — the bug needs two.
#[test]
fn broken_unsafe_counter_is_right_on_one_thread() {
    let counter = broken::Counter::<Std>::new();
    counter.increment();
    counter.increment();
    assert_eq!(counter.get(), 2);
}

/// The search: loom tries every interleaving of two increments and finds one that loses an update.
// ANCHOR: caught
#[test]
fn broken_unsafe_counter_loses_updates() {
    let search = explore_variant(Variant::Broken);
    let failure = search.expect_failure();
    assert_eq!(
        failure.message,
        "lost update: 2 increments, but the count is 1"
    );
    // The minimal failure, step by step: both read 0, both write 1.
    racelab_testkit::snapshot!("unsafe_counter__trace", failure.trace.render());
}
// ANCHOR_END: caught

/// The replay: loom's search is deterministic, so the same schedule fails on every run.
#[test]
fn broken_unsafe_counter_fails_the_same_way_every_run() {
    let first = explore_variant(Variant::Broken);
    let again = explore_variant(Variant::Broken);
    assert_eq!(first.interleavings, again.interleavings);
    assert_eq!(
        first.expect_failure().trace.lines(),
        again.expect_failure().trace.lines()
    );
}

/// The fixed twin, under the very same check: every interleaving counts both increments.
// ANCHOR: holds
#[test]
fn fixed_unsafe_counter_counts_all() {
    explore_variant(Variant::Fixed).assert_holds();
}
// ANCHOR_END: holds

/// And on real threads, many increments: the fixed counter never loses one.
#[test]
fn fixed_unsafe_counter_counts_all_on_real_threads() {
    let counter = std::sync::Arc::new(fixed::Counter::<Std>::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| (0..10_000).for_each(|_| counter.increment()));
        }
    });
    assert_eq!(counter.get(), 20_000);
    // The model check itself also runs on real threads (it is the same code).
    two_increments::<Std, fixed::Counter<Std>>();
}
