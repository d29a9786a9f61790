//! N14 `hermetic_integration_tests`: results appended on a shared queue miss the report.

use axum::Router;
use networking::hermetic_integration_tests::{
    TestResult, fixed, httpbin, latency, report, report_counts_every_test, run,
};
use networking::loopback::{self, Server, client};
use racelab_kit::demo::Variant;
use racelab_testkit::compile_fail::{Case, check_with_crates};

/// The report's arithmetic: an empty list is `NaN%`, as `Double(0) / Double(0)` in Swift.
#[test]
fn broken_hermetic_integration_tests_empty_report_is_nan() {
    assert_eq!(report(&[]), "0 tests, 0 passed, success rate NaN%");
    let one = TestResult {
        index: 0,
        name: "GET /get".into(),
        status: Some(200),
        success: true,
    };
    assert_eq!(report(&[one]), "1 tests, 1 passed, success rate 100.0%");
}

// ANCHOR: caught
/// The check: four tests ran against the loopback server; the report, read from the shared list
/// while the appends are still queued, counts none.
#[test]
fn broken_hermetic_integration_tests_report_misses_queued_results() {
    let (outcome, trace) = run(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "4 tests ran, but the report says \"0 tests, 0 passed, success rate NaN%\""
    );
    racelab_testkit::snapshot!("hermetic_integration_tests__trace", trace.render());
}
// ANCHOR_END: caught

/// The same check on the fixed twin: the report is built from the group's results.
#[test]
fn fixed_hermetic_integration_tests_report_counts_every_test() {
    assert_eq!(
        loopback::run_as(
            "suite",
            report_counts_every_test::<fixed::NetworkIntegrationTester>()
        ),
        Ok(())
    );
}

// ANCHOR: shared_vec
/// The guide's shape in Rust — every task appends to one shared list — does not compile: a task
/// holds the list through an `Arc`, which gives no `&mut` (E0596).
#[test]
fn broken_hermetic_integration_tests_shared_vec_does_not_compile() {
    check_with_crates(
        env!("CARGO_MANIFEST_DIR"),
        "tests/compile_fail",
        &[Case::code(
            "hermetic_integration_tests_shared_vec.rs",
            "E0596",
        )],
        &["tokio"],
    );
}
// ANCHOR_END: shared_vec

// ANCHOR: percentiles
/// Twenty requests to the loopback httpbin, four at a time, each a task in a group whose return
/// value is its latency: all twenty are counted, and the percentiles exist and are ordered.
/// Latency is real time on loopback, so no value is pinned.
#[test]
fn fixed_hermetic_integration_tests_reports_latency_percentiles() {
    let latencies = loopback::run_as("suite", async {
        let server = Server::start(Router::new().fallback(httpbin))
            .await
            .unwrap();
        let latencies =
            latency::test_network_performance(client().unwrap(), server.url(""), 0, 20, 4).await;
        server.stop().await.unwrap();
        latencies
    });
    assert_eq!(
        (latencies.count, latencies.passed, latencies.panicked),
        (20, 20, 0)
    );
    let (p50, p99, max) = latencies.p50_p99_max_us.expect("percentiles of 20 samples");
    assert!(1 <= p50 && p50 <= p99 && p99 <= max, "{latencies:?}");
    let line = latency::summary(&latencies);
    assert!(line.starts_with("20 requests, 20 passed, p50 "), "{line}");
}

/// No requests, no samples: the report says so instead of dividing by zero (L7634, L7676).
#[test]
fn fixed_hermetic_integration_tests_empty_run_has_no_percentiles() {
    let latencies = loopback::run_as("suite", async {
        latency::test_network_performance(client().unwrap(), "http://127.0.0.1:9".into(), 0, 0, 1)
            .await
    });
    assert_eq!(latencies.count, 0);
    assert_eq!(
        latency::summary(&latencies),
        "0 requests: no samples, no percentiles"
    );
}

/// A task that panics (here: an endpoint index past the list) is still a request of the report —
/// counted, not passed, and named — never silently left out of the count.
#[test]
fn fixed_hermetic_integration_tests_counts_a_panicked_task() {
    let latencies = loopback::run_as("suite", async {
        let no_such_endpoint = usize::MAX;
        latency::test_network_performance(
            client().unwrap(),
            "http://127.0.0.1:9".into(),
            no_such_endpoint,
            3,
            1,
        )
        .await
    });
    assert_eq!(
        (latencies.count, latencies.passed, latencies.panicked),
        (3, 0, 3)
    );
    assert_eq!(
        latency::summary(&latencies),
        "3 requests, 0 passed, 3 panicked: no samples, no percentiles"
    );
}
// ANCHOR_END: percentiles
