//! A12's second lesson — no backoff: a failed sync leaves `lastSyncTime` alone (L5647–5648), so
//! `shouldSync()` stays true and the very next call syncs again. Called from a timer, or from every
//! screen that appears, that is a hot loop against a server that is already failing.
//!
//! The check ([`a_failed_sync_backs_off`]) calls `syncIfNeeded()`; the sync fails at t=2000ms; the
//! next call, at once, must not start another sync, and a call after [`BACKOFF`] must.
//!
//! * [`broken`] is the first lesson's fixed synchronizer (callers share the sync in flight),
//!   still with the guide's bookkeeping: the second call syncs again at t=2000ms.
//! * [`fixed`] remembers a failure too: no new sync before `retry_at`, and a call in between gets
//!   `Err(BackingOff)` at once. (A real one doubles the backoff after each failure, with jitter.)
//!
//! How it is caught: **one forced schedule**. One caller, three calls in a row, on the paused
//! clock ([`tokio::time::Instant`], monotonic, where the guide reads the wall clock, `Date()`).

use std::sync::Arc;
use std::time::Duration;

use racelab_kit::{rt, say};

use super::{Backend, SYNC_TAKES, Synchronizer};

pub mod broken;
pub mod fixed;

/// How long to wait after a failed sync before trying again.
pub const BACKOFF: Duration = Duration::from_secs(30);

// ANCHOR: check
/// A sync fails at t=2000ms. The next call, at once, must not sync; a call [`BACKOFF`] after the
/// failure must.
pub async fn a_failed_sync_backs_off<S: Synchronizer>() -> Result<(), String> {
    let backend = Arc::new(Backend::new());
    let synchronizer = S::new(backend.clone());
    say!("calls syncIfNeeded()");
    let first = synchronizer.sync_if_needed().await;
    say!("gets {first:?} at {}", rt::now());
    say!("calls again at once");
    let second = synchronizer.sync_if_needed().await; // must not sync
    say!("gets {second:?} at {}", rt::now());
    if backend.runs() != 1 {
        return Err(format!(
            "the sync failed at t={}ms and the next call started another at once: no backoff",
            SYNC_TAKES.as_millis()
        ));
    }
    tokio::time::sleep(BACKOFF).await;
    say!("calls again after the backoff");
    let third = synchronizer.sync_if_needed().await; // must sync
    say!("gets {third:?} at {}", rt::now());
    if backend.runs() != 2 {
        return Err("no sync started after the backoff".to_string());
    }
    Ok(())
}
// ANCHOR_END: check
