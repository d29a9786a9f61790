//! N3's broken `fetchWithRetry`: the guide's loop, ported line by line.
//! This version is problematic: it retries every failure — a 404 that will never change, and a
//! `POST /charge` that may already have charged — after exactly 1 s, 2 s, 4 s, …: no cap, no
//! jitter (clients that fail together retry together), and a `Retry-After` goes unread.

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
        let mut delay = policy.base; // Swift's `delay *= 2` on the parameter does not compile
        let mut last_error = None;
        for attempt in 1..=max_retries {
            match server.fetch(request).await {
                Ok(status) => return Ok(status),
                Err(error) => {
                    last_error = Some(error);
                    if attempt < max_retries {
                        say!("got {error}; retries in {} ms", delay.as_millis());
                        server.sleep(delay).await;
                        delay *= 2; // exponential backoff
                    }
                }
            }
        }
        Err(last_error.unwrap_or(Failure::Unknown))
    }
}
// ANCHOR_END: retry
