//! The scripted service: the one place this chapter's faults come from.
//!
//! A resilience pattern is only as good as the faults it has met. Here a test does not wait for a
//! real service to misbehave: it *scripts* one. [`Scripted`] is a [`tower::Service`] that answers
//! call 1 with the first [`Step`], call 2 with the second, and so on (the last step repeats), each
//! answer optionally taking virtual time ([`Step::taking`], on tokio's paused clock) or held until
//! the test opens a [`Gate`] ([`Step::held_by`]). It records every [`Call`] — its number, the
//! virtual time it arrived and the request — and how many calls were in flight at once.
//!
//! Why a `tower::Service` and not a closure: it is the shape the professional layers expect
//! (`tower::timeout`, `retry`, `limit`), so the hand-written breaker or retry loop of a demo and
//! the tower stack beside it are driven by the very same script. Why no socket: the lesson is
//! *when* calls happen and what they answer; with real sockets the paused clock can jump while
//! the kernel holds bytes (the networking chapter is where sockets are the lesson).
//!
//! ```
//! use production::scripted::{Scripted, Step};
//! use std::time::Duration;
//! use tower::{Service, ServiceExt};
//!
//! racelab_kit::rt::run(async {
//!     let mut service: Scripted<&str, u16, &str> = Scripted::new([
//!         Step::err("503").taking(Duration::from_millis(100)),
//!         Step::ok(200),
//!     ]);
//!     assert_eq!(service.ready().await.unwrap().call("GET /feed").await, Err("503"));
//!     assert_eq!(service.ready().await.unwrap().call("GET /feed").await, Ok(200));
//!     assert_eq!(service.ready().await.unwrap().call("GET /feed").await, Ok(200)); // repeats
//!     let at: Vec<u128> = service.calls().iter().map(|c| c.at.as_millis()).collect();
//!     assert_eq!(at, [0, 100, 100]);
//! });
//! ```

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use racelab_kit::rt::{self, Gate};
use racelab_kit::sync::lock_unpoisoned;

/// What one call answers, how long it takes and what holds it.
#[derive(Debug, Clone)]
pub struct Step<T, E> {
    /// The answer.
    pub answer: Result<T, E>,
    /// Virtual time the call takes before it answers (after its gate, if any, opens).
    pub takes: Duration,
    /// A gate the call waits at before it answers: the test decides when it returns.
    pub held: Option<Gate>,
}

impl<T, E> Step<T, E> {
    /// A step that answers `Ok(value)` at once.
    pub fn ok(value: T) -> Self {
        Step {
            answer: Ok(value),
            takes: Duration::ZERO,
            held: None,
        }
    }

    /// A step that answers `Err(error)` at once.
    pub fn err(error: E) -> Self {
        Step {
            answer: Err(error),
            takes: Duration::ZERO,
            held: None,
        }
    }

    /// The same answer after `d` of virtual time.
    pub fn taking(self, d: Duration) -> Self {
        Step { takes: d, ..self }
    }

    /// The same answer, held until `gate` opens.
    pub fn held_by(self, gate: &Gate) -> Self {
        Step {
            held: Some(gate.clone()),
            ..self
        }
    }
}

/// One call as the service saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Call<Req> {
    /// 1 for the first call.
    pub n: usize,
    /// When it arrived, on the scenario's clock (virtual time since the scenario started).
    pub at: Duration,
    /// The request.
    pub request: Req,
}

struct State<Req, T, E> {
    steps: VecDeque<Step<T, E>>,
    calls: Vec<Call<Req>>,
    in_flight: usize,
    max_in_flight: usize,
}

/// A `tower::Service` that answers from a script; clones share the script and the record.
pub struct Scripted<Req, T, E> {
    state: Arc<Mutex<State<Req, T, E>>>,
}

impl<Req, T, E> Clone for Scripted<Req, T, E> {
    fn clone(&self) -> Self {
        Scripted {
            state: Arc::clone(&self.state),
        }
    }
}

impl<Req, T, E> fmt::Debug for Scripted<Req, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = lock_unpoisoned(&self.state);
        f.debug_struct("Scripted")
            .field("steps_left", &state.steps.len())
            .field("calls", &state.calls.len())
            .field("in_flight", &state.in_flight)
            .finish()
    }
}

impl<Req: Clone, T: Clone, E: Clone> Scripted<Req, T, E> {
    /// A service answering call *n* with step *n*; the last step answers every call after it.
    ///
    /// # Panics
    /// If `steps` is empty: a script must say what the service answers.
    pub fn new(steps: impl IntoIterator<Item = Step<T, E>>) -> Self {
        let steps: VecDeque<_> = steps.into_iter().collect();
        assert!(!steps.is_empty(), "a script needs at least one step");
        Scripted {
            state: Arc::new(Mutex::new(State {
                steps,
                calls: Vec::new(),
                in_flight: 0,
                max_in_flight: 0,
            })),
        }
    }

    /// Appends steps after the current ones (the last step no longer repeats if more follow).
    /// (Not `then`: that name is `tower::ServiceExt::then`'s, and would be shadowed.)
    pub fn append(&self, steps: impl IntoIterator<Item = Step<T, E>>) {
        lock_unpoisoned(&self.state).steps.extend(steps);
    }

    /// Every call so far, in arrival order.
    pub fn calls(&self) -> Vec<Call<Req>> {
        lock_unpoisoned(&self.state).calls.clone()
    }

    /// How many calls arrived so far.
    pub fn count(&self) -> usize {
        lock_unpoisoned(&self.state).calls.len()
    }

    /// How many calls are running now (arrived, not yet answered or dropped).
    pub fn in_flight(&self) -> usize {
        lock_unpoisoned(&self.state).in_flight
    }

    /// The most calls that were running at the same time.
    pub fn max_in_flight(&self) -> usize {
        lock_unpoisoned(&self.state).max_in_flight
    }

    fn next_step(&self, request: Req) -> Step<T, E> {
        let mut state = lock_unpoisoned(&self.state);
        let step = if state.steps.len() > 1 {
            state.steps.pop_front().expect("more than one step is left")
        } else {
            state
                .steps
                .front()
                .cloned()
                .expect("the last step is never removed")
        };
        let n = state.calls.len() + 1;
        state.calls.push(Call {
            n,
            at: rt::now().0,
            request,
        });
        state.in_flight += 1;
        state.max_in_flight = state.max_in_flight.max(state.in_flight);
        step
    }
}

/// Counts a call out of `in_flight` when it answers *or* is dropped (cancelled) mid-way.
struct InFlight<Req, T, E>(Arc<Mutex<State<Req, T, E>>>);

impl<Req, T, E> Drop for InFlight<Req, T, E> {
    fn drop(&mut self) {
        lock_unpoisoned(&self.0).in_flight -= 1;
    }
}

impl<Req, T, E> tower::Service<Req> for Scripted<Req, T, E>
where
    Req: Clone + Send + 'static,
    T: Clone + Send + 'static,
    E: Clone + Send + 'static,
{
    type Response = T;
    type Error = E;
    type Future = Pin<Box<dyn Future<Output = Result<T, E>> + Send>>;

    fn poll_ready(&mut self, _cx: &mut Context<'_>) -> Poll<Result<(), E>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, request: Req) -> Self::Future {
        let step = self.next_step(request);
        let guard = InFlight(Arc::clone(&self.state));
        Box::pin(async move {
            let _guard = guard;
            if let Some(gate) = &step.held {
                gate.wait().await;
            }
            if !step.takes.is_zero() {
                tokio::time::sleep(step.takes).await;
            }
            step.answer
        })
    }
}
