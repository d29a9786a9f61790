//! Q9 `sync_vs_async`: a pool job syncs onto its own pool — a hang with the naive pool, inline
//! work with rayon's `install`.

use queues::sync_vs_async::naive_pool_model::NaivePool;
use queues::sync_vs_async::{run_scenario, worker_waits_for_its_pool};
use racelab_kit::demo::Variant;
use racelab_kit::trace::said;
use racelab_kit::watchdog::last_words;

/// The trivial case: `sync` onto the naive pool from outside the pool is fine.
#[test]
fn broken_sync_vs_async_is_fine_from_outside_the_pool() {
    let pool = NaivePool::new(1);
    assert_eq!(pool.sync(|| 42), 42);
}

/// The deadlock on real threads: the only worker waits for its own pool, and main waits behind
/// it. No gate forces it — it happens every time; the watchdog proves it from the recorded waits
/// at once, with no idle timeout.
// ANCHOR: caught
#[test]
fn broken_sync_vs_async_deadlocks() {
    let (watched, trace) = run_scenario(Variant::Broken);
    let proof = watched.expect_deadlock();
    assert_eq!(
        proof.summary(),
        "main waits for its sync job on the pool; pool-0 waits for its sync job on the pool"
    );
    assert!(worker_waits_for_its_pool(&trace), "{}", trace.render());
    let mut words: Vec<String> = said(last_words(&trace));
    words.sort();
    assert_eq!(
        words,
        [
            "main: waits for the pool to run its sync job",
            "pool-0: waits for the pool to run its sync job",
        ]
    );
}
// ANCHOR_END: caught

/// The fixed twin in the same scenario: the heavy work runs inline on pool-0, and main gets its
/// result back.
// ANCHOR: inline
#[test]
fn fixed_sync_vs_async_runs_inline_on_the_worker() {
    let (watched, trace) = run_scenario(Variant::Fixed);
    watched.expect_finished();
    let said: Vec<String> = said(trace.lines());
    assert_eq!(
        said,
        [
            "main: waits for the pool to run its job",
            "pool-0: runs a job on the pool",
            "pool-0: performs the heavy operation",
            "main: gets its result back",
        ]
    );
}
// ANCHOR_END: inline
