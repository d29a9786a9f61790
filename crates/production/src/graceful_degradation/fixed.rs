//! P2's fixed `GracefulDegradationManager`: it keeps each input — what the network says and
//! what performance says — and computes the mode from both ([`mode`](super::mode)), so an event
//! about one input cannot erase what the other says.

use super::{Mode, Net};

/// `class GracefulDegradationManager`: the two inputs instead of `currentMode`.
#[derive(Debug, Default)]
pub struct GracefulDegradationManager {
    net: Net,          // was `current_mode`: the network's input, kept on its own
    perf: super::Perf, // and performance's, kept on its own
}

// ANCHOR: manager
impl super::Degradation for GracefulDegradationManager {
    fn network_changed(&mut self, status: Net) {
        self.net = status; // the network's input only
    }

    fn performance_degraded(&mut self) {
        self.perf = self.perf.degraded(); // performance's input only
    }

    fn performance_recovered(&mut self) {
        self.perf = super::Perf::Normal; // the way back the guide has no event for
    }

    fn current_mode(&self) -> Mode {
        super::mode(self.net, self.perf) // computed from both inputs, never stored
    }
}
// ANCHOR_END: manager
