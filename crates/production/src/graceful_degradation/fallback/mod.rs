//! P2's second lesson: `executeWithDegradation` (L6040–6047) falls back on *every* error — a
//! 404, and a call the user cancelled. The fixed twin falls back only on an error classified
//! transient ([`CallError::is_transient`]), and returns a cancellation to its caller.
//!
//! The check ([`falls_back_only_on_transient_errors`]): three calls, each a primary call to the
//! chapter's scripted service taking [`CALL_TAKES`] of paused time — a 503 (fall back), a 404 (do
//! not), and a call the user cancels through a `CancellationToken` at [`CANCEL_AFTER`] (do not:
//! the caller must see `Cancelled`). **One forced schedule**: one caller, the paused clock, and a
//! user task whose only line comes 100 ms into the third call, while the caller waits.
//!
//! This is *cooperative* cancellation: the token turns into an `Err` the code must handle, like
//! Swift's `CancellationError`. Rust's other cancellation — dropping the future — never runs a
//! fallback, in either twin: the code after the dropped `.await` never runs (see the tests).

use std::cell::Cell;
use std::future::Future;
use std::time::Duration;

use racelab_kit::trace::{Trace, traced};
use racelab_kit::{rt, say};
use tokio_util::sync::CancellationToken;
use tower::ServiceExt;

use crate::scripted::{Scripted, Step};

pub mod broken;
pub mod fixed;

/// Why the primary call failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallError {
    /// 503: the service is overloaded or restarting.
    Unavailable,
    /// 404: there is no such thing.
    NotFound,
    /// The caller cancelled the work (Swift's `CancellationError`).
    Cancelled,
}

impl CallError {
    /// Worth a fallback: it may well pass later, and the fallback stands in meanwhile. A 404
    /// will not pass, and a cancelled caller wants nothing at all.
    pub fn is_transient(self) -> bool {
        matches!(self, CallError::Unavailable)
    }
}

/// What both twins are: the guide's `GracefulDegradationManager`, its other method.
pub trait Fallback: Default {
    /// `executeWithDegradation(_:fallback:)`.
    fn execute_with_degradation<T, Op, Fb>(
        &self,
        operation: impl FnOnce() -> Op,
        fallback: impl FnOnce() -> Fb,
    ) -> impl Future<Output = Result<T, CallError>>
    where
        Op: Future<Output = Result<T, CallError>>,
        Fb: Future<Output = Result<T, CallError>>;
}

/// One call of the fallback check: what the service answers, whether the user cancels, and what
/// the caller must get.
#[derive(Debug, Clone)]
pub struct Case {
    /// What it shows.
    pub what: &'static str,
    /// The scripted service's answer.
    pub answer: Result<&'static str, CallError>,
    /// The user cancels this long after the call starts, if at all.
    pub cancel_after: Option<Duration>,
    /// What `execute_with_degradation` must return.
    pub expected: Result<&'static str, CallError>,
}

/// How long the primary call takes (paused clock).
pub const CALL_TAKES: Duration = Duration::from_secs(1);

/// When the user cancels, in the third case.
pub const CANCEL_AFTER: Duration = Duration::from_millis(100);

/// The three calls: a transient error, a permanent one, a cancellation.
pub fn cases() -> [Case; 3] {
    [
        Case {
            what: "the service answers 503",
            answer: Err(CallError::Unavailable),
            cancel_after: None,
            expected: Ok("cached feed"),
        },
        Case {
            what: "the service answers 404",
            answer: Err(CallError::NotFound),
            cancel_after: None,
            expected: Err(CallError::NotFound),
        },
        Case {
            what: "the user cancels the call",
            answer: Ok("fresh feed"),
            cancel_after: Some(CANCEL_AFTER),
            expected: Err(CallError::Cancelled),
        },
    ]
}

// ANCHOR: call
/// One `execute_with_degradation`: the primary call goes to a scripted service and takes
/// [`CALL_TAKES`], racing a `CancellationToken` the user may cancel; the fallback serves a cached
/// feed and counts itself in `fallbacks` (a counter the caller owns, so it can be read even if
/// this call is dropped half-way).
pub async fn one_call<D: Fallback>(
    manager: &D,
    case: &Case,
    fallbacks: &Cell<usize>,
) -> Result<&'static str, CallError> {
    let service: Scripted<&str, &str, CallError> = Scripted::new([match case.answer {
        Ok(feed) => Step::ok(feed),
        Err(e) => Step::err(e),
    }
    .taking(CALL_TAKES)]);
    let token = CancellationToken::new();
    if let Some(after) = case.cancel_after {
        let token = token.clone();
        rt::spawn("user", async move {
            tokio::time::sleep(after).await;
            say!("cancels at {}", rt::now());
            token.cancel();
        });
    }
    let primary = || async move {
        say!("GET /feed at {}", rt::now());
        tokio::select! {
            biased;
            () = token.cancelled() => Err(CallError::Cancelled), // cooperative: an Err to handle
            answer = service.oneshot("GET /feed") => answer,
        }
    };
    let fallback = || async {
        fallbacks.set(fallbacks.get() + 1);
        say!("fallback: serves the cached feed");
        Ok("cached feed")
    };
    manager.execute_with_degradation(primary, fallback).await
}
// ANCHOR_END: call

// ANCHOR: fallback_check
/// Each case in turn: the result must be the expected one — so the fallback runs for the 503
/// only. Every case runs; the failures are reported together.
pub async fn falls_back_only_on_transient_errors<D: Fallback>() -> Result<(), String> {
    let manager = D::default();
    let mut wrong = Vec::new();
    for case in cases() {
        say!("{}:", case.what);
        let fallbacks = Cell::new(0);
        let result = one_call(&manager, &case, &fallbacks).await;
        let fallbacks = fallbacks.get();
        say!(
            "gets {result:?} at {}; fallback ran {fallbacks} time(s)",
            rt::now()
        );
        if result != case.expected {
            wrong.push(format!(
                "{}: got {result:?} (fallback ran {fallbacks} time(s)), not {:?}",
                case.what, case.expected
            ));
        }
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(wrong.join("; "))
    }
}
// ANCHOR_END: fallback_check

/// Runs [`falls_back_only_on_transient_errors`] for one twin on the paused clock, traced.
pub fn run_calls<D: Fallback>() -> (Result<(), String>, Trace) {
    traced(|_| rt::run_as("caller", falls_back_only_on_transient_errors::<D>()))
}
