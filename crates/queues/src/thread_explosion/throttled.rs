//! Q4, a second lesson beside the fix: **backpressure**. [`fixed`](super::fixed)'s pool bounds how
//! many items *run* at once, but `process_items` still hands over all `N` at once and the pool's
//! queue holds every one. `ThrottledManager` bounds how many are *in flight*: the caller takes a
//! permit from the library's [`DispatchSemaphore`] before handing over each item, and the item
//! returns it when done, so the caller itself waits once `k` items are in flight — GCD's
//! "semaphore + queue" width limit. Kept out of `fixed.rs` so that file stays the one changed line
//! against `broken.rs`; the book shows it as its own section (anchor `throttled`).

use std::sync::Arc;

use racelab_dispatch::semaphore::DispatchSemaphore;

use super::{Gauge, process_item};

// ANCHOR: throttled
/// Backpressure as well: at most `k` items in flight, and the caller waits for a permit before it
/// hands over the next one.
pub struct ThrottledManager {
    gauge: Arc<Gauge>,
    permits: Arc<DispatchSemaphore>,
}

impl ThrottledManager {
    /// A manager that lets at most `k` items run at once.
    pub fn new(gauge: Arc<Gauge>, k: usize) -> Self {
        let permits = Arc::new(DispatchSemaphore::new(k));
        ThrottledManager { gauge, permits }
    }

    /// Processes every item, at most `k` at a time; blocks while `k` are in flight.
    pub fn process_items(&self, items: Vec<String>) {
        for (i, item) in items.into_iter().enumerate() {
            let permit = self.permits.acquire_owned(); // waits while k items are in flight
            self.gauge.handed_over();
            let gauge = self.gauge.clone();
            std::thread::Builder::new()
                .name(format!("item-{i}"))
                .spawn(move || {
                    process_item(&item, &gauge);
                    drop(permit); // the next item may start
                })
                .expect("spawn a thread");
        }
    }
}
// ANCHOR_END: throttled
