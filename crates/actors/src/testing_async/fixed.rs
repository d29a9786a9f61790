//! A14's fixed `testAsyncOperation`: the same task, and the test awaits its handle and passes its
//! error up with `?`. An error (or a failed assertion: a panic, which the handle reports as a
//! `JoinError`) fails the test at once, with its own message.

use racelab_kit::rt;

use super::Server;
use super::harness::{Expectation, Failure, fulfillment};

/// `class ConcurrencyTests: XCTestCase`.
#[derive(Debug)]
pub struct ConcurrencyTests;

// ANCHOR: test
impl super::AsyncTest for ConcurrencyTests {
    async fn test_async_operation(server: Server) -> Result<(), Failure> {
        let expectation = Expectation::new("Async operation completed");

        let task = rt::spawn("Task", {
            let expectation = expectation.clone();
            async move {
                let result = server.perform_async_operation().await?;
                assert!(!result.is_empty(), "XCTAssertNotNil(result)");
                expectation.fulfill();
                Ok::<(), Failure>(())
            }
        });
        task.await??; // the task's panic or error is the test's, now

        fulfillment(&expectation, super::EXPECTATION_TIMEOUT).await
    }
}
// ANCHOR_END: test
