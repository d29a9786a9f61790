//! N13's broken `BackgroundRefreshManager`: the guide's `handleBackgroundRefresh(_:)`
//! (L3656–3672). This version is problematic: the expiration handler completes the task but does
//! not stop the work, which runs past the deadline and completes the task a second time; and no
//! next refresh is submitted.

use tokio_util::sync::CancellationToken;

use super::{BgTask, perform_background_work};

/// `class BackgroundRefreshManager`.
#[derive(Debug, Default)]
pub struct BackgroundRefreshManager;

// ANCHOR: handle
impl super::RefreshManager for BackgroundRefreshManager {
    fn handle_background_refresh(&self, task: BgTask) {
        let cancel = CancellationToken::new(); // the guide's work takes no way to stop it
        // Set expiration handler
        let expiring = task.clone();
        task.set_expiration_handler(move || {
            expiring.set_task_completed(false);
        });

        // Perform background work
        perform_background_work(cancel, move |success| {
            task.set_task_completed(success);
        });
    }
}
// ANCHOR_END: handle
