//! Q12, broken timer: a repeating timer that spawns its handler as a new task on every tick.
//!
//! This version is problematic.
//!
//! The tempting port of `makeTimerSource` + `setEventHandler` (L1035–1045) onto tokio: tick, spawn
//! the handler, tick again. A GCD timer source never runs its handler concurrently with itself — a
//! fire that comes due while the handler runs is coalesced into the next one. Spawning per tick
//! does not wait: a handler slower than the period overlaps the next, and the next. And `cancel`
//! stops the ticking but not the handlers already spawned, so the cancel handler (GCD's
//! `setCancelHandler`, where you close the fd) runs while a handler still uses the resource.

use std::future::Future;
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// A repeating timer source with a cancel handler.
pub struct TimerSource {
    cancel: oneshot::Sender<()>,
    ticking: JoinHandle<()>,
}

impl TimerSource {
    // ANCHOR: start
    /// Starts ticking now and every `period`: `handler(n)` for the `n`th tick; `on_cancel` once
    /// the source is cancelled.
    pub fn start<F, H>(
        period: Duration,
        handler: H,
        on_cancel: impl FnOnce() + Send + 'static,
    ) -> Self
    where
        H: Fn(u32) -> F + Send + 'static,
        F: Future<Output = ()> + Send + 'static,
    {
        let (cancel, mut cancelled) = oneshot::channel();
        let ticking = tokio::spawn(async move {
            let mut interval = tokio::time::interval(period);
            let mut n = 0;
            loop {
                tokio::select! {
                    biased; // a cancel wins over a tick that is due at the same time
                    _ = &mut cancelled => break,
                    _ = interval.tick() => {
                        n += 1;
                        tokio::spawn(handler(n)); // runs beside the handlers still running
                    }
                }
            }
            on_cancel();
        });
        TimerSource { cancel, ticking }
    }
    // ANCHOR_END: start

    /// Cancels the source and waits until it has stopped ticking.
    pub async fn cancel(self) {
        let _ = self.cancel.send(());
        let _ = self.ticking.await;
    }
}
