//! R9, broken: a lock that knows nothing about priorities.
//!
//! This version is problematic.
//!
//! The guide's `PriorityInversionExample` (L4872–4906) guards its resource with a plain lock.
//! In the simulator, "plain" means: holding the lock or waiting for it changes nobody's priority.
//! That is what a lock without an owner gives you on any system (a `DispatchSemaphore` used as a
//! lock, a spin flag), and what any lock gives you on a scheduler that does not track owners. So
//! when Lo holds the lock H wants, M — which needs no lock at all — outranks Lo and takes the CPU
//! for as long as it likes, and H waits for all of it.

use super::sim::LockProtocol;

// ANCHOR: protocol
/// A plain lock: holding it or waiting for it changes nobody's priority.
pub struct NoProtocol;

impl LockProtocol for NoProtocol {
    fn name(&self) -> &'static str {
        "no protocol (a plain lock)"
    }
    // The default `priority`: every task runs at its own priority, whoever it waits for.
}
// ANCHOR_END: protocol
