//! P5's broken recovery: the guide's `RetryStrategy` and `BackoffStrategy`, ported line by line.
//! This version is problematic: `recover(from:)` is given the error, never the operation, so its
//! "retry" calls an empty function and reports success after the first call; and its exponential
//! backoff (1 s, 2 s, 4 s …) takes no base, no cap and no jitter.

use std::time::Duration;

use racelab_kit::{rt, say};

use super::{NetworkError, Policy, Service, call};

/// `enum ErrorType` of `ErrorRecoveryManager`: the error, without the operation that failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorType {
    /// `.networkError(NetworkError)`.
    NetworkError(NetworkError),
}

/// `enum RecoveryError`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RecoveryError {
    /// `.maxAttemptsExceeded(lastError)`.
    MaxAttemptsExceeded,
    /// `.unsupportedErrorType`.
    UnsupportedErrorType,
}

// ANCHOR: backoff
/// `enum BackoffStrategy`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BackoffStrategy {
    /// `.fixed(delay)`.
    Fixed(Duration),
    /// `.exponential`: 2^(attempt − 1) seconds — no base, no cap, no jitter.
    Exponential,
    /// `.fibonacci`: fibonacci(attempt) seconds.
    Fibonacci,
}

impl BackoffStrategy {
    /// `calculateDelay(for:)`.
    pub fn calculate_delay(&self, attempt: i32) -> Duration {
        match self {
            BackoffStrategy::Fixed(delay) => *delay,
            BackoffStrategy::Exponential => Duration::from_secs_f64(2f64.powi(attempt - 1)),
            BackoffStrategy::Fibonacci => Duration::from_secs(fibonacci(attempt).unsigned_abs()),
        }
    }
}

fn fibonacci(n: i32) -> i64 {
    if n <= 1 {
        return i64::from(n); // fibonacci(0) == 0: a zero delay
    }
    fibonacci(n - 1) + fibonacci(n - 2)
}
// ANCHOR_END: backoff

// ANCHOR: retry
/// `class RetryStrategy: RecoveryStrategy`.
#[derive(Debug)]
pub struct RetryStrategy {
    max_attempts: i32,
    backoff: BackoffStrategy,
}

impl RetryStrategy {
    /// `recover(from:)`: given the error type — there is nothing here to call again.
    pub async fn recover(&self, error: ErrorType) -> Result<(), RecoveryError> {
        let mut attempt = 0;
        while attempt < self.max_attempts {
            match self.perform_recovery(error).await {
                Ok(()) => return Ok(()),
                Err(_) => {
                    attempt += 1;
                    if attempt < self.max_attempts {
                        tokio::time::sleep(self.backoff.calculate_delay(attempt)).await;
                    }
                }
            }
        }
        Err(RecoveryError::MaxAttemptsExceeded)
    }

    async fn perform_recovery(&self, error: ErrorType) -> Result<(), RecoveryError> {
        match error {
            ErrorType::NetworkError(NetworkError::Timeout) => self.retry_network_operation().await,
            ErrorType::NetworkError(_) => Err(RecoveryError::UnsupportedErrorType),
        }
    }

    async fn retry_network_operation(&self) -> Result<(), RecoveryError> {
        // Retry the failed network operation
        // Implementation depends on specific use case
        say!(
            "retryNetworkOperation(): an empty body; \"recovered\" at {}",
            rt::now()
        );
        Ok(())
    }
}
// ANCHOR_END: retry

impl super::Recovery for RetryStrategy {
    /// `RetryStrategy(maxAttempts: 3, backoff: .exponential)`: only the attempts can be said.
    fn new(policy: Policy) -> Self {
        RetryStrategy {
            max_attempts: policy.max_attempts as i32,
            backoff: BackoffStrategy::Exponential,
        }
    }

    fn delays(&self) -> Vec<Duration> {
        (1..self.max_attempts)
            .map(|attempt| self.backoff.calculate_delay(attempt))
            .collect()
    }

    /// The call, and on an error `ErrorRecoveryManager.handleError(_:)` with this strategy.
    async fn fetch(&self, service: &Service) -> Result<Option<u16>, NetworkError> {
        match call(service, 0).await {
            Ok(answer) => Ok(Some(answer)),
            Err(error) => {
                say!(
                    "call 1 failed: {error} at {}; handleError → recover(from:)",
                    rt::now()
                );
                match self.recover(ErrorType::NetworkError(error)).await {
                    Ok(()) => Ok(None), // "recovered": and the answer?
                    Err(_) => Err(error),
                }
            }
        }
    }
}
