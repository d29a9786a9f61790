//! N3's fixed `fetchWithRetry`: the guide's loop, but every delay comes from the
//! [`RetryPolicy`]: a failure that will not change (a 4xx), or a request that
//! must not be sent twice (a `POST` without an idempotency key), fails at once; a `Retry-After`
//! is honoured; every other backoff is capped and jittered.

use racelab_kit::say;
use reqwest::StatusCode;

use super::{Failure, Request, RetryPolicy, Scripted};

/// The guide's `fetchWithRetry` as a free-standing client.
#[derive(Debug)]
pub struct Client;

// ANCHOR: retry
impl super::Retry for Client {
    async fn fetch_with_retry(
        server: &Scripted,
        request: &Request,
        policy: &RetryPolicy,
    ) -> Result<StatusCode, Failure> {
        let max_retries = policy.max_attempts.get(); // the guide's `maxRetries` (it counts attempts)
        let mut last_error = None;
        for attempt in 1..=max_retries {
            match server.fetch(request).await {
                Ok(status) => return Ok(status),
                Err(error) => {
                    // classify, then Retry-After, or the capped, jittered backoff
                    let delay = match policy.delay(attempt, request, &error) {
                        Ok(delay) => delay,
                        Err(why) => {
                            say!("got {error}; {why}, gives up"); // the policy says why
                            return Err(error); // only a transient failure of a resendable request
                        }
                    };
                    last_error = Some(error);
                    if attempt < max_retries {
                        say!("got {error}; retries in {} ms", delay.as_millis());
                        server.sleep(delay).await;
                    }
                }
            }
        }
        Err(last_error.unwrap_or(Failure::Unknown))
    }
}
// ANCHOR_END: retry
