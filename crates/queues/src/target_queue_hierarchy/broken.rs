//! Q14, broken: the guide's `QueueHierarchyManager` — the dependency queue targets the critical
//! queue.
//!
//! This version is problematic.
//!
//! Ported from L1131–1191. `attributes: .serial` (L1137, L1162) does not exist in Swift — a serial
//! queue is the default, `attributes: []` — so both queues here are plain serial queues. The two
//! concurrent queues (`normalQueue`, `backgroundQueue`) play no part in what goes wrong and are
//! left out. `target: criticalQueue` (L1163) becomes [`SerialQueue::with_target`]: every
//! dependent job now drains through `critical.queue`, one job at a time with the critical ones, so
//! a long dependent job holds every critical job behind it.

use racelab_dispatch::serial_queue::SerialQueue;

use super::{CRITICAL, DEPENDENCY};

// ANCHOR: manager
/// The guide's queue hierarchy, minus the two concurrent queues.
pub struct QueueHierarchyManager {
    critical_queue: SerialQueue,
    dependency_queue: SerialQueue,
}

impl QueueHierarchyManager {
    /// The critical queue, and a dependency queue that targets it (L1158–1164).
    pub fn new() -> Self {
        let critical_queue = SerialQueue::new(CRITICAL);
        let dependency_queue = SerialQueue::with_target(DEPENDENCY, &critical_queue);
        QueueHierarchyManager {
            critical_queue,
            dependency_queue,
        }
    }

    /// `criticalQueue.async { operation() }` (L1167–1171).
    pub fn perform_critical_operation(&self, operation: impl FnOnce() + Send + 'static) {
        self.critical_queue.dispatch_async(operation);
    }

    /// `dependencyQueue.async { operation() }` — "This will respect the critical queue's
    /// priority" (L1185–1190).
    pub fn perform_dependent_operation(&self, operation: impl FnOnce() + Send + 'static) {
        self.dependency_queue.dispatch_async(operation);
    }
}
// ANCHOR_END: manager

impl Default for QueueHierarchyManager {
    fn default() -> Self {
        Self::new()
    }
}

impl QueueHierarchyManager {
    /// The dependency queue, for tests that `sync` onto it.
    pub fn dependency_queue(&self) -> &SerialQueue {
        &self.dependency_queue
    }

    /// The critical queue, for tests that `sync` onto it.
    pub fn critical_queue(&self) -> &SerialQueue {
        &self.critical_queue
    }
}

impl super::Hierarchy for QueueHierarchyManager {
    fn create() -> Self {
        Self::new()
    }
    fn critical(&self, operation: Box<dyn FnOnce() + Send>) {
        self.perform_critical_operation(operation)
    }
    fn dependent(&self, operation: Box<dyn FnOnce() + Send>) {
        self.perform_dependent_operation(operation)
    }
}
