//! P1's fixed `CircuitBreaker`: a declared rewrite (see the module doc of `super`). The state
//! lives in a `Mutex` and is decided synchronously around the call — admitted or refused *before*
//! it starts, recorded *before* the caller sees the result — so no decision reads stale state.
//! The common case, a success while closed with no failures, records without a second lock: it
//! would set the state already there, which one atomic read (`quiet`) confirms.
//! Half-open admits at most one probe per recovery timeout: a new one when the probe has not
//! answered within it. The replaced probe is abandoned, not cancelled (its call still runs in its
//! caller's task), so it may still be at the service beside its replacement; a caller's timeout
//! bounds that. Every transition starts a new epoch, and a result from an older epoch is ignored;
//! only errors [`Classify`] calls faults count.
//!
//! The breaker narrates its transitions with `rt::now()`: call it inside `rt::run` (or with no
//! trace installed), as `rt::now()` panics outside it.

use std::sync::Mutex;
use std::sync::atomic::AtomicU64;
use std::sync::atomic::Ordering::{Acquire, Release};
use std::time::Duration;

use racelab_kit::sync::lock_unpoisoned;
use racelab_kit::trace::as_actor;
use racelab_kit::{rt, say};
use tokio::time::Instant;

use super::{BreakerError, Classify};

// ANCHOR: state
/// The breaker's state, with what each state needs and nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Calls run; `failures` in a row so far.
    Closed { failures: u32 },
    /// Calls are refused until `recovery_timeout` after `since`.
    Open { since: Instant },
    /// One probe decides: closed again if it succeeds, open again if it fails. `probe_since`:
    /// when the probe in flight was admitted (`None`: the next caller probes).
    HalfOpen { probe_since: Option<Instant> },
}

/// The state and its epoch, under one lock.
#[derive(Debug)]
struct Inner {
    state: State,
    /// Bumped on every transition: a result carries the epoch it was admitted in.
    epoch: u64,
}
// ANCHOR_END: state

/// The fixed breaker.
#[derive(Debug)]
pub struct CircuitBreaker {
    failure_threshold: u32,
    recovery_timeout: Duration,
    inner: Mutex<Inner>,
    /// The epoch while the state is `Closed { failures: 0 }`, else `u64::MAX`; written under the
    /// lock after every change. A success admitted in that epoch changes nothing, so it is
    /// recorded by reading this, without taking the lock again (the common case's second lock).
    quiet: AtomicU64,
}

// ANCHOR: execute
impl super::Breaker for CircuitBreaker {
    fn new(failure_threshold: u32, recovery_timeout: Duration) -> Self {
        CircuitBreaker {
            failure_threshold,
            recovery_timeout,
            inner: Mutex::new(Inner {
                state: State::Closed { failures: 0 },
                epoch: 0,
            }),
            quiet: AtomicU64::new(0),
        }
    }

    async fn execute<T, E, F>(&self, operation: F) -> Result<T, BreakerError<E>>
    where
        T: Send + 'static,
        E: Classify + Send + 'static,
        F: Future<Output = Result<T, E>> + Send + 'static,
    {
        let ticket = self.admit().ok_or(BreakerError::Rejected)?; // decided before the call
        let result = operation.await; // in the caller's task: dropping the caller cancels it
        ticket.record(match &result {
            Ok(_) => Verdict::Success,
            Err(e) if e.is_fault() => Verdict::Fault,
            Err(_) => Verdict::Success, // a 404 is an answer: the service is up
        });
        result.map_err(BreakerError::Failed)
    }
}

impl CircuitBreaker {
    /// After a change under the lock: whether a success may skip the lock (see `quiet`).
    fn publish(&self, s: &Inner) {
        let quiet = match s.state {
            State::Closed { failures: 0 } => s.epoch,
            _ => u64::MAX,
        };
        self.quiet.store(quiet, Release);
    }

