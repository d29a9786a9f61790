//! P2's fixed `executeWithDegradation`: it falls back only on an error classified transient;
//! a permanent error and a cancellation go back to the caller.

use std::future::Future;

use super::CallError;

/// `class GracefulDegradationManager` (this lesson needs none of its state).
#[derive(Debug, Default)]
pub struct GracefulDegradationManager;

// ANCHOR: execute
impl super::Fallback for GracefulDegradationManager {
    async fn execute_with_degradation<T, Op, Fb>(
        &self,
        operation: impl FnOnce() -> Op,
        fallback: impl FnOnce() -> Fb,
    ) -> Result<T, CallError>
    where
        Op: Future<Output = Result<T, CallError>>,
        Fb: Future<Output = Result<T, CallError>>,
    {
        match operation().await {
            Ok(value) => Ok(value),
            Err(e) if e.is_transient() => fallback().await, // only what may pass later: a 503
            Err(e) => Err(e), // a permanent error, or a cancellation, is the caller's to see
        }
    }
}
// ANCHOR_END: execute
