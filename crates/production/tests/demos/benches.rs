//! P7 `benches`: results stored through a queue and read beside it; a compare right after
//! `benchmark()` misses them.

use production::benches::{Benchmarker, NAMES, broken, compare_right_after, fixed, run};
use racelab_kit::demo::Variant;
use racelab_kit::rt::{self, Gate};

/// The trivial case: with the queue free to run, a compare after the writes finds both.
#[test]
fn broken_benches_compare_finds_both_once_the_queue_has_run() {
    let compared = rt::run(async {
        let queue = Gate::new("queue");
        queue.open();
        let benchmarker = broken::PerformanceBenchmarker::new(queue);
        for name in NAMES {
            benchmarker.benchmark(|| 2 + 2, name, 10, 1);
        }
        benchmarker.queue().run(|| ()).await;
        benchmarker.compare_benchmarks(NAMES[0], NAMES[1]).await
    });
    assert!(
        compared
            .unwrap()
            .starts_with("Serial Queue Sync vs Concurrent Queue Sync")
    );
}

// ANCHOR: caught
/// The forced schedule: the queue is held, the compare runs right after the two benchmarks.
#[test]
fn broken_benches_compare_right_after_benchmark_misses_the_entry() {
    let (outcome, trace) = run(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "compare right after benchmark(): no entry, its write still queued"
    );
    racelab_testkit::snapshot!("benches__trace", trace.render());
}
// ANCHOR_END: caught

/// The same check on the fixed benchmarker: its read waits behind the writes on the queue.
#[test]
fn fixed_benches_compare_reads_through_the_queue_after_the_writes() {
    assert_eq!(
        rt::run(compare_right_after::<fixed::PerformanceBenchmarker>()),
        Ok(())
    );
}
