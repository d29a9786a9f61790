//! R5 `unsafe_array`: two threads remove the last item; the second one's removal is out of range.

use racelab_kit::demo::Variant;
use racelab_kit::sync::Std;
use races::unsafe_array::{broken, explore_variant, fixed, two_removals};

/// The trivial case: on one thread the guide's check-then-remove is right — the second call finds
/// index 1 gone and does nothing.
#[test]
fn broken_unsafe_array_is_right_on_one_thread() {
    let items = broken::ArrayManager::<Std, &str>::new(vec!["first"]);
    items.add_item("second");
    assert_eq!(items.remove_item(1), Some("second"));
    assert_eq!(items.remove_item(1), None);
    assert_eq!(items.item_count(), 1);
}

/// The search: loom finds the interleaving where both threads pass the check before either
/// removes, and the second removal panics.
// ANCHOR: caught
#[test]
fn broken_unsafe_array_second_removal_panics() {
    let search = explore_variant(Variant::Broken);
    let failure = search.expect_failure();
    assert!(
        failure.message.contains("removal index (is 1)"),
        "{}",
        failure.message
    );
    // The minimal failure: both check 1 < 2, then both remove index 1.
    racelab_testkit::snapshot!("unsafe_array__trace", failure.trace.render());
}
// ANCHOR_END: caught

/// The replay: loom's search is deterministic, so the same schedule fails on every run.
#[test]
fn broken_unsafe_array_fails_the_same_way_every_run() {
    let first = explore_variant(Variant::Broken);
    let again = explore_variant(Variant::Broken);
    assert_eq!(first.interleavings, again.interleavings);
    assert_eq!(
        first.expect_failure().trace.lines(),
        again.expect_failure().trace.lines()
    );
}

/// The fixed twin, under the very same check: in every interleaving exactly one thread gets the
/// item and the other gets `None`.
// ANCHOR: holds
#[test]
fn fixed_unsafe_array_removes_once() {
    explore_variant(Variant::Fixed).assert_holds();
}
// ANCHOR_END: holds

/// On real threads: many threads race to empty the array from the end, and every item is removed
/// exactly once.
#[test]
fn fixed_unsafe_array_removes_each_item_once_on_real_threads() {
    let items = fixed::ArrayManager::<Std, usize>::new((0..1_000).collect());
    let removed: Vec<usize> = std::thread::scope(|s| {
        let threads: Vec<_> = (0..4)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    for i in (0..1_000).rev() {
                        mine.extend(items.remove_at(i));
                    }
                    mine
                })
            })
            .collect();
        threads
            .into_iter()
            .flat_map(|t| t.join().unwrap())
            .collect()
    });
    let mut removed = removed;
    removed.sort_unstable();
    assert_eq!(removed, (0..1_000).collect::<Vec<_>>());
    assert_eq!(items.item_count(), 0);
    two_removals::<Std, fixed::ArrayManager<Std, String>>();
}
