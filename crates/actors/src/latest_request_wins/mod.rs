//! A2 `latest_request_wins` — two overlapping fetches for one screen: the older answer must not
//! overwrite the newer one, nor end its loading spinner.
//!
//! Ports the guide's "4. Combine Framework" `UserViewModel` (L163–209). Each `fetchUser()` starts
//! a `dataTaskPublisher` pipeline and `.store(in: &cancellables)` keeps it alive (L206); nothing
//! cancels the request before it. So two requests in flight both write to the same
//! `@Published` properties, in the order their answers arrive:
//!
//! * a slow first request answering after a fast second one leaves the *stale* user on screen;
//! * a fast first request answering while a slow second one still runs sets `isLoading = false`
//!   (L197) with the request the screen waits for still in flight.
//!
//! The check ([`latest_request_wins`]) taps twice and runs two scripts: A takes 200 ms and B 50 ms,
//! then A 50 ms and B 200 ms. In both, while B is in flight the screen must say loading, and at the
//! end it must show B and not be loading.
//!
//! * [`broken`] stores every request's `AbortHandle` in a list, as the guide stores every
//!   `AnyCancellable`, and never uses them.
//! * [`fixed`] keeps only the latest request's `AbortHandle` and aborts the one before it — the
//!   `switchToLatest` / `flatMapLatest` shape: a request that is no longer the latest cannot write.
//!
//! State is a `tokio::sync::watch` channel, the analogue of `@Published`: the view model sends,
//! the screen reads the latest value (and could await `changed()`).
//!
//! How it is caught: **one forced schedule**. The paused clock puts every answer and every look
//! at an exact, distinct time; the requests say nothing until they answer, so no line depends on
//! which of two ready tasks tokio polls first.

use std::time::Duration;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::trace::{Trace, traced};
use racelab_kit::{rt, say};

pub mod broken;
pub mod fixed;

/// A user, by name (the query is the name: request A answers with user A).
pub type User = &'static str;

/// What the screen shows: `@Published var user`, `@Published var isLoading`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct State {
    /// The user on screen.
    pub user: Option<User>,
    /// Whether the spinner shows.
    pub is_loading: bool,
}

/// The server: answers a request for `user` after `delay` (paused time). It says nothing itself.
pub async fn fetch_from_server(user: User, delay: Duration) -> User {
    tokio::time::sleep(delay).await;
    user
}

/// What both twins are: the guide's `UserViewModel`.
pub trait ViewModel: Default {
    /// `fetchUser()`: starts a request for `user` that takes `delay`, and returns at once.
    fn fetch_user(&self, user: User, delay: Duration);
    /// What the screen shows now.
    fn state(&self) -> State;
}

const fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

// ANCHOR: check
/// Taps twice — fetch A, then at once fetch B — with A taking `a` and B taking `b`. Halfway
/// through B the screen must be loading; after both answers it must show B, not loading.
async fn tap_twice<V: ViewModel>(a: Duration, b: Duration, failures: &mut Vec<String>) {
    let model = V::default();
    let start = tokio::time::Instant::now();
    say!(
        "taps: fetch A ({} ms), then fetch B ({} ms)",
        a.as_millis(),
        b.as_millis()
    );
    model.fetch_user("A", a);
    model.fetch_user("B", b);

    tokio::time::sleep_until(start + b / 2).await;
    let State { user, is_loading } = model.state();
    say!(
        "looks at {}: user = {user:?}, isLoading = {is_loading}",
        rt::now()
    );
    if !is_loading {
        failures.push(format!("isLoading false at {}, B in flight", rt::now()));
    }

    tokio::time::sleep_until(start + a.max(b) + ms(50)).await;
    let State { user, is_loading } = model.state();
    say!(
        "looks at {}: user = {user:?}, isLoading = {is_loading}",
        rt::now()
    );
    if user != Some("B") {
        failures.push(format!(
            "the screen ends on {}, not B",
            user.unwrap_or("no user")
        ));
    }
    if is_loading {
        failures.push(format!("still loading at {} after B answered", rt::now()));
    }
}

/// Both scripts: the older request answering last (A 200 ms, B 50 ms), then first (A 50 ms,
/// B 200 ms). Every failure is reported, in order.
pub async fn latest_request_wins<V: ViewModel>() -> Result<(), String> {
    let mut failures = Vec::new();
    for (a, b) in [(ms(200), ms(50)), (ms(50), ms(200))] {
        tap_twice::<V>(a, b, &mut failures).await;
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("; "))
    }
}
// ANCHOR_END: check

/// Runs the check for one twin on the paused clock, with a trace installed.
pub fn run(variant: Variant) -> (Result<(), String>, Trace) {
    traced(|_| match variant {
        Variant::Broken => rt::run_as("screen", latest_request_wins::<broken::UserViewModel>()),
        Variant::Fixed => rt::run_as("screen", latest_request_wins::<fixed::UserViewModel>()),
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "A2",
    name: "latest_request_wins",
    summary: "overlapping fetches: the older answer overwrites the newer one",
    run: demo,
};

/// The demo: the scenario, narrated.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading(
        "paused clock: fetch A then B at once; A 200 ms and B 50 ms, then A 50 ms and B 200 ms",
    );
    let (outcome, trace) = run(variant);
    report.trace(&trace);
    report.conclude(
        outcome.err(),
        "the screen ends on B in both scripts and shows loading while B is in flight",
    );
    report
}
