//! Q6, broken: a job on a serial queue calls `sync` on that same queue.
//!
//! This version is problematic.
//!
//! The guide's "Main Queue" warning (L1535: `// DispatchQueue.main.sync { } // ❌ Never do
//! this!`) made concrete: a job already running on `main-queue` — the stand-in for the main queue —
//! asks `main-queue.sync` for more work. The sync job is enqueued *behind* the running job, and the
//! running job waits for it: neither can ever proceed. The queue is the naive one, whose `sync`
//! does not look at who is calling.

use racelab_kit::{say, step};

use super::naive_queue_model::NaiveSerialQueue as SerialQueue;

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
        q.sync(update_ui_again); // DispatchQueue.main.sync { } from a job on main
    });
}
// ANCHOR_END: refresh
