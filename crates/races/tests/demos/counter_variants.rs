//! R2 `counter_variants`: safe methods, unsafe composition.

use racelab_kit::demo::Variant;
use racelab_kit::explore::explore;
use racelab_kit::sync::Loom;
use races::counter_variants::variants::variants_count;
use races::counter_variants::{broken, explore_variant, two_increments};

/// The trivial case: each method of the guide's counter *is* safe — two plain increments on two
/// threads count 2 in every interleaving. The bug is not in the counter.
#[test]
fn broken_counter_variants_each_method_is_safe() {
    explore(two_increments::<Loom, broken::SafeCounter<Loom>>).assert_holds();
}

/// The search: "increment if below the limit", built from `get` and `increment`, lets both
/// threads take the last ticket.
// ANCHOR: caught
#[test]
fn broken_counter_variants_overshoots_the_limit() {
    let search = explore_variant(Variant::Broken);
    let failure = search.expect_failure();
    assert!(
        failure.message.starts_with("overshoot"),
        "{}",
        failure.message
    );
    // Both see 0, both increment.
    racelab_testkit::snapshot!("counter_variants__trace", failure.trace.render());
}
// ANCHOR_END: caught

/// The fixed twin under the same check: exactly one thread takes the ticket, in every interleaving.
#[test]
fn fixed_counter_variants_takes_exactly_one_ticket() {
    explore_variant(Variant::Fixed).assert_holds();
}

/// The six correct counters the benchmark compares really are correct on real threads.
#[test]
fn fixed_counter_variants_all_count_every_increment() {
    for (name, count) in variants_count(2, 5_000) {
        assert_eq!(count, 10_000, "{name}");
    }
}
