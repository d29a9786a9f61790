//! A2's fixed `UserViewModel`: it keeps only the latest request and aborts the one before it, the
//! `switchToLatest` shape. A request that is no longer the latest never writes `user` or
//! `isLoading`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use racelab_kit::sync::lock_unpoisoned;
use racelab_kit::{rt, say};
use tokio::sync::watch;
use tokio::task::AbortHandle;

use super::{State, User, fetch_from_server};

/// `class UserViewModel: ObservableObject`.
#[derive(Default)]
pub struct UserViewModel {
    state: Arc<watch::Sender<State>>,
    latest: Mutex<Option<AbortHandle>>, // only the request the screen waits for
}

// ANCHOR: fetch
impl super::ViewModel for UserViewModel {
    fn fetch_user(&self, user: User, delay: Duration) {
        self.state.send_modify(|s| s.is_loading = true);
        let state = Arc::clone(&self.state);
        let request = rt::spawn(&format!("request {user}"), async move {
            let user = fetch_from_server(user, delay).await;
            say!("answers at {}: user = {user}, isLoading = false", rt::now());
            state.send_modify(|s| {
                s.user = Some(user);
                s.is_loading = false;
            });
        });
        if let Some(previous) = lock_unpoisoned(&self.latest).replace(request.abort_handle()) {
            previous.abort(); // switchToLatest: the older request can no longer write
            say!("cancels the request before {user}");
        }
    }

    fn state(&self) -> State {
        *self.state.borrow()
    }
}
// ANCHOR_END: fetch
