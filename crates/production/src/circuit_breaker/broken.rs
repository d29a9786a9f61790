//! P1's broken `CircuitBreaker`: the guide's class, ported line by line (the serial queue is a
//! `Mutex`; the unstructured `Task` is a spawned task that records the outcome when the operation
//! ends). This version is problematic: half-open lets every caller through, a late success clears
//! `lastFailureTime` while open and leaves the breaker open for ever, and every error — a 404 too
//! — counts as a failure.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use racelab_kit::sync::lock_unpoisoned;
use racelab_kit::trace::as_actor;
use racelab_kit::{rt, say};
use tokio::time::Instant;

use super::{BreakerError, Classify};

/// `enum CircuitBreakerState`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Closed,
    Open,
    HalfOpen,
}

/// The state `stateQueue` guards.
#[derive(Debug)]
struct Inner {
    state: State,
    failure_count: u32,
    last_failure_time: Option<Instant>,
}

/// `class CircuitBreaker`.
#[derive(Debug)]
pub struct CircuitBreaker {
    failure_threshold: u32,
    recovery_timeout: Duration,
    inner: Arc<Mutex<Inner>>,
}

// ANCHOR: execute
impl super::Breaker for CircuitBreaker {
    fn new(failure_threshold: u32, recovery_timeout: Duration) -> Self {
        CircuitBreaker {
            failure_threshold,
            recovery_timeout,
            inner: Arc::new(Mutex::new(Inner {
                state: State::Closed,
                failure_count: 0,
                last_failure_time: None,
            })),
        }
    }

    async fn execute<T, E, F>(&self, operation: F) -> Result<T, BreakerError<E>>
    where
        T: Send + 'static,
        E: Classify + Send + 'static,
        F: Future<Output = Result<T, E>> + Send + 'static,
    {
        let admitted = {
            let mut s = lock_unpoisoned(&self.inner);
            match s.state {
                State::Closed => true,
                State::Open => {
                    if should_attempt_reset(&s, self.recovery_timeout) {
                        set_state(&mut s, State::HalfOpen);
                        true
                    } else {
                        false
                    }
                }
                State::HalfOpen => true, // every caller runs while half-open
            }
        };
        if !admitted {
            return Err(BreakerError::Rejected);
        }
        // executeOperation: `Task { … }`, unstructured — dropping the caller does not cancel it.
        let (inner, threshold) = (Arc::clone(&self.inner), self.failure_threshold);
        let task = tokio::spawn(async move {
            let result = operation.await;
            match &result {
                Ok(_) => record_success(&inner),
                Err(_) => record_failure(&inner, threshold), // every error, a 404 too
            }
            result
        });
        match task.await {
            Ok(result) => result.map_err(BreakerError::Failed),
            Err(panicked) => std::panic::resume_unwind(panicked.into_panic()),
        }
    }
}

fn record_success(inner: &Mutex<Inner>) {
    let mut s = lock_unpoisoned(inner);
    if s.state == State::Open && s.last_failure_time.is_some() {
        as_actor("breaker", || {
            say!("records a late success while open: lastFailureTime = nil, state stays open");
        });
    }
    s.failure_count = 0;
    s.last_failure_time = None;
    if s.state == State::HalfOpen {
        set_state(&mut s, State::Closed);
    }
}

fn record_failure(inner: &Mutex<Inner>, failure_threshold: u32) {
    let mut s = lock_unpoisoned(inner);
    s.failure_count += 1;
    s.last_failure_time = Some(Instant::now());
    if s.failure_count >= failure_threshold {
        set_state(&mut s, State::Open);
    }
}

fn should_attempt_reset(s: &Inner, recovery_timeout: Duration) -> bool {
    let Some(last_failure) = s.last_failure_time else {
        return false; // nil after a late success: never again
    };
    Instant::now() - last_failure >= recovery_timeout
}
// ANCHOR_END: execute

/// `self.state = …`; a change is narrated by the breaker (not by whichever caller got there).
fn set_state(s: &mut Inner, state: State) {
    if s.state != state {
        as_actor("breaker", || {
            say!("{:?} → {state:?} at {}", s.state, rt::now())
        });
    }
    s.state = state;
}
