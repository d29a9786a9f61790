//! Q14, fixed: the dependency queue is a serial queue of its own; it does not target the critical
//! queue.
//!
//! One line changes. Dependent jobs still run one at a time, in order — which is all "dependency
//! management" needs — but on their own drain, so a long dependent job no longer holds critical
//! work behind it. Priority was never the target's to give: in GCD the dependency queue already
//! asks for `.userInitiated` itself (L1161), and a queue that inherits a priority still waits its
//! turn on a shared serial drain.

use racelab_dispatch::serial_queue::SerialQueue;

use super::{CRITICAL, DEPENDENCY};

// ANCHOR: manager
/// The guide's queue hierarchy, minus the two concurrent queues.
pub struct QueueHierarchyManager {
    critical_queue: SerialQueue,
    dependency_queue: SerialQueue,
}

impl QueueHierarchyManager {
    /// The critical queue, and a dependency queue that drains on its own.
    pub fn new() -> Self {
        let critical_queue = SerialQueue::new(CRITICAL);
        let dependency_queue = SerialQueue::new(DEPENDENCY); // no target: its own drain, no head-of-line blocking
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
