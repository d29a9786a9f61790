//! P2's broken `executeWithDegradation`: the guide's. This version is problematic: it falls back
//! on every error — a permanent one, and a cancellation too.

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
            Err(_) => fallback().await, // `catch { return try await fallback() }`
        }
    }
}
// ANCHOR_END: execute
