//! A12's broken `DataSynchronizer`: the guide's actor. Its `isSyncing` guard is right — no two
//! syncs run at once. This version is problematic: a caller that finds a sync running returns
//! `Ok` at once, before the sync has done anything, and never hears that it failed.

use std::sync::{Arc, Mutex};

use racelab_kit::say;
use racelab_kit::sync::lock_unpoisoned;
use tokio::time::Instant;

use super::{Backend, SYNC_INTERVAL, SyncError};

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
    is_syncing: bool,
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
    state.is_syncing = false;
    if result.is_ok() {
        state.last_sync = Some(Instant::now());
    }
}

// ANCHOR: sync
impl super::Synchronizer for DataSynchronizer {
    fn new(backend: Arc<Backend>) -> Self {
        let state = Arc::new(Mutex::new(State::default()));
        DataSynchronizer { backend, state }
    }

    async fn sync_if_needed(&self) -> Result<(), SyncError> {
        {
            let mut state = lock_unpoisoned(&self.state);
            if !should_sync(&state) || state.is_syncing {
                say!("returns at once: a sync is running, or ran recently");
                return Ok(()); // `guard … else { return }`: success, whatever the sync does
            }
            state.is_syncing = true; // before the first await: right, no second sync can start
        }
        say!("starts a sync");
        let result = self.backend.perform_sync().await;
        finish(&self.state, &result);
        result
    }
}
// ANCHOR_END: sync
