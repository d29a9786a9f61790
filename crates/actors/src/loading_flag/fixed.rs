//! A5's fixed `NetworkRequestManager`: it counts requests in flight in a `watch<usize>`, behind an
//! RAII guard. The guard adds one when the request starts and takes one away in `Drop`, which runs
//! synchronously as the request's scope ends — no task, nothing later — so the screen is loading
//! exactly while the count is above zero.

use std::sync::Arc;
use std::time::Duration;

use racelab_kit::{rt, say};
use tokio::sync::watch;

use super::{Response, server};

/// `class NetworkRequestManager: ObservableObject`.
#[derive(Default)]
pub struct NetworkRequestManager {
    in_flight: Arc<watch::Sender<usize>>, // how many requests are running, not whether one is
}

// ANCHOR: perform
impl super::RequestManager for NetworkRequestManager {
    async fn perform_request(&self, name: &'static str, took: Duration) -> Response {
        let _loading = LoadingGuard::new(&self.in_flight); // −1 when this scope ends, however
        let response = server(name, took).await;
        say!("gets {name}'s response at {}", rt::now());
        response
    }

    fn is_loading(&self) -> bool {
        *self.in_flight.borrow() > 0
    }
}

/// One request in flight: counted while it lives.
struct LoadingGuard(Arc<watch::Sender<usize>>);

impl LoadingGuard {
    fn new(in_flight: &Arc<watch::Sender<usize>>) -> Self {
        in_flight.send_modify(|n| *n += 1);
        LoadingGuard(Arc::clone(in_flight))
    }
}

impl Drop for LoadingGuard {
    fn drop(&mut self) {
        self.0.send_modify(|n| *n -= 1); // now, as the request ends: not in a task that runs later
        let in_flight = *self.0.borrow(); // one read: a `watch::Ref` holds a read lock
        say!("in flight: {in_flight} (isLoading = {})", in_flight > 0);
    }
}
// ANCHOR_END: perform
