//! Q6, fixed: the same call through the checked [`SerialQueue`], which refuses it at once.
//!
//! [`SerialQueue::sync`] knows, through its queue-specific key, that the caller is already running
//! on the queue, and returns [`SyncError::WouldDeadlock`](racelab_dispatch::serial_queue::SyncError) without
//! enqueuing anything. The job then does what it should have done in the first place: it is
//! already on the queue, so it runs the work directly. (Code that may or may not be on the queue
//! asks [`SerialQueue::is_current`] first; the refusal is the safety net, not the plan.)

use racelab_kit::{say, step};

use racelab_dispatch::serial_queue::SerialQueue;

// ANCHOR: refresh
/// The second half of a UI update, which must run on the queue.
fn update_ui_again() {
    step!(super::UPDATED_AGAIN);
}

/// Enqueues a UI refresh on `queue`; the refresh, already on the queue, `sync`s onto it.
pub fn refresh(queue: &SerialQueue) {
    let q = queue.clone();
    queue.dispatch_async(move || {
        say!("updates the UI");
        if let Err(refused) = q.sync(update_ui_again) {
            // checked: refused at once, no hang
            say!("is refused: {refused}");
            update_ui_again(); // already on the queue: just do the work
        }
    });
}
// ANCHOR_END: refresh
