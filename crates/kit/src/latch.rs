//! A one-shot latch: closed until someone opens it, then open for good; threads wait for it.
//!
//! Real-thread scenarios keep needing the same gate: items that block "as if on I/O" until `main`
//! has seen enough of them running, a worker that runs until it is told to stop, a request that
//! waits until it is cancelled. Each is a `Mutex<bool>` and a `Condvar` — and each hand-written
//! copy has to get the same details right: the `while !open` loop against spurious wake-ups,
//! notifying *all* waiters, a poisoned lock, and (for scenarios that wait until "everyone who can
//! is stuck") a count of who is blocked right now that opening resets under the same lock. So it
//! lives here once:
//!
//! ```
//! use std::sync::Arc;
//! use std::time::Duration;
//! use racelab_kit::latch::Latch;
//!
//! let latch = Arc::new(Latch::new());
//! assert!(!latch.wait_timeout(Duration::from_millis(1))); // still closed
//! let waiter = {
//!     let latch = latch.clone();
//!     std::thread::spawn(move || latch.wait())
//! };
//! latch.open();
//! waiter.join().unwrap();
//! assert!(latch.is_open() && latch.wait_timeout(Duration::ZERO));
//! ```
//!
//! Opening is for good: there is no reset, so a late waiter never blocks on a gate that was
//! already opened (no lost wake-up). [`Latch::wait`] waits without a bound, for scenarios where
//! staying blocked *is* the finding (a leaked worker nobody stops) or that run under the
//! [`watchdog`](crate::watchdog); [`Latch::wait_timeout`] is the bounded wait. Real threads only.
//!
//! Inside a watched scenario [`Latch::wait`] is a recorded wait ("worker waits for stop"), and
//! opening it a recorded wake-up, so a latch nobody can open any more is part of a proven deadlock
//! (see [`crate::wait`]). Name it with [`Latch::named`] for the report.

use std::sync::{Condvar, Mutex};
use std::time::Duration;

use crate::sync::lock_unpoisoned;
use crate::wait::Resource;

/// A gate that starts closed and, once opened, stays open.
#[derive(Debug)]
pub struct Latch {
    state: Mutex<State>,
    opened: Condvar,
    resource: Resource,
}

impl Default for Latch {
    fn default() -> Self {
        Self::new()
    }
}

#[derive(Debug, Default)]
struct State {
    open: bool,
    waiting: usize,
}

impl Latch {
    /// A closed latch.
    pub const fn new() -> Self {
        Self::named("a latch")
    }

    /// A closed latch called `name` in the watchdog's report.
    pub const fn named(name: &'static str) -> Self {
        Latch {
            state: Mutex::new(State {
                open: false,
                waiting: 0,
            }),
            opened: Condvar::new(),
            resource: Resource::named(name),
        }
    }

    /// Opens it for good and wakes every waiter. Opening an open latch does nothing.
    pub fn open(&self) {
        let mut state = lock_unpoisoned(&self.state);
        state.open = true;
        state.waiting = 0; // under the lock every waiter counted itself in with
        self.resource.wake(); // under the same lock the waiters took their tickets
        drop(state);
        self.opened.notify_all();
    }

    /// Whether it has been opened.
    pub fn is_open(&self) -> bool {
        lock_unpoisoned(&self.state).open
    }

    /// How many threads are blocked on it right now. A waiter is counted in under the lock before
    /// it blocks, and [`Latch::open`] counts them all out under the same lock — so a waiter that
    /// was released but has not woken yet is never mistaken for one still held.
    pub fn waiting(&self) -> usize {
        lock_unpoisoned(&self.state).waiting
    }

    /// Blocks until it is open (at once if it already is).
    pub fn wait(&self) {
        let mut state = lock_unpoisoned(&self.state);
        if state.open {
            return;
        }
        state.waiting += 1;
        self.resource.ticket().wait(|| {
            while !state.open {
                state = self.opened.wait(state).unwrap_or_else(|p| p.into_inner());
            }
        });
    }

    /// Blocks until it is open or `timeout` has passed; returns whether it is open.
    pub fn wait_timeout(&self, timeout: Duration) -> bool {
        let mut state = lock_unpoisoned(&self.state);
        if state.open {
            return true;
        }
        state.waiting += 1;
        let (mut state, _) = self
            .opened
            .wait_timeout_while(state, timeout, |s| !s.open)
            .unwrap_or_else(|p| p.into_inner());
        if !state.open {
            state.waiting -= 1; // gave up: no longer blocked
        }
        state.open
    }
}
