//! A4 `task_group_ordering` — a task group hands back results in the order the tasks *finish*,
//! not the order they were added; and it starts them all at once.
//!
//! Ports the guide's `fetchMultipleUsers` ("Structured Concurrency with Task Groups", L1926–1981)
//! and the same loop in `ImageProcessingPipeline.processImages` (L597–637): add one child task per
//! id, then `for try await user in group { users.append(user) }`. Swift's docs say it outright:
//! `next()` returns results "in the order that the tasks *completed*, not in the order that those
//! tasks were added to the task group". The guide never says the order is kept, but it returns a
//! plain `[User]` for a list of ids and `[ProcessedImage]` for a list of images, which every caller
//! will read as "the same order" — and each request is started at once, however many ids there
//! are.
//!
//! The check ([`users_come_back_in_the_order_asked`]): fetch users 1…5, where user `i` answers
//! after `(6 − i) × 100 ms` of paused time — the last asked answers first. The users must come
//! back as `[1, 2, 3, 4, 5]`, with at most [`MAX_IN_FLIGHT`] requests running at once.
//!
//! * [`broken`] is the guide's task group as a tokio `JoinSet` (the same completion order, and
//!   documented as such): `[5, 4, 3, 2, 1]`, with all five in flight.
//! * [`fixed`] is `stream::iter(ids).map(fetch).buffered(MAX_IN_FLIGHT)` (futures-util): at most
//!   three requests at once, results in input order.
//!
//! How it is caught: **one forced schedule**. The paused clock makes every answer time exact and
//! distinct, so the completion order is fixed by the script; only one request answers at each
//! instant, so no line depends on which of two ready tasks tokio polls first.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::gauge::Gauge;
use racelab_kit::trace::{Signed, Trace, traced};
use racelab_kit::{rt, say};

pub mod broken;
pub mod fixed;

/// A user id.
pub type UserId = u64;

/// `struct User`: what `fetchUser(id:)` returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct User {
    /// Whose record this is.
    pub id: UserId,
}

/// The ids the check asks for, in order.
pub const IDS: [UserId; 5] = [1, 2, 3, 4, 5];

/// How many requests the fixed twin lets run at once (the guide sets no limit).
pub const MAX_IN_FLIGHT: usize = 3;

/// How long the server takes to answer for `id`: the last id asked answers first.
pub fn latency(id: UserId) -> Duration {
    Duration::from_millis(100 * (6 - id))
}

/// The user service: answers `fetch_user(id)` after [`latency`]`(id)` and counts the requests in
/// flight. Clones share the count.
#[derive(Debug, Clone, Default)]
pub struct Api {
    in_flight: Arc<Gauge>,
}

impl Api {
    /// `fetchUser(id:)`. The future owns what it needs (`'static`), so it can be spawned. It says
    /// one line, when it answers — never when it starts, since five requests start at the same
    /// instant and tokio does not promise in which order it polls them.
    pub fn fetch_user(&self, id: UserId) -> impl Future<Output = User> + Send + 'static {
        let in_flight = self.in_flight.clone();
        Signed::new("api", async move {
            let inside = in_flight.enter();
            tokio::time::sleep(latency(id)).await;
            say!("answers for user {id} at {}", rt::now());
            drop(inside);
            User { id }
        })
    }

    /// The most requests that were ever in flight at once.
    pub fn peak(&self) -> usize {
        self.in_flight.peak()
    }
}

/// The ids of `users`, for messages.
fn ids(users: &[User]) -> Vec<UserId> {
    users.iter().map(|u| u.id).collect()
}

// ANCHOR: check
/// Fetches [`IDS`] with `fetch_multiple_users`; the users must come back in the order asked, with
/// at most [`MAX_IN_FLIGHT`] requests in flight at once.
pub async fn users_come_back_in_the_order_asked(
    fetch_multiple_users: impl AsyncFnOnce(&Api, &[UserId]) -> Vec<User>,
) -> Result<(), String> {
    let api = Api::default();
    say!("fetches users {IDS:?}; user i answers after (6 - i) x 100 ms");
    let users = ids(&fetch_multiple_users(&api, &IDS).await);
    say!("gets users {users:?} at {}", rt::now());
    say!("saw at most {} requests in flight at once", api.peak());

    let mut problems = Vec::new();
    if users != IDS {
        problems.push(format!(
            "users came back as {users:?}, in the order they finished, not as asked"
        ));
    }
    if api.peak() > MAX_IN_FLIGHT {
        problems.push(format!(
            "{} requests in flight at once (limit {MAX_IN_FLIGHT})",
            api.peak()
        ));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}
// ANCHOR_END: check

/// Runs the check for one twin on the paused clock, with a trace installed.
pub fn run(variant: Variant) -> (Result<(), String>, Trace) {
    traced(|_| match variant {
        Variant::Broken => rt::run_as(
            "caller",
            users_come_back_in_the_order_asked(broken::fetch_multiple_users),
        ),
        Variant::Fixed => rt::run_as(
            "caller",
            users_come_back_in_the_order_asked(fixed::fetch_multiple_users),
        ),
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "A4",
    name: "task_group_ordering",
    summary: "a task group yields results as they finish, all at once; buffered(n) keeps order",
    run: demo,
};

/// The demo: the scenario, narrated.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading("paused clock: fetch users 1..5; the last one asked answers first");
    let (outcome, trace) = run(variant);
    report.trace(&trace);
    report.conclude(
        outcome.err(),
        format!(
            "users came back as {IDS:?}, with at most {MAX_IN_FLIGHT} requests in flight at once"
        ),
    );
    report
}
