//! N14 `hermetic_integration_tests` — an integration test talks to a server it starts itself,
//! and its report is built from the results it got back, not from a list someone else fills.
//!
//! Ports the guide's `NetworkIntegrationTester` ("Network Integration Testing", L7503–7720):
//!
//! * It tests against public `https://httpbin.org` (L7585–7590): not hermetic — the result
//!   depends on the network, the service's rate limits and its mood. Here every endpoint is
//!   served by a real axum server **in the test's own process**, bound to `127.0.0.1:0` (a port
//!   the kernel picks, so two tests never collide on a fixed one), and stopped by the test.
//! * Each test appends its result with `testQueue.async { self.testResults.append(result) }` on a
//!   **concurrent** queue without a barrier (L7553–7555, L7575–7577): appends race each other (a
//!   data race on the array), and `generateNetworkTestReport` reads with a plain
//!   `testQueue.sync { testResults }` (L7650), which on a concurrent queue does not wait for the
//!   appends still in flight. The report can miss results — or all of them.
//!
//! The check ([`report_counts_every_test`]): four endpoint tests run in a task group against the
//! loopback server; the report must count all four. The shared queue is a
//! [`Gate`] held closed until the report is written — the schedule the
//! guide's `sync` allows (appends still queued when it reads).
//!
//! * [`broken`] appends from detached tasks and reports from the shared list: 0 of 4.
//! * [`fixed`] builds the report from the group's return values (structured: nothing shared).
//!   A declared rewrite: the fix removes the shared list; the key lines are the detached append in
//!   `broken` and `report(&ran)` in `fixed`.
//!
//! How it is caught: **one forced schedule** (the gate). The per-request order inside the group
//! does not matter: nobody narrates until the group is done, and results are listed in endpoint
//! order.

use std::future::Future;

use axum::Router;
use axum::http::{Method, StatusCode, Uri};
use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::rt::Gate;
use racelab_kit::say;
use racelab_kit::trace::{Trace, traced};

use crate::loopback::{self, Server, client};

pub mod broken;
pub mod fixed;
pub mod latency;

/// The guide's `NetworkTestResult`, without the wall-clock fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestResult {
    /// Which endpoint (its index in [`ENDPOINTS`]).
    pub index: usize,
    /// `"GET /status/404"`.
    pub name: String,
    /// The status the server answered, if it answered.
    pub status: Option<u16>,
    /// Whether it was the expected one.
    pub success: bool,
}

/// The guide's endpoints (L7585–7590) on the loopback server: path, method, expected status.
/// (`/delay/1` and `/delay/3` are left out: a test that waits on the wall clock is not one.)
pub const ENDPOINTS: [(&str, &str, u16); 4] = [
    ("/get", "GET", 200),
    ("/post", "POST", 200),
    ("/status/404", "GET", 404),
    ("/status/500", "GET", 500),
];

/// The loopback stand-in for httpbin: `/get`, `/post`, `/status/<code>`.
pub async fn httpbin(method: Method, uri: Uri) -> StatusCode {
    let path = uri.path();
    match (method.as_str(), path) {
        ("GET", "/get") | ("POST", "/post") => StatusCode::OK,
        _ => path
            .strip_prefix("/status/")
            .and_then(|code| code.parse().ok())
            .and_then(|code| StatusCode::from_u16(code).ok())
            .unwrap_or(StatusCode::NOT_FOUND),
    }
}

/// `testEndpoint`: one request, its status compared with the expected one.
pub async fn test_endpoint(client: reqwest::Client, base: String, index: usize) -> TestResult {
    let (path, method, expected) = ENDPOINTS[index];
    let url = format!("{base}{path}");
    let request = if method == "POST" {
        client.post(url)
    } else {
        client.get(url)
    };
    let status = request.send().await.ok().map(|r| r.status().as_u16());
    TestResult {
        index,
        name: format!("{method} {path}"),
        status,
        success: status == Some(expected),
    }
}

/// `generateNetworkTestReport`'s summary line. An empty list gives `NaN%`, as in Swift
/// (`Double(0) / Double(0)`, L7661).
pub fn report(results: &[TestResult]) -> String {
    let passed = results.iter().filter(|r| r.success).count();
    let rate = passed as f64 / results.len() as f64 * 100.0;
    format!(
        "{} tests, {passed} passed, success rate {rate:.1}%",
        results.len()
    )
}

/// The guide's `NetworkIntegrationTester`.
pub trait IntegrationTester: Sized {
    /// A tester with `client`; `test_queue` holds the shared queue's jobs until it is opened.
    fn new(client: reqwest::Client, test_queue: Gate) -> Self;
    /// `runComprehensiveNetworkTests`: every endpoint in a task group against `base`; returns
    /// what the group handed back and the report.
    fn run_comprehensive(&self, base: String) -> impl Future<Output = (Vec<TestResult>, String)>;
}

// ANCHOR: check
/// Runs the four endpoint tests against a loopback server; the report must count all four.
pub async fn report_counts_every_test<T: IntegrationTester>() -> Result<(), String> {
    let server = Server::start(Router::new().fallback(httpbin)).await?;
    let test_queue = Gate::new("testQueue");
    let tester = T::new(client()?, test_queue.clone());
    let (mut ran, summary) = tester.run_comprehensive(server.url("")).await;
    ran.sort_by_key(|r| r.index);
    for r in &ran {
        let status = r.status.map_or("no answer".to_string(), |s| s.to_string());
        say!("test {}: status {status}, success {}", r.name, r.success);
    }
    say!("report: {summary}");
    test_queue.open();
    drop(tester);
    server.stop().await?;
    let expected = report(&ran);
    if summary != expected {
        return Err(format!(
            "{} tests ran, but the report says \"{summary}\"",
            ran.len()
        ));
    }
    Ok(())
}
// ANCHOR_END: check

/// Runs the check for one twin on a loopback runtime, with a trace installed.
pub fn run(variant: Variant) -> (Result<(), String>, Trace) {
    traced(|_| match variant {
        Variant::Broken => loopback::run_as(
            "suite",
            report_counts_every_test::<broken::NetworkIntegrationTester>(),
        ),
        Variant::Fixed => loopback::run_as(
            "suite",
            report_counts_every_test::<fixed::NetworkIntegrationTester>(),
        ),
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "N14",
    name: "hermetic_integration_tests",
    summary: "results appended on a shared queue miss the report; return them from the group",
    run: demo,
};

/// The demo: the scenario, narrated.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading("4 endpoint tests against a loopback httpbin; the shared queue is held");
    let (outcome, trace) = run(variant);
    report.trace(&trace);
    report.conclude(outcome.err(), "the report counted every test that ran");
    report
}
