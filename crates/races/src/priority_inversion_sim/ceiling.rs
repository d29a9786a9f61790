//! R9, the other fix: a priority ceiling, shown beside the fixed twin ([`super::fixed`]).
//!
//! **Priority ceiling** (`PTHREAD_PRIO_PROTECT`, the "immediate ceiling" variant): taking a lock
//! raises the taker at once to the lock's ceiling, the highest priority of any task that ever
//! takes it. Lo runs at H's priority from the moment it takes L, so H cannot even start until L
//! is free — and then never blocks on it. Like inheritance, the priority is computed from who
//! holds what now, so it drops by itself on unlock.

use super::sim::{LockProtocol, Prio, TaskId, World};

// ANCHOR: ceiling
/// Priority ceiling: a task holding locks runs at least at the highest ceiling among them.
pub struct PriorityCeiling;

impl LockProtocol for PriorityCeiling {
    fn name(&self) -> &'static str {
        "priority ceiling"
    }

    fn priority(&self, world: &World, task: TaskId) -> Prio {
        world
            .held_by(task)
            .map(|lock| world.ceiling(lock))
            .fold(world.own_priority(task), Prio::max)
    }
}
// ANCHOR_END: ceiling
