//! N14 fixed: no shared list. Each test's result is the task group's return value, and the
//! report is built from what the group handed back — structured concurrency, nothing to race.
//! A declared rewrite (the shared list and its queue are gone); the key line is `report(&ran)`.

use racelab_kit::rt::Gate;
use tokio::task::JoinSet;

use super::{TestResult, report, test_endpoint};

/// The tester: only the client. Results live in the run that produced them.
pub struct NetworkIntegrationTester {
    client: reqwest::Client,
}

// ANCHOR: run
impl super::IntegrationTester for NetworkIntegrationTester {
    fn new(client: reqwest::Client, _test_queue: Gate) -> Self {
        NetworkIntegrationTester { client } // no shared list, so no queue to guard it
    }

    async fn run_comprehensive(&self, base: String) -> (Vec<TestResult>, String) {
        let mut group = JoinSet::new();
        for index in 0..super::ENDPOINTS.len() {
            let (client, base) = (self.client.clone(), base.clone());
            group.spawn(async move { test_endpoint(client, base, index).await });
        }
        let mut ran = Vec::new();
        while let Some(Ok(result)) = group.join_next().await {
            ran.push(result);
        }
        let summary = report(&ran); // from the group's return values: every test that ran
        (ran, summary)
    }
}
// ANCHOR_END: run
