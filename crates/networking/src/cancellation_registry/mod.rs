//! N4 `cancellation_registry` — the guide's `cancelAllRequests()` cancels nothing: a request is
//! stored for cancellation only after it has finished.
//!
//! Ports `CancellableNetworkManager` from "Request Cancellation" (L2320–2387). Checked against
//! the guide:
//!
//! * `if let urlTask = task.value as? URLSessionTask` (L2375) reads `task.value`, which is `async`,
//!   without `await`: it does not compile. With the `await` added it waits for the whole request,
//!   then casts the decoded `T` to `URLSessionTask`, a cast that always fails, so `tasks` stays
//!   empty and `cancelAllRequests()` (L2382–2385) cancels nothing.
//! * The work runs in an unstructured `Task {}` (L2370): cancelling the caller does not cancel it,
//!   because awaiting `Task.value` does not pass cancellation on. Rust has the same trap: dropping
//!   a `tokio::spawn` `JoinHandle` detaches the task, it does not cancel it.
//! * `tasks` is a plain array written from any thread.
//!
//! The port keeps the guide's order — await, then store — with the cast that cannot fail in Rust
//! (an [`AbortHandle`] is a real handle to the task), so the only bug left is the order itself.
//!
//! The check ([`cancel_all_ends_a_request_in_flight`]): a real axum server on `127.0.0.1:0` holds
//! its answer to `GET /report` on a [`Gate`]. Once the server has the request, the test calls
//! `cancel_all_requests()`, then opens the gate — the sentinel: if the request was not cancelled,
//! its answer now arrives. The request must end `Cancelled`, and the registry must be empty after.
//!
//! * [`broken`] registers the task after awaiting it: `cancel_all_requests()` finds no request in
//!   flight, and the "cancelled" report arrives anyway.
//! * [`fixed`] registers before the await, and its [`Entry`] removes the task on drop — when the
//!   request finishes, fails or is itself dropped — so the registry never keeps a finished task.
//!
//! How it is caught: **one forced schedule**. The gate fixes the order (request in flight, cancel,
//! answer); no timer decides anything, so it runs on a real clock with I/O ([`crate::loopback::run_as`]).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::rt::{self, Gate};
use racelab_kit::say;
use racelab_kit::sync::lock_unpoisoned;
use racelab_kit::trace::{Trace, traced};
use tokio::task::AbortHandle;

pub mod broken;
pub mod fixed;
mod harness;

use crate::loopback;
pub use harness::start_server;

/// How a fetch ends when it does not return a body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// `cancelAllRequests()` cancelled it.
    Cancelled,
    /// The server or the connection failed (one line).
    Network(String),
}

/// The `tasks` the manager keeps: request tasks by id, behind a mutex (the guide's array is
/// unsynchronized).
#[derive(Debug, Default)]
pub struct Registry {
    next: AtomicU64,
    tasks: Mutex<HashMap<u64, AbortHandle>>,
}

/// A task's place in the [`Registry`]; dropping it removes the task (RAII).
#[derive(Debug)]
pub struct Entry<'a> {
    registry: &'a Registry,
    id: u64,
}

impl Registry {
    /// Stores `task` for cancellation until the returned [`Entry`] is dropped.
    pub fn register(&self, task: AbortHandle) -> Entry<'_> {
        let id = self.next.fetch_add(1, Ordering::Relaxed);
        lock_unpoisoned(&self.tasks).insert(id, task);
        Entry { registry: self, id }
    }

    /// `cancelAllRequests()`: aborts every stored task; returns how many there were.
    pub fn cancel_all(&self) -> usize {
        let tasks: Vec<AbortHandle> = lock_unpoisoned(&self.tasks)
            .drain()
            .map(|(_, t)| t)
            .collect();
        tasks.iter().for_each(AbortHandle::abort);
        tasks.len()
    }

    /// How many tasks are stored now.
    pub fn len(&self) -> usize {
        lock_unpoisoned(&self.tasks).len()
    }

    /// Whether no task is stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Drop for Entry<'_> {
    fn drop(&mut self) {
        lock_unpoisoned(&self.registry.tasks).remove(&self.id);
    }
}

/// What both twins implement: the guide's `CancellableNetworkManager`.
pub trait Cancellable: Send + Sync + 'static {
    /// A manager whose requests go to `base` (`http://127.0.0.1:port`).
    fn new(client: reqwest::Client, base: String) -> Self;
    /// `fetchData(from:)`: the body of `GET {base}{path}`.
    fn fetch_data(&self, path: &str) -> impl Future<Output = Result<String, Failure>> + Send;
    /// `cancelAllRequests()`: how many requests it cancelled.
    fn cancel_all_requests(&self) -> usize;
    /// How many requests are stored for cancellation now.
    fn stored(&self) -> usize;
}

// ANCHOR: check
/// A request held by the server, `cancel_all_requests()`, then the answer: the request must end
/// `Cancelled` and leave nothing stored.
pub async fn cancel_all_ends_a_request_in_flight<M: Cancellable>() -> Result<(), String> {
    let answer = Gate::new("the answer to GET /report");
    let server = start_server(answer.clone()).await?;
    let manager = Arc::new(M::new(loopback::client()?, server.base()));

    let caller = rt::spawn("caller", {
        let manager = Arc::clone(&manager);
        async move {
            say!("fetchData(/report)");
            let result = manager.fetch_data("/report").await;
            say!("fetchData ends: {result:?}");
            result
        }
    });
    answer.arrived(1).await; // the server has the request and holds the answer
    let cancelled = manager.cancel_all_requests();
    say!("cancelAllRequests() cancels {cancelled} request(s); the server may answer now");
    answer.open(); // the sentinel: a request still running gets its answer
    let result = caller
        .await
        .map_err(|e| format!("the caller task failed: {e}"));
    let stored = manager.stored();
    server.stop().await?;

    match result? {
        Err(Failure::Cancelled) if stored == 0 => Ok(()),
        Err(Failure::Cancelled) => Err(format!("{stored} finished request(s) still stored")),
        Err(Failure::Network(e)) => Err(e),
        Ok(body) => Err(format!(
            "cancelAllRequests() found {cancelled} request(s) in flight; the request it should \
             have cancelled finished with {body:?}"
        )),
    }
}
// ANCHOR_END: check

/// Runs the check for one twin with a trace installed, on a runtime with I/O ([`crate::loopback::run_as`]).
pub fn run(variant: Variant) -> (Result<(), String>, Trace) {
    traced(|_| match variant {
        Variant::Broken => loopback::run_as(
            "test",
            cancel_all_ends_a_request_in_flight::<broken::CancellableNetworkManager>(),
        ),
        Variant::Fixed => loopback::run_as(
            "test",
            cancel_all_ends_a_request_in_flight::<fixed::CancellableNetworkManager>(),
        ),
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "N4",
    name: "cancellation_registry",
    summary: "cancelAllRequests() cancels nothing: a request is stored only once it has finished",
    run: demo,
};

/// The demo: one request held by a loopback server, cancelled, then answered.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading("loopback server on 127.0.0.1 holds GET /report until the test opens a gate");
    let (outcome, trace) = run(variant);
    report.trace(&trace);
    report.conclude(
        outcome.err(),
        "cancelAllRequests() ended the request in flight, and nothing stayed stored",
    );
    report
}
