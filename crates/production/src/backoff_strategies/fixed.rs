//! P5's fixed recovery, a declared rewrite (see the module doc of `super`): [`Backoff`] is an
//! iterator of delays — base, factor, cap, and jitter drawn from an injected, seeded RNG — and
//! [`retry`] takes the operation itself, so "retry" means calling it again.

use std::future::Future;
use std::time::Duration;

use racelab_kit::{rt, say};

use super::{NetworkError, Policy, Service, call};

// ANCHOR: backoff
/// A source of numbers in `[0, 1)` for the jitter: injected, so a test fixes the seed.
pub trait Random {
    /// The next number in `[0, 1)`.
    fn unit(&mut self) -> f64;
}

/// SplitMix64 (Steele, Lea and Flood, 2014): tiny, seedable, good enough for jitter.
#[derive(Debug, Clone)]
pub struct SplitMix64(pub u64);

impl Random for SplitMix64 {
    fn unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The delays between attempts: `base`, then × `factor` each time, never over `cap`, each drawn
/// from `[(1 − jitter) · d, d]`. Endless: the caller decides how many it takes.
#[derive(Debug, Clone)]
pub struct Backoff<R: Random = SplitMix64> {
    next: f64, // the next un-jittered delay, in seconds (f64: `factor^40` must not overflow)
    factor: f64,
    cap: Duration,
    jitter: f64,
    rng: R,
}

impl<R: Random> Backoff<R> {
    /// A backoff from `base` growing by `factor` (at least 1; NaN is 1) up to `cap`
    /// (`Duration::MAX` for none), with `jitter` in `[0, 1]` (NaN is none) drawn from `rng`.
    pub fn new(base: Duration, factor: f64, cap: Duration, jitter: f64, rng: R) -> Self {
        Backoff {
            next: base.min(cap).as_secs_f64(),
            factor: factor.max(1.0), // `f64::max` ignores a NaN
            cap,
            jitter: if jitter.is_nan() {
                0.0
            } else {
                jitter.clamp(0.0, 1.0)
            }, // NaN: none
            rng,
        }
    }
}

impl<R: Random> Iterator for Backoff<R> {
    type Item = Duration;

    fn next(&mut self) -> Option<Duration> {
        let delay = self.next * (1.0 - self.jitter * self.rng.unit());
        self.next = (self.next * self.factor).min(self.cap.as_secs_f64());
        // `from_secs_f64` panics at 2^64 s (an "unbounded" cap of `Duration::MAX` gets there)
        Some(Duration::try_from_secs_f64(delay).map_or(self.cap, |d| d.min(self.cap)))
    }
}
// ANCHOR_END: backoff

// ANCHOR: retry
/// Calls `op` until it succeeds or `max_attempts` calls have failed, sleeping the next delay of
/// `backoff` between two calls. It takes the operation, so it can call it again. (It narrates
/// each retry with `rt::now()`: with a trace installed, call it inside `rt::run`.)
pub async fn retry<T, E, Fut>(
    mut op: impl FnMut() -> Fut,
    max_attempts: u32,
    mut backoff: impl Iterator<Item = Duration>,
) -> Result<T, E>
where
    Fut: Future<Output = Result<T, E>>,
    E: std::fmt::Display,
{
    let mut attempt = 1;
    loop {
        match op().await {
            Ok(value) => return Ok(value),
            Err(error) if attempt >= max_attempts.max(1) => return Err(error),
            Err(error) => {
                let delay = backoff.next().unwrap_or(Duration::ZERO);
                say!(
                    "attempt {attempt}: {error} at {}; sleeps {delay:?}",
                    rt::now()
                );
                tokio::time::sleep(delay).await;
                attempt += 1;
            }
        }
    }
}
// ANCHOR_END: retry

/// The fixed strategy: a policy, and `retry` to run it.
#[derive(Debug)]
pub struct RetryStrategy {
    policy: Policy,
}

impl RetryStrategy {
    /// The policy's delays, from its seed.
    pub fn backoff(&self) -> Backoff {
        let p = &self.policy;
        Backoff::new(p.base, p.factor, p.cap, p.jitter, SplitMix64(p.seed))
    }
}

impl super::Recovery for RetryStrategy {
    fn new(policy: Policy) -> Self {
        RetryStrategy { policy }
    }

    fn delays(&self) -> Vec<Duration> {
        let retries = self.policy.max_attempts.saturating_sub(1) as usize;
        self.backoff().take(retries).collect()
    }

    async fn fetch(&self, service: &Service) -> Result<Option<u16>, NetworkError> {
        let mut n = 0;
        let op = || {
            n += 1;
            call(service, n - 1)
        };
        let answer = retry(op, self.policy.max_attempts, self.backoff()).await?;
        Ok(Some(answer))
    }
}
