//! A6's fixed `performBatchOperations`: the whole batch is one job. The queue runs its operations
//! in the order given, in one transaction: all of them, or none.

use racelab_actor::Handle;

use super::{Op, Queue, hop_to_the_queue, on_the_queue};

// ANCHOR: batch
/// `func performBatchOperations(_ operations: [DatabaseOperation]) async throws`.
pub async fn perform_batch_operations(
    queue: &Handle<Queue>,
    operations: Vec<Op>,
) -> Result<(), String> {
    perform_operations(queue.clone(), 0, operations).await // one job: in order, one transaction
}
// ANCHOR_END: batch

/// `performOperation(_:)`: gets onto the queue with one job and waits for its outcome.
async fn perform_operations(
    queue: Handle<Queue>,
    index: usize,
    ops: Vec<Op>,
) -> Result<(), String> {
    hop_to_the_queue(index).await;
    on_the_queue(&queue, ops).await
}
