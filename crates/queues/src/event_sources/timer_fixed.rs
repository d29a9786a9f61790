//! Q12, fixed timer: the handler is awaited inside the tick loop, and a late tick is delayed, not
//! bunched.
//!
//! Two lines differ from [`timer_broken`](super::timer_broken): `handler(n).await` instead of
//! `tokio::spawn(handler(n))` — the next tick cannot fire while a handler runs, as with a GCD timer
//! source — and `MissedTickBehavior::Delay`, so the ticks that came due meanwhile fire once, late,
//! and the period restarts from there (the default, `Burst`, would fire them back to back). The
//! cancel is noticed between handlers, so the cancel handler runs after the last one, once.

use std::future::Future;
use std::time::Duration;

use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio::time::MissedTickBehavior;

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
            interval.set_missed_tick_behavior(MissedTickBehavior::Delay); // late: fire once, restart the period
            let mut n = 0;
            loop {
                tokio::select! {
                    biased; // a cancel wins over a tick that is due at the same time
                    _ = &mut cancelled => break,
                    _ = interval.tick() => {
                        n += 1;
                        handler(n).await; // the next tick waits for this handler
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
