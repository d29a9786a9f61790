//! Q4, broken: the guide's `BadThreadManager` — a new thread for every item.
//!
//! This version is problematic.
//!
//! `Thread { self.processItem(item) }.start()` (L499–507), ported as literally as Rust allows:
//! one `std::thread` per item, started and forgotten. Nothing limits how many run at once, so `N`
//! items that block (on I/O, a lock, a sleep) are `N` threads alive at the same time — each with
//! its own stack and its own slot in the scheduler. With a few thousand items the process runs out
//! of memory or thread ids (`spawn` fails, and panics).

use std::sync::Arc;

use super::{Gauge, process_item};

// ANCHOR: manager
/// The guide's `BadThreadManager`.
pub struct ThreadManager {
    gauge: Arc<Gauge>,
}

impl ThreadManager {
    /// A manager whose items report to `gauge`.
    pub fn new(gauge: Arc<Gauge>) -> Self {
        ThreadManager { gauge }
    }

    /// Starts processing every item and returns at once.
    pub fn process_items(&self, items: Vec<String>) {
        for item in items {
            self.gauge.handed_over();
            let gauge = self.gauge.clone();
            std::thread::spawn(move || process_item(&item, &gauge)); // a new thread for each item
        }
    }
}
// ANCHOR_END: manager
