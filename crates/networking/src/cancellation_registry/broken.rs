//! N4's broken `CancellableNetworkManager`: the guide's manager, in the guide's order.
//! This version is problematic: it stores a request for cancellation only after awaiting it, so
//! `cancel_all_requests()` never finds a request in flight.

use racelab_kit::rt;

use super::{Failure, Registry};

/// `class CancellableNetworkManager { private var tasks: [URLSessionTask] }`.
#[derive(Debug)]
pub struct CancellableNetworkManager {
    client: reqwest::Client,
    base: String,
    tasks: Registry,
}

// ANCHOR: fetch
impl super::Cancellable for CancellableNetworkManager {
    fn new(client: reqwest::Client, base: String) -> Self {
        Self {
            client,
            base,
            tasks: Registry::default(),
        }
    }

    async fn fetch_data(&self, path: &str) -> Result<String, Failure> {
        let url = format!("{}{path}", self.base);
        let task = rt::spawn("request", fetch_data_internal(self.client.clone(), url));
        let abort = task.abort_handle();
        let value = task.await; // `task.value`: waits for the whole request
        let _entry = self.tasks.register(abort); // store task for potential cancellation
        match value {
            Ok(result) => result,
            Err(e) if e.is_cancelled() => Err(Failure::Cancelled),
            Err(e) => Err(Failure::Network(format!("the request task failed: {e}"))),
        }
    }

    fn cancel_all_requests(&self) -> usize {
        self.tasks.cancel_all()
    }

    fn stored(&self) -> usize {
        self.tasks.len()
    }
}
// ANCHOR_END: fetch

/// `fetchDataInternal(from:)`: one GET, the body as text.
async fn fetch_data_internal(client: reqwest::Client, url: String) -> Result<String, Failure> {
    let network = |e: reqwest::Error| Failure::Network(format!("GET failed: {e}"));
    let response = client.get(url).send().await.map_err(network)?;
    response
        .error_for_status()
        .map_err(network)?
        .text()
        .await
        .map_err(network)
}
