//! A5 `loading_flag` — one `isLoading` flag for many requests, cleared by a task that runs later.
//!
//! Ports the guide's `NetworkRequestManager`, shown twice: "Network Request Manager" (L639–695,
//! `performMultipleRequests`) and "3. Network Request Manager" (L5578–5627, `performRequest`).
//! Both set `isLoading = true` and clear it in `defer { Task { @MainActor in isLoading = false } }`
//! (L657–661, L5594–5598). Two bugs, each confirmed against the code:
//!
//! * **One bool for overlapping requests.** A and B both set `true`; A finishes and sets `false`
//!   while B is still running.
//! * **The clear is deferred twice.** `defer` runs as the function returns, but the `Task` it
//!   creates runs *later*, whenever the main actor gets to it. So the caller, right after
//!   `await performRequest(A)`, still reads `true`; and if it starts B at once, B's
//!   `isLoading = true` lands first and A's late `false` lands on top of it — with B in flight and
//!   no overlap at all.
//!
//! Two checks, both run by both twins: [`overlapping_requests`] (A takes 100 ms, B 300 ms, both
//! started at t=0; at t=150ms loading must be true) and [`back_to_back_requests`] (A, then B right
//! after it returns; loading must be false between them and true while B runs).
//!
//! * [`broken`] is the guide's: a `watch<bool>`, cleared by a task spawned from a [`Defer`].
//! * [`fixed`] counts requests in flight in a `watch<usize>`, behind an RAII `LoadingGuard`: `+1`
//!   in `new`, `−1` in `Drop`. `Drop` runs synchronously as the request's scope ends — no task,
//!   no later — and the screen shows loading while the count is above zero.
//!
//! The twins are a **declared rewrite** (a guard instead of a set and a deferred clear). The key
//! lines: `let _defer = Defer(…spawn(clear)…)` (broken) and `let _loading = LoadingGuard::new(…)`
//! (fixed).
//!
//! How it is caught: **one forced schedule**. The paused clock puts every response and every look
//! at its own exact time; requests say nothing until their response arrives, so no line depends on
//! which of two ready tasks tokio polls first. The back-to-back check runs A and B inline in the
//! caller, so B's `isLoading = true` comes before A's spawned clear by construction.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::trace::{Trace, traced};
use racelab_kit::{rt, say};
use tokio::time::{Instant, sleep, sleep_until};

pub mod broken;
pub mod fixed;

/// A response body: the request's name.
pub type Response = &'static str;

/// Swift's `defer { … }`: runs the closure when the scope ends, by whatever way it ends.
pub struct Defer<F: FnMut()>(pub F);

impl<F: FnMut()> Drop for Defer<F> {
    fn drop(&mut self) {
        (self.0)();
    }
}

/// The server: answers `name` after `took` (paused time). It says nothing itself.
pub async fn server(name: &'static str, took: Duration) -> Response {
    sleep(took).await;
    name
}

/// What both twins are: the guide's `NetworkRequestManager`.
pub trait RequestManager: Default + Send + Sync + 'static {
    /// `performRequest(_:)`: loading while it runs.
    fn perform_request(
        &self,
        name: &'static str,
        took: Duration,
    ) -> impl Future<Output = Response> + Send;
    /// `isLoading`, as the screen reads it.
    fn is_loading(&self) -> bool;
}

const fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

