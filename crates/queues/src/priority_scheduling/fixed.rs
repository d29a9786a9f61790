//! Q7, fixed: the same queue with aging — a waiting job gains one priority level for every
//! [`AGE_EVERY`] steps it waits, so nothing waits more than [`BOUND`] steps.
//!
//! One line changes: the policy. The frames still run first while the cleanup is fresh; once the
//! cleanup has waited long enough it ties with the frames, and the older job wins the tie. (Weighted
//! round-robin between priority levels bounds the wait too; aging needs no weights to tune.)

use racelab_dispatch::priority_queue::{Policy, PriorityQueue};

#[cfg(doc)]
use super::BOUND;
use super::{AGE_EVERY, LABEL};

// ANCHOR: queue
/// The work queue: highest *effective* priority first; waiting raises it.
pub fn work_queue() -> PriorityQueue {
    PriorityQueue::inactive(LABEL, Policy::Aging { every: AGE_EVERY }) // aging: no job waits forever
}
// ANCHOR_END: queue
