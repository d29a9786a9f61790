//! R9, fixed: priority inheritance, the lock protocol that bounds how long H can be held up by
//! lower-priority tasks.
//!
//! **Priority inheritance** (Linux's PI futexes, `PTHREAD_PRIO_INHERIT`; on Darwin, locks that
//! record their owner): a task holding a lock runs at the priority of the most urgent task
//! waiting for it. Lo, holding L while H waits, runs at H's priority, so M cannot preempt it. The
//! other classic fix, a priority ceiling, is beside it in [`super::ceiling`].
//!
//! This is a declared rewrite: the broken twin has no priority rule at all (the trait's default,
//! every task at its own priority), so the fix is new code rather than a changed line. The key
//! lines are `priority()`, which asks `inherited`, and its `flat_map` over the waiters of every
//! lock the task holds. The priority is computed from the current state (who holds what, who waits
//! for what) rather than stored and patched, so "give the priority back on unlock" needs no code:
//! once nobody waits, the raised priority is gone.

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
