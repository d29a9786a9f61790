//! R10, fixed: real priority inheritance — the owner runs at its most urgent waiter's priority
//! while it holds the lock, and at its own again once nobody waits.
//!
//! It is R9's [`PriorityInheritance`](crate::priority_inversion_sim::fixed::PriorityInheritance),
//! under the guide's name. Compared with the guide's lock, two things change: the priority moves
//! *up* and onto the *owner* (not down and onto the waiter), and it happens *while the lock is
//! held* (not after it is released). Because the owner's priority is computed from who waits now,
//! "restore it on unlock" is automatic: once the waiter has the lock, the old owner has nobody to
//! inherit from. The waiting list is the simulator's own (one per lock, changed only by the
//! scheduler), so there is nothing to race on — on real threads, the kernel keeps this list
//! under its own lock (Linux's PI futexes, `PTHREAD_PRIO_INHERIT`).
//!
//! A declared rewrite: the guide's algorithm has nothing to keep, so this twin replaces it rather
//! than changing a line. Side by side, the key lines are the broken twin's `after_unlock`, which
//! runs after the hand-over and sets each more urgent waiter's own priority *down* to the
//! unlocker's (`world.set_own_priority(thread, current)`), against R9's `priority()`, which raises
//! the *owner* to its waiters' priority while it holds the lock
//! (`world.held_by(task).flat_map(|lock| world.waiters(lock))`).

pub use crate::priority_inversion_sim::fixed::PriorityInheritance as PriorityInheritanceLock;