// ANCHOR: overlapping
/// A (100 ms) and B (300 ms) start together; at t=150ms B is in flight, so the screen must say
/// loading. (Run from t=0: the times below are the scenario's.)
pub async fn overlapping_requests<M: RequestManager>() -> Result<(), String> {
    let manager = Arc::new(M::default());
    let start = Instant::now();
    say!("starts A (100 ms) and B (300 ms) together");
    let a = rt::spawn("A", {
        let manager = Arc::clone(&manager);
        async move { manager.perform_request("A", ms(100)).await }
    });
    let b = rt::spawn("B", {
        let manager = Arc::clone(&manager);
        async move { manager.perform_request("B", ms(300)).await }
    });

    sleep_until(start + ms(150)).await;
    let mid = manager.is_loading();
    say!("looks at {}: isLoading = {mid}", rt::now());
    sleep_until(start + ms(350)).await;
    let after = manager.is_loading();
    say!("looks at {}: isLoading = {after}", rt::now());
    a.await.map_err(|e| e.to_string())?;
    b.await.map_err(|e| e.to_string())?;

    match (mid, after) {
        (true, false) => Ok(()),
        (false, _) => Err("isLoading is false at t=150ms with B in flight".into()),
        (true, true) => Err("isLoading is still true at t=350ms, after both returned".into()),
    }
}
// ANCHOR_END: overlapping

// ANCHOR: back_to_back
/// A (100 ms), then B (100 ms) the moment A returns, both awaited by the caller. Right after A
/// returns the screen must not be loading; halfway through B it must be.
pub async fn back_to_back_requests<M: RequestManager>() -> Result<(), String> {
    let manager = Arc::new(M::default());
    let start = Instant::now();
    let screen = rt::spawn("screen", {
        let manager = Arc::clone(&manager);
        async move {
            sleep_until(start + ms(150)).await;
            let loading = manager.is_loading();
            say!("looks at {}: isLoading = {loading}", rt::now());
            (loading, rt::now())
        }
    });

    say!("awaits A (100 ms)");
    manager.perform_request("A", ms(100)).await;
    let after_a = manager.is_loading();
    say!("A returned; isLoading = {after_a}; awaits B (100 ms) at once");
    manager.perform_request("B", ms(100)).await;
    let (during_b, looked) = screen.await.map_err(|e| e.to_string())?;
    sleep(ms(50)).await; // let anything the requests left behind run before the verdict

    let mut failures = Vec::new();
    if after_a {
        failures.push("isLoading is still true right after A returned".to_string());
    }
    if !during_b {
        failures.push(format!("false at {looked} with B in flight"));
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join(", "))
    }
}
// ANCHOR_END: back_to_back

/// Runs one check for one twin on the paused clock, with a trace installed.
pub fn run<F, Fut>(variant: Variant, check: F) -> (Result<(), String>, Trace)
where
    F: FnOnce(Variant) -> Fut,
    Fut: Future<Output = Result<(), String>>,
{
    traced(|_| rt::run_as("caller", check(variant)))
}

/// [`overlapping_requests`] on one twin.
pub async fn overlapping(variant: Variant) -> Result<(), String> {
    match variant {
        Variant::Broken => overlapping_requests::<broken::NetworkRequestManager>().await,
        Variant::Fixed => overlapping_requests::<fixed::NetworkRequestManager>().await,
    }
}

/// [`back_to_back_requests`] on one twin.
pub async fn back_to_back(variant: Variant) -> Result<(), String> {
    match variant {
        Variant::Broken => back_to_back_requests::<broken::NetworkRequestManager>().await,
        Variant::Fixed => back_to_back_requests::<fixed::NetworkRequestManager>().await,
    }
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "A5",
    name: "loading_flag",
    summary: "one isLoading bool cleared by a deferred task; count requests in a guard",
    run: demo,
};

/// The demo: both checks, narrated.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading(
        "paused clock: A (100 ms) and B (300 ms) start together; the screen looks at t=150ms",
    );
    let (overlap, trace) = run(variant, overlapping);
    report.trace(&trace);
    report.heading("paused clock: A (100 ms), then B (100 ms) the moment A returns");
    let (in_turn, trace) = run(variant, back_to_back);
    report.trace(&trace);
    let bug = match (overlap, in_turn) {
        (Ok(()), Ok(())) => None,
        (Err(e), Ok(())) | (Ok(()), Err(e)) => Some(e),
        (Err(e), Err(_)) => Some(format!("{e}; wrong back to back too")),
    };
    report.conclude(
        bug,
        "loading while any request runs, and not a moment after the last one returns",
    );
    report
}