    /// Admits a call, or refuses it, in one step under the lock.
    fn admit(&self) -> Option<Ticket<'_>> {
        let mut s = lock_unpoisoned(&self.inner);
        let probe = match s.state {
            State::Closed { .. } => false,
            State::Open { since }
            | State::HalfOpen {
                probe_since: Some(since),
            } if Instant::now() - since >= self.recovery_timeout => {
                // also a probe that never answered: a new epoch, so its late result is ignored
                s.set(State::HalfOpen {
                    probe_since: Some(Instant::now()),
                });
                self.publish(&s);
                true
            }
            State::Open { .. }
            | State::HalfOpen {
                probe_since: Some(_),
            } => return None,
            State::HalfOpen { probe_since: None } => {
                s.state = State::HalfOpen {
                    probe_since: Some(Instant::now()),
                };
                true
            }
        };
        Some(Ticket {
            breaker: self,
            epoch: s.epoch,
            probe,
            recorded: false,
        })
    }
}

/// How a call went, for the breaker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Success,
    Fault,
}

/// An admitted call: records its result once, against the epoch it was admitted in.
struct Ticket<'a> {
    breaker: &'a CircuitBreaker,
    epoch: u64,
    probe: bool,
    recorded: bool,
}

impl Ticket<'_> {
    fn record(mut self, verdict: Verdict) {
        self.recorded = true;
        if verdict == Verdict::Success && self.breaker.quiet.load(Acquire) == self.epoch {
            // Closed with no failures, in the epoch this call was admitted in: recording the
            // success would set that very state. As if the lock were taken at this load.
            return;
        }
        let mut s = lock_unpoisoned(&self.breaker.inner);
        self.apply(&mut s, verdict);
        self.breaker.publish(&s);
    }

    fn apply(&self, s: &mut Inner, verdict: Verdict) {
        if self.epoch != s.epoch {
            let now = s.epoch;
            as_actor("breaker", || {
                say!(
                    "ignores a {verdict:?} from epoch {} (now epoch {now})",
                    self.epoch
                );
            });
            return; // the world it was admitted in is gone: an old result changes nothing
        }
        s.state = match (s.state, verdict) {
            (State::Closed { .. }, Verdict::Success) => State::Closed { failures: 0 },
            (State::Closed { failures }, Verdict::Fault) => {
                let failures = failures + 1;
                if failures < self.breaker.failure_threshold {
                    State::Closed { failures }
                } else {
                    return s.set(State::Open {
                        since: Instant::now(),
                    });
                }
            }
            (State::HalfOpen { .. }, Verdict::Success) => {
                return s.set(State::Closed { failures: 0 });
            }
            (State::HalfOpen { .. } | State::Open { .. }, Verdict::Fault) => {
                return s.set(State::Open {
                    since: Instant::now(),
                });
            }
            (State::Open { .. }, Verdict::Success) => s.state, // not reached: opening bumps the epoch
        };
    }
}

impl Drop for Ticket<'_> {
    /// A probe dropped before it answered (its caller was cancelled) proves nothing either way:
    /// free the slot so the next caller probes, instead of leaving half-open waiting for ever.
    fn drop(&mut self) {
        if self.probe && !self.recorded {
            let mut s = lock_unpoisoned(&self.breaker.inner);
            if s.epoch == self.epoch {
                s.state = State::HalfOpen { probe_since: None };
                self.breaker.publish(&s);
            }
        }
    }
}
// ANCHOR_END: execute

impl Inner {
    /// A transition: a new state and a new epoch, narrated by the breaker.
    fn set(&mut self, state: State) {
        self.epoch += 1;
        let (from, to) = (name(self.state), name(state));
        let epoch = self.epoch;
        as_actor("breaker", || {
            say!("{from} → {to} at {} (epoch {epoch})", rt::now())
        });
        self.state = state;
    }
}

/// The state's name, for narration (`Open` without its instant).
fn name(state: State) -> &'static str {
    match state {
        State::Closed { .. } => "Closed",
        State::Open { .. } => "Open",
        State::HalfOpen { .. } => "HalfOpen",
    }
}
