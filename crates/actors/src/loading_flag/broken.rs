//! A5's broken `NetworkRequestManager`: the guide's `isLoading` bool, set as a request starts and
//! cleared by `defer { Task { @MainActor in self.isLoading = false } }`.
//! This version is problematic: the first request to finish clears the flag for all of them, and
//! the clear runs in a task of its own, *after* the request has returned — late enough to land on
//! top of the next request's `true`.

use std::sync::Arc;
use std::time::Duration;

use racelab_kit::{rt, say};
use tokio::sync::watch;

use super::{Defer, Response, server};

/// `class NetworkRequestManager: ObservableObject`.
#[derive(Default)]
pub struct NetworkRequestManager {
    is_loading: Arc<watch::Sender<bool>>,
}

// ANCHOR: perform
impl super::RequestManager for NetworkRequestManager {
    async fn perform_request(&self, name: &'static str, took: Duration) -> Response {
        self.is_loading.send_replace(true); // await MainActor.run { isLoading = true }
        let is_loading = Arc::clone(&self.is_loading);
        let _defer = Defer(move || {
            let is_loading = Arc::clone(&is_loading);
            rt::spawn("main-actor", async move {
                is_loading.send_replace(false);
                say!("sets isLoading = false at {} ({name}'s defer)", rt::now());
            });
        });
        let response = server(name, took).await;
        say!("gets {name}'s response at {}", rt::now());
        response
    }

    fn is_loading(&self) -> bool {
        *self.is_loading.borrow()
    }
}
// ANCHOR_END: perform
