//! Q10 `barrier_rw_cache`: the guide's barrier cache on its own queue holds; on a global queue,
//! where GCD ignores barriers, a write overlaps a read held open by a gate.

use queues::barrier_rw_cache::rwlock_cache::two_callers;
use queues::barrier_rw_cache::{Cache as _, Outcome, broken, check, fixed, run_scenario};
use racelab_kit::demo::Variant;
use racelab_kit::explore::explore;
use racelab_kit::sync::Loom;

/// The trivial case: with no write in flight the broken cache reads right — the global queue only
/// hurts when a "barrier" write meets a read.
#[test]
fn broken_barrier_rw_cache_is_right_with_one_caller() {
    let cache = broken::ThreadSafeCache::new();
    assert_eq!(cache.get_value("k"), None);
    assert_eq!(cache.get_all_keys(), Vec::<String>::new());
    assert_eq!(cache.storage().races(), 0);
}

fn outcome(variant: Variant) -> (Outcome, String) {
    let (watched, trace) = run_scenario(variant);
    (watched.expect_finished(), trace.render())
}

/// On a global queue the "barrier" is a plain async job: it starts while the held read is in
/// progress. The storage counts the overlap (in Swift, a data race on the dictionary).
// ANCHOR: caught
#[test]
fn broken_barrier_rw_cache_writes_during_a_read() {
    let (outcome, trace) = outcome(Variant::Broken);
    assert_eq!(outcome.races, 1, "{trace}");
    assert_eq!(
        check(&outcome).as_deref(),
        Some("1 write(s) overlapped a read: the barrier did not wait")
    );
    racelab_testkit::snapshot!("barrier_rw_cache__trace", trace);
}
// ANCHOR_END: caught

/// The guide's cache, on its own queue, under the same check: the barrier waits for the read,
/// and the read after `set_value` sees the write.
// ANCHOR: holds
#[test]
fn fixed_barrier_rw_cache_barrier_waits_for_the_read() {
    let (outcome, trace) = outcome(Variant::Fixed);
    assert_eq!(check(&outcome), None, "{trace}");
    assert_eq!(
        outcome,
        Outcome {
            reader_got: Some(1),
            then_got: Some(2),
            races: 0
        }
    );
}
// ANCHOR_END: holds

/// Read-your-writes, without any gate: a `sync` read queued after `set_value`'s barrier waits for
/// it. (On the broken cache's global queue nothing orders the two.)
#[test]
fn fixed_barrier_rw_cache_reads_its_own_write() {
    let cache = fixed::ThreadSafeCache::new();
    for i in 0..100 {
        cache.set_value(i, "k");
        assert_eq!(cache.get_value("k"), Some(i));
    }
    assert_eq!(cache.get_all_keys(), ["k"]);
}

/// The caveat the guide does not state, on the cache a Rust programmer would write
/// (`RwLock<HashMap>`): a get-miss-then-set in two steps lets two callers both miss and both
/// compute. loom finds it.
// ANCHOR: two_steps
#[test]
fn broken_barrier_rw_cache_get_then_set_computes_twice() {
    let search = explore(|| two_callers::<Loom>(false));
    let failure = search.expect_failure();
    assert_eq!(failure.message, "one missing key, computed 2 times");
    racelab_testkit::snapshot!("barrier_rw_cache__two_steps", failure.trace.render());
}
// ANCHOR_END: two_steps

/// `entry(..).or_insert_with` under the write lock: computed once, on every interleaving.
#[test]
fn fixed_barrier_rw_cache_entry_computes_once() {
    let search = explore(|| two_callers::<Loom>(true));
    search.assert_holds();
}
