//! N14 broken: the guide's `NetworkIntegrationTester` (L7505–7650): each test appends its result
//! on a shared concurrent queue (`testQueue.async`), and the report reads the shared list
//! (`testQueue.sync`) without waiting for the appends. This version is problematic.
//!
//! Here the appends are detached tasks held by the `testQueue` gate — the schedule the guide's
//! plain `sync` on a concurrent queue allows — so the report reads an empty list.

use std::sync::{Arc, Mutex};

use racelab_kit::rt::Gate;
use tokio::task::JoinSet;

use super::{TestResult, report, test_endpoint};

/// The guide's tester: a shared list of results, and its queue.
pub struct NetworkIntegrationTester {
    client: reqwest::Client,
    test_results: Arc<Mutex<Vec<TestResult>>>,
    test_queue: Gate,
}

// ANCHOR: run
impl super::IntegrationTester for NetworkIntegrationTester {
    fn new(client: reqwest::Client, test_queue: Gate) -> Self {
        let test_results = Arc::default();
        NetworkIntegrationTester {
            client,
            test_results,
            test_queue,
        }
    }

    async fn run_comprehensive(&self, base: String) -> (Vec<TestResult>, String) {
        let mut group = JoinSet::new();
        for index in 0..super::ENDPOINTS.len() {
            let (client, base) = (self.client.clone(), base.clone());
            let (results, queue) = (Arc::clone(&self.test_results), self.test_queue.clone());
            group.spawn(async move {
                let result = test_endpoint(client, base, index).await;
                let kept = result.clone();
                tokio::spawn(async move {
                    queue.wait().await; // testQueue.async { self.testResults.append(result) }
                    results.lock().unwrap_or_else(|e| e.into_inner()).push(kept);
                });
                result
            });
        }
        let mut ran = Vec::new();
        while let Some(Ok(result)) = group.join_next().await {
            ran.push(result);
        }
        let results = self
            .test_results
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        (ran, report(&results)) // testQueue.sync { testResults }: the appends may still be queued
    }
}
// ANCHOR_END: run
