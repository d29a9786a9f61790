//! P2's broken `GracefulDegradationManager`: the guide's modes. This version is problematic: one
//! `currentMode` holds what two independent inputs (network and performance) say, so a network
//! event overwrites a degradation that performance caused — a reconnect restores `Full` while
//! performance is still poor, and a worse network can even improve the mode.

use super::{Mode, Net};

/// `class GracefulDegradationManager`: `@Published var currentMode = .full`.
#[derive(Debug, Default)]
pub struct GracefulDegradationManager {
    current_mode: Mode,
}

// ANCHOR: manager
impl super::Degradation for GracefulDegradationManager {
    fn network_changed(&mut self, status: Net) {
        self.current_mode = status.mode(); // `handleNetworkStatusChange`
    }

    fn performance_degraded(&mut self) {
        self.current_mode = self.current_mode.degraded(); // `handlePerformanceDegradation`
    }

    fn performance_recovered(&mut self) {
        // the guide has no such event
    }

    fn current_mode(&self) -> Mode {
        self.current_mode
    }
}
// ANCHOR_END: manager
