//! A1 `callbacks_to_async` — wrapping a completion-handler API in an `async fn`, and what happens
//! when the callback is never called.
//!
//! Ports the guide's "3. Async/Await" (L116–161) and "Basic Async/Await" (L1857–1924). The guide
//! shows the callback API (`fetchUserData(completion: (User?, Error?) -> Void)`, L1898–1903) and
//! then an `async throws` function built on `URLSession`'s own async API (L1906–1910). It never
//! shows the step every real port needs: wrapping a callback API you do not own in an `async fn`
//! (Swift's `withCheckedThrowingContinuation`). That bridge has one rule — the callback must be
//! called exactly once — and the guide's callback type makes the rule easy to break:
//! `(User?, Error?)` allows `(nil, nil)`, and a bridge written `if let user … else if let error …`
//! then never resumes. Apple's documentation says what happens: the task stays suspended forever.
//!
//! The check ([`every_path_answers`]): the service answers after [`LATENCY`] on three paths — a
//! user, a 500, and a path that drops the callback without calling it. `fetch_user()` must return
//! on every path; the last must be an error, not a task waiting forever.
//!
//! * [`broken`] is a hand-rolled continuation (a slot and a `Notify`, what Swift's continuation
//!   is): when the callback is dropped, nothing ever wakes the waiter. [`rt::until_stuck`] proves
//!   it stuck on the paused clock.
//! * [`fixed`] is a `tokio::sync::oneshot` channel. The callback owns the sender; dropping the
//!   callback drops the sender, and the waiting receiver gets `Err(RecvError)` at once.
//!
//! The twins are a **declared rewrite**: a hand-rolled slot and a channel are different shapes.
//! The key lines are `slot.take().await` (broken) and `rx.await.unwrap_or(…)` (fixed).
//!
//! How it is caught: **one forced schedule**. One caller, one service task, one request at a time;
//! the paused clock makes 100 ms exact, and "never returns" a proof, not a timeout.

use std::fmt;
use std::future::Future;
use std::time::Duration;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::trace::{Trace, traced};
use racelab_kit::{rt, say};

pub mod broken;
pub mod fixed;

/// A user, by name.
pub type User = &'static str;

/// How long the service takes to answer (paused time: exact, and free).
pub const LATENCY: Duration = Duration::from_millis(100);

/// Why `fetch_user()` failed. With `Result<User, FetchError>` there is no `(nil, nil)` and no
/// `(user, error)`: exactly one of the two, by type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    /// The server answered with a status that is not a success.
    Http(u16),
    /// The service dropped the callback without calling it: no answer will ever come.
    NoAnswer,
}

/// Which way the service's request goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Path {
    /// 200 and a user: the callback gets `Ok`.
    Found,
    /// 500: the callback gets `Err`.
    ServerError,
    /// 204, no user and no error: this path returns without calling the callback.
    DropsCallback,
}

impl fmt::Display for Path {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Path::Found => "the server has the user",
            Path::ServerError => "the server fails",
            Path::DropsCallback => "the server answers 204 No Content",
        })
    }
}

/// The callback the service calls — at most once, since it is an `FnOnce`.
pub type Completion = Box<dyn FnOnce(Result<User, FetchError>) + Send>;

// ANCHOR: service
/// `fetchUserData(completion:)`: a callback API the caller does not own. It answers after
/// [`LATENCY`], on its own task; on [`Path::DropsCallback`] it returns without calling back,
/// which drops the callback.
pub fn fetch_user_data(path: Path, completion: Completion) {
    rt::spawn("urlsession", async move {
        tokio::time::sleep(LATENCY).await;
        match path {
            Path::Found => {
                say!("answers 200 with John at {}; calls back", rt::now());
                completion(Ok("John"));
            }
            Path::ServerError => {
                say!("answers 500 at {}; calls back with the error", rt::now());
                completion(Err(FetchError::Http(500)));
            }
            Path::DropsCallback => {
                say!("answers 204 at {}: no user, no error, no call", rt::now());
                drop(completion); // the path every callback API has: an early return
            }
        }
    });
}
// ANCHOR_END: service

/// `func fetchUserData() async throws -> User`, built on the callback API: what each twin is.
pub trait Bridge {
    /// Starts the request and waits for its callback.
    fn fetch_user(path: Path) -> impl Future<Output = Result<User, FetchError>>;
}

// ANCHOR: check
/// Calls `fetch_user()` once per [`Path`]: each call must return, with the callback's result or
/// with [`FetchError::NoAnswer`] when the callback was dropped.
pub async fn every_path_answers<B: Bridge>() -> Result<(), String> {
    let paths = [
        (Path::Found, Ok("John")),
        (Path::ServerError, Err(FetchError::Http(500))),
        (Path::DropsCallback, Err(FetchError::NoAnswer)),
    ];
    for (path, expected) in paths {
        say!("calls fetch_user() ({path})");
        match rt::until_stuck(B::fetch_user(path)).await {
            Ok(got) if got == expected => say!("gets {got:?} at {}", rt::now()),
            Ok(got) => return Err(format!("{path}: got {got:?}, expected {expected:?}")),
            Err(stuck) => {
                say!(
                    "is still waiting at {}: no task could run, no timer was due",
                    stuck.at
                );
                return Err(format!(
                    "fetch_user() waits forever for a dropped callback (stuck at {})",
                    stuck.at
                ));
            }
        }
    }
    Ok(())
}
// ANCHOR_END: check

/// Runs the check for one twin on the paused clock, with a trace installed.
pub fn run(variant: Variant) -> (Result<(), String>, Trace) {
    traced(|_| match variant {
        Variant::Broken => rt::run_as("caller", every_path_answers::<broken::Bridge>()),
        Variant::Fixed => rt::run_as("caller", every_path_answers::<fixed::Bridge>()),
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "A1",
    name: "callbacks_to_async",
    summary: "a callback bridge waits forever for a dropped callback; oneshot sees it",
    run: demo,
};

/// The demo: the scenario, narrated.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading(format!(
        "paused clock: the service answers after {} ms — a user, a 500, then no callback at all",
        LATENCY.as_millis()
    ));
    let (outcome, trace) = run(variant);
    report.trace(&trace);
    report.conclude(
        outcome.err(),
        "every path returned; a dropped callback gave NoAnswer at once",
    );
    report
}
