//! R10, broken: the guide's `PriorityInheritanceLock` (L4910–4953), as a lock protocol.
//!
//! This version is problematic.
//!
//! Ported step for step. Its `lock()` (L4915–4931) changes no priority: it only appends the
//! caller to `waitingThreads` and waits, so the owner is never raised — the one thing priority
//! inheritance is. Its `unlock()` (L4933–4943) releases the lock and then runs
//! `boostWaitingThreadPriorities()` (L4945–4951): every waiting thread whose quality of service is
//! *higher* than the unlocking thread's is set to the unlocking thread's, which is *lower*. The
//! "boost" demotes the most urgent waiter, for good: nothing ever sets it back.
//!
//! Two things the simulator makes definite that Swift leaves to chance:
//! * `unlock()` runs as one step, so the thread that was just handed the lock has not yet run its
//!   `waitingThreads.removeAll` (L4928) and is still in the list when the loop runs. On real
//!   threads that is a data race on the array (see `tests/compile_fail/priority_inheritance_sim.rs`);
//!   if the woken thread removed itself first, the loop would do nothing at all.
//! * `thread.qualityOfService = …` takes effect. Foundation's `NSThread.h` marks the property
//!   "read-only after the thread is started", so on a real, running thread the assignment should
//!   not even do this much; either way, the waiter is never helped.

use crate::priority_inversion_sim::sim::{LockId, LockProtocol, TaskId, World};

// ANCHOR: lock
/// The guide's lock: nobody's priority changes while it is held; `unlock()` "boosts" waiters.
pub struct PriorityInheritanceLock;

impl LockProtocol for PriorityInheritanceLock {
    fn name(&self) -> &'static str {
        "the guide's PriorityInheritanceLock"
    }

    // lock(): `waitingThreads.append(currentThread); lock.lock()` — the owner is never raised,
    // so the default `priority` (each task's own) is the guide's.

    /// unlock(): `lock.unlock()`, then `boostWaitingThreadPriorities()`.
    fn after_unlock(&self, world: &mut World, unlocker: TaskId, _: LockId, waiting: &[TaskId]) {
        let current = world.own_priority(unlocker); // Thread.current.qualityOfService
        for &thread in waiting {
            // if thread.qualityOfService.rawValue > Thread.current.qualityOfService.rawValue
            if world.own_priority(thread) > current {
                // "Boost the waiting thread's priority": to the unlocker's, which is lower.
                world.set_own_priority(thread, current);
                let (who, by) = (world.name(thread), world.name(unlocker));
                world.note(format!(
                    "{by}'s unlock() \"boosts\" {who} to {by}'s priority {current}"
                ));
            }
        }
    }
}
// ANCHOR_END: lock
