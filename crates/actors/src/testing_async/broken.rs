//! A14's broken `testAsyncOperation`, the guide's test: the operation runs in a spawned task whose
//! handle is dropped. This version is problematic: when the operation fails, its error ends the
//! task and goes nowhere; the test only learns of it as an unfulfilled expectation, five seconds
//! later.

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

        let _task = rt::spawn("Task", {
            let expectation = expectation.clone();
            async move {
                let result = server.perform_async_operation().await?;
                assert!(!result.is_empty(), "XCTAssertNotNil(result)");
                expectation.fulfill();
                Ok::<(), Failure>(())
            }
        });

        fulfillment(&expectation, super::EXPECTATION_TIMEOUT).await
    }
}
// ANCHOR_END: test
