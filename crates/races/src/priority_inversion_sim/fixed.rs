//! R9, fixed: two lock protocols that bound how long H can be held up by lower-priority tasks.
//!
//! * **Priority inheritance** (Linux's PI futexes, `PTHREAD_PRIO_INHERIT`; on Darwin, locks that
//!   record their owner): a task holding a lock runs at the priority of the most urgent task
//!   waiting for it. Lo, holding L while H waits, runs at H's priority, so M cannot preempt it.
//! * **Priority ceiling** (`PTHREAD_PRIO_PROTECT`, the "immediate ceiling" variant): taking a
//!   lock raises the taker at once to the lock's ceiling, the highest priority of any task that
//!   ever takes it. Lo runs at H's priority from the moment it takes L, so H cannot even start
//!   until L is free — and then never blocks on it.
//!
//! Both priorities are computed from the current state (who holds what, who waits for what)
//! rather than stored and patched, so "give the priority back on unlock" needs no code: once
//! nobody waits, the raised priority is gone.

use super::sim::{LockProtocol, Prio, TaskId, World};

// ANCHOR: inheritance
/// Priority inheritance: a task runs at the highest of its own priority and the priorities of the
/// tasks waiting for the locks it holds (which may themselves have inherited, down a chain).
pub struct PriorityInheritance;

impl LockProtocol for PriorityInheritance {
    fn name(&self) -> &'static str {
        "priority inheritance"
    }

    fn priority(&self, world: &World, task: TaskId) -> Prio {
        inherited(world, task, world.task_count())
    }
}

/// `task`'s own priority, raised to that of every waiter on every lock it holds.
fn inherited(world: &World, task: TaskId, depth: usize) -> Prio {
    let own = world.own_priority(task);
    if depth == 0 {
        return own; // only a cycle of waiters (a deadlock) goes this deep
    }
    world
        .held_by(task)
        .flat_map(|lock| world.waiters(lock))
        .map(|&waiter| inherited(world, waiter, depth - 1))
        .fold(own, Prio::max)
}
// ANCHOR_END: inheritance

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
