//! Q7, broken: the guide's "QoS determines execution order" (L1546) taken literally — a work queue
//! that always runs the highest priority waiting.
//!
//! This version is problematic.
//!
//! Strict priority is the tempting reading of the guide's ranked list (L1550–1556, L1599–1604):
//! `.userInteractive` work first, `.background` work when nothing better is waiting. While
//! high-priority work keeps arriving — an animation asks for its next frame from each frame — the
//! low-priority job waits, step after step, for as long as the stream lasts.

use racelab_dispatch::priority_queue::{Policy, PriorityQueue};

use super::LABEL;

// ANCHOR: queue
/// The work queue: highest priority first, always.
pub fn work_queue() -> PriorityQueue {
    PriorityQueue::inactive(LABEL, Policy::Strict)
}
// ANCHOR_END: queue
