//! Q1 `shared_serial_queue`: a serial queue made per call — two saves, one lost; a shared queue
//! runs them one after the other.

use std::sync::Arc;

use queues::shared_serial_queue::model_queue::Gcd;
use queues::shared_serial_queue::{Database, broken, explore_variant, real_threads, two_saves};
use racelab_kit::demo::Variant;
use racelab_kit::sync::Std;

/// The trivial case: one save on its own queue is right — the bug needs two calls.
#[test]
fn broken_shared_serial_queue_is_right_for_one_save() {
    let db = Arc::new(Database::<Std>::new());
    let gcd = Gcd::default();
    broken::Store::new(db.clone(), &gcd).save();
    gcd.run::<Std>();
    assert_eq!(db.records(), 1);
}

/// The search: two calls make two queues, so loom runs the saves on two threads and finds the
/// interleaving where both read 0 and both write 1.
// ANCHOR: caught
#[test]
fn broken_shared_serial_queue_loses_a_save() {
    let search = explore_variant(Variant::Broken);
    let failure = search.expect_failure();
    assert_eq!(
        failure.message,
        "lost update: 2 saves, but the database holds 1 record(s)"
    );
    // Two threads, one per queue: `critical.operations #1` and `#2`.
    racelab_testkit::snapshot!("shared_serial_queue__trace", failure.trace.render());
}
// ANCHOR_END: caught

/// The replay: the search is deterministic, so the same schedule fails on every run.
#[test]
fn broken_shared_serial_queue_fails_the_same_way_every_run() {
    let first = explore_variant(Variant::Broken);
    let again = explore_variant(Variant::Broken);
    assert_eq!(first.interleavings, again.interleavings);
    assert_eq!(
        first.expect_failure().trace.lines(),
        again.expect_failure().trace.lines()
    );
}

/// On real threads, with the crate's `SerialQueue`: per-call queues run the saves on two threads.
#[test]
fn broken_shared_serial_queue_runs_on_two_threads() {
    assert_eq!(real_threads(Variant::Broken), 2);
}

/// The fixed twin under the very same check: one queue, one thread, both saves count.
// ANCHOR: holds
#[test]
fn fixed_shared_serial_queue_keeps_both_saves() {
    explore_variant(Variant::Fixed).assert_holds();
}
// ANCHOR_END: holds

/// On real threads: the shared `SerialQueue` runs both saves on its one thread.
#[test]
fn fixed_shared_serial_queue_runs_on_one_thread() {
    assert_eq!(real_threads(Variant::Fixed), 1);
    // The model check itself also runs on real threads (it is the same code).
    two_saves::<Std, queues::shared_serial_queue::fixed::Store<Std>>();
}
