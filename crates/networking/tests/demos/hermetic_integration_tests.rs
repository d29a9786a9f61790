//! N14 `hermetic_integration_tests`: results appended on a shared queue miss the report.

use networking::hermetic_integration_tests::{
    TestResult, fixed, report, report_counts_every_test, run,
};
use networking::loopback;
use racelab_kit::demo::Variant;

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
