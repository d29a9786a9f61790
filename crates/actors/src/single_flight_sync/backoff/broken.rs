//! A12's backoff lesson, broken: the first lesson's fixed `DataSynchronizer` (callers share the
//! sync in flight), still with the guide's bookkeeping. This version is problematic: a failed
//! sync leaves `lastSyncTime` alone, so the very next call syncs again — no backoff.

use std::sync::{Arc, Mutex};

use futures_util::future::{BoxFuture, FutureExt, Shared};
use racelab_kit::say;
use racelab_kit::sync::lock_unpoisoned;
use tokio::time::Instant;

use crate::single_flight_sync::{Backend, SYNC_INTERVAL, SyncError};

/// `actor DataSynchronizer`: the actor's state behind a lock taken only between awaits — what a
/// Swift actor guarantees (code between two suspension points runs alone), and no more.
pub struct DataSynchronizer {
    backend: Arc<Backend>,
    state: Arc<Mutex<State>>,
}

/// The actor's stored properties.
#[derive(Default)]
struct State {
    last_sync: Option<Instant>, // `Date.distantPast`
    in_flight: Option<Shared<BoxFuture<'static, Result<(), SyncError>>>>, // was `isSyncing`
}

/// `shouldSync()`: never synced, or longer ago than `syncInterval`.
fn should_sync(state: &State) -> bool {
    state
        .last_sync
        .is_none_or(|at| at.elapsed() >= SYNC_INTERVAL)
}

/// After a sync: the guide's `defer { isSyncing = false }`, and `lastSyncTime` if it worked.
fn finish(state: &Mutex<State>, result: &Result<(), SyncError>) {
    let mut state = lock_unpoisoned(state);
    state.in_flight = None; // the sync is over: the next caller starts a new one
    if result.is_ok() {
        state.last_sync = Some(Instant::now());
    }
}

// ANCHOR: sync
impl crate::single_flight_sync::Synchronizer for DataSynchronizer {
    fn new(backend: Arc<Backend>) -> Self {
        let state = Arc::new(Mutex::new(State::default()));
        DataSynchronizer { backend, state }
    }

    async fn sync_if_needed(&self) -> Result<(), SyncError> {
        let sync = {
            let mut state = lock_unpoisoned(&self.state);
            if let Some(sync) = &state.in_flight {
                say!("joins the sync in flight");
                sync.clone() // wait for it, and get its result, instead of returning at once
            } else if !should_sync(&state) {
                say!("returns at once: synced recently");
                return Ok(());
            } else {
                say!("starts a sync");
                let (backend, shared) = (self.backend.clone(), self.state.clone());
                let sync = async move {
                    let result = backend.perform_sync().await;
                    finish(&shared, &result); // run by whichever caller polls the sync to its end
                    result
                };
                let sync = sync.boxed().shared();
                state.in_flight = Some(sync.clone()); // before the first await, as in the guide
                sync
            }
        };
        sync.await
    }
}
// ANCHOR_END: sync
