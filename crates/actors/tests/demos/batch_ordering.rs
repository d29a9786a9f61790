//! A6 `batch_ordering`: one task per database operation — no order, no atomicity.

use actors::batch_ordering::{
    Job, Op, Queue, batches_keep_order_and_fail_whole, broken, fixed, run,
};
use racelab_actor::spawn;
use racelab_kit::demo::Variant;
use racelab_kit::rt;

/// The trivial case: a batch of one operation has one order, and the broken twin applies it.
#[test]
fn broken_batch_ordering_is_right_for_one_operation() {
    let rows = rt::run(async {
        let (queue, _task) = spawn("db-queue", Queue::open(&[]).unwrap());
        broken::perform_batch_operations(&queue, vec![Op::Insert("x", "v1")])
            .await
            .unwrap();
        queue.ask(Job::Look).await.unwrap().0
    });
    assert_eq!(rows, ["x = v1"]);
}

// ANCHOR: caught
/// The forced schedule: job 2 reaches the queue first, then job 0, then job 1. The delete finds
/// nothing, the insert and update then bring `x` back; and the batch whose second operation is
/// rejected keeps the two that were not.
#[test]
fn broken_batch_ordering_runs_out_of_order_and_half_applies() {
    let (outcome, trace) = run(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "the batch ran as [delete x, insert x, update x], leaving [\"x = v2\"]; \
         a failed batch left [\"a = v1\", \"c = v1\"]"
    );
    racelab_testkit::snapshot!("batch_ordering__trace", trace.render());
}
// ANCHOR_END: caught

/// The same check on the fixed twin: one job, in order, one transaction.
#[test]
fn fixed_batch_ordering_keeps_order_and_rolls_back_a_failed_batch() {
    assert_eq!(
        rt::run(batches_keep_order_and_fail_whole(
            fixed::perform_batch_operations
        )),
        Ok(())
    );
}
