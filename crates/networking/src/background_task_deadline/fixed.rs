//! N13's fixed `BackgroundRefreshManager`: the next refresh is submitted first, and the expiration
//! handler cancels the work before it completes the task, so the work never completes it again.

use tokio_util::sync::CancellationToken;

use super::{BgTask, perform_background_work, schedule_background_refresh};

/// `class BackgroundRefreshManager`.
#[derive(Debug, Default)]
pub struct BackgroundRefreshManager;

// ANCHOR: handle
impl super::RefreshManager for BackgroundRefreshManager {
    fn handle_background_refresh(&self, task: BgTask) {
        schedule_background_refresh(&task); // the next refresh, before this one can expire
        let cancel = CancellationToken::new();
        // Set expiration handler
        let expiring = task.clone();
        let stop = cancel.clone();
        task.set_expiration_handler(move || {
            stop.cancel(); // stop the work first: it must not complete the task again
            expiring.set_task_completed(false);
        });

        // Perform background work
        perform_background_work(cancel, move |success| {
            task.set_task_completed(success);
        });
    }
}
// ANCHOR_END: handle
