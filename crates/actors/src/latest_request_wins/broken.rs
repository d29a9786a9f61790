//! A2's broken `UserViewModel`: the guide's, with each request kept alive in `cancellables` and
//! none ever cancelled. This version is problematic: two requests in flight both write `user` and
//! `isLoading`, in the order their answers arrive — the older one can overwrite the newer user,
//! or end the spinner while the newer request still runs.

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
    cancellables: Mutex<Vec<AbortHandle>>,
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
        lock_unpoisoned(&self.cancellables).push(request.abort_handle());
    }

    fn state(&self) -> State {
        *self.state.borrow()
    }
}
// ANCHOR_END: fetch
