//! The bits of XCTest the guide's tests use, on the paused clock: an `Expectation` a task
//! fulfils, and `fulfillment(of:timeout:)`, which waits for it or fails the test. Plumbing, not the
//! lesson: it lets the broken twin be the guide's test, line for line.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Notify;

/// `XCTestExpectation`: something a test waits to see happen.
#[derive(Debug, Clone)]
pub struct Expectation {
    description: &'static str,
    fulfilled: Arc<Notify>,
}

impl Expectation {
    /// `XCTestExpectation(description:)`.
    pub fn new(description: &'static str) -> Self {
        Expectation {
            description,
            fulfilled: Arc::new(Notify::new()),
        }
    }

    /// `expectation.fulfill()`.
    pub fn fulfill(&self) {
        self.fulfilled.notify_one(); // a permit: a fulfil before the wait is not lost
    }
}

/// `await fulfillment(of: [expectation], timeout:)`: waits for the expectation, or fails the
/// test with XCTest's message once `timeout` has passed (on the paused clock: exact, and free).
pub async fn fulfillment(expectation: &Expectation, timeout: Duration) -> Result<(), Failure> {
    tokio::time::timeout(timeout, expectation.fulfilled.notified())
        .await
        .map_err(|_elapsed| {
            Failure(format!(
                "Asynchronous wait failed: Exceeded timeout of {} seconds, with unfulfilled \
                 expectations: \"{}\".",
                timeout.as_secs(),
                expectation.description
            ))
        })
}

/// Why a test failed: its message. Any error can become one (`?`), as in an `async throws` test.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure(pub String);

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<super::OperationError> for Failure {
    fn from(error: super::OperationError) -> Self {
        Failure(error.to_string())
    }
}

impl From<tokio::task::JoinError> for Failure {
    fn from(error: tokio::task::JoinError) -> Self {
        Failure(format!("the task failed: {error}"))
    }
}
