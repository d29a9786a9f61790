//! A6's broken `performBatchOperations`: the guide's task group, one child task per operation.
//! This version is problematic: the operations reach the serial queue in whatever order their
//! tasks get there, and each commits on its own — a batch is neither ordered nor atomic.

use racelab_actor::Handle;
use tokio::task::JoinSet;

use super::{Op, Queue, hop_to_the_queue, on_the_queue};

// ANCHOR: batch
/// `func performBatchOperations(_ operations: [DatabaseOperation]) async throws`.
pub async fn perform_batch_operations(
    queue: &Handle<Queue>,
    operations: Vec<Op>,
) -> Result<(), String> {
    let mut group = JoinSet::new();
    for (index, operation) in operations.into_iter().enumerate() {
        group.spawn(perform_operations(queue.clone(), index, vec![operation])); // group.addTask
    }
    while let Some(done) = group.join_next().await {
        done.expect("an operation's task does not panic")?; // try await group.waitForAll()
    }
    Ok(())
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
