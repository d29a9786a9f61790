//! P6 `stress_harness`: a blocking wait inside async code starves the operations it waits for.

use std::sync::Arc;
use std::time::Duration;

use production::scripted::{Scripted, Step};
use production::stress_harness::{
    LOAD, Latency, Load, Observed, Readings, StressTester, TestResult, broken, counts, fixed, run,
    service, stress, verdict,
};
use racelab_kit::demo::Variant;
use racelab_kit::explore::panic_message;
use racelab_kit::rt;

fn grows() -> Arc<Readings> {
    Readings::new(&[4 << 20, (4 << 20) + (256 << 10)])
}

/// The trivial case: the guide's arithmetic is right while memory grows and something finished.
#[test]
fn broken_stress_harness_is_right_when_memory_grows_and_something_finished() {
    assert_eq!(broken::memory_delta(1_000, 1_500), 500);
    assert_eq!(broken::success_rate(3, 1), "75.0%");
}

// ANCHOR: caught
/// The forced schedule: the harness blocks the runtime's only thread in `group.wait`, so not
/// one operation starts before it reads the results. No clock decides this: the spawned tasks
/// cannot be polled while the thread is blocked, however long the wait lasts.
#[test]
fn broken_stress_harness_counts_nothing_because_its_wait_blocks_the_operations() {
    let (outcome, trace) = run(Variant::Broken);
    let seen = outcome.unwrap();
    assert_eq!(
        verdict(&seen).unwrap_err(),
        "the report accounts for 0 of 8 operations (0 ok, 0 failed)"
    );
    racelab_testkit::snapshot!("stress_harness__trace", trace.render());
    // Once the harness has returned, the thread is free: all 8 start at once (a semaphore of 8
    // for 8 operations never makes anyone wait), and write results nobody reads.
    assert_eq!((seen.calls_at_report, seen.calls_after), (0, 8));
    assert_eq!(seen.max_in_flight, 8);
    assert_eq!(seen.result.success_rate, "NaN%");
}
// ANCHOR_END: caught

/// The same check on the fixed harness: all 8 counted by t=20 ms, never more than 2 at once.
#[test]
fn fixed_stress_harness_counts_every_operation_at_most_two_at_once() {
    let seen: Observed = rt::run(stress::<fixed::StressTester>(grows())).unwrap();
    assert_eq!(verdict(&seen), Ok(()));
    assert_eq!(seen.result.duration, Duration::from_millis(20));
    let ms = Duration::from_millis;
    // hdrhistogram keeps 3 significant digits: 4 ms is reported within 0.1 %.
    let Latency::Percentiles { p50, p99, p999 } = seen.result.latency else {
        panic!("percentiles")
    };
    assert_eq!([p50, p99, p999].map(|d| d.as_millis()), [4, 8, 8]);
    assert!(
        p50 >= ms(4) && p50 < ms(4) + Duration::from_micros(5),
        "{p50:?}"
    );
    assert_eq!(seen.result.memory_usage, 256 << 10);
}

// ANCHOR: memory
/// `UInt64` arithmetic: when resident memory shrinks, the guide's delta panics (in every build
/// profile, as Swift traps), the fixed one is negative.
#[test]
fn broken_stress_harness_panics_when_memory_shrinks() {
    let panic = std::panic::catch_unwind(|| broken::memory_delta(2_000_000, 1_500_000));
    assert_eq!(
        panic_message(&*panic.unwrap_err()),
        "attempt to subtract with overflow"
    );
    assert_eq!(fixed::memory_delta(2_000_000, 1_500_000), -500_000);
}

/// 0/0: the guide's success rate is NaN; the fixed one says there is none.
#[test]
fn broken_stress_harness_reports_a_nan_success_rate_when_nothing_finished() {
    assert_eq!(broken::success_rate(0, 0), "NaN%");
    assert_eq!(fixed::success_rate(0, 0), "n/a");
}
// ANCHOR_END: memory

/// The deadline ends the test: with every call taking 1 s, the fixed harness reports at t=100 ms,
/// cancels the two running calls, and counts all 8 as unfinished — nothing runs after it.
#[test]
fn fixed_stress_harness_stops_at_its_deadline() {
    let (result, calls_at_report, calls_after) = rt::run(async {
        let slow = Scripted::new([Step::ok(()).taking(Duration::from_secs(1))]);
        let result = fixed::StressTester
            .stress_test(slow.clone(), "slow", LOAD, grows())
            .await;
        let at_report = slow.count();
        tokio::time::sleep(Duration::from_secs(2)).await;
        (result, at_report, slow.count())
    });
    assert_eq!(result.duration, LOAD.duration);
    assert_eq!((result.success_count, result.unfinished), (0, 8));
    assert_eq!((calls_at_report, calls_after), (2, 2));
    assert_eq!(result.success_rate, "n/a");
}

/// 4 operations, at most 2 at once, a 100 ms deadline; call *n* takes `steps[n]` ms. The harness
/// runs in a spawned task, as in [`stress`] (`block_on`'s own future would be polled first).
fn on_the_deadline<H: StressTester>(steps: [u64; 4]) -> TestResult {
    let tie = Load {
        operations: 4,
        limit: 2,
        duration: Duration::from_millis(100),
    };
    rt::run(async {
        let service = Scripted::new(steps.map(|ms| Step::ok(()).taking(Duration::from_millis(ms))));
        let harness = rt::spawn("harness", async move {
            H::default().stress_test(service, "tie", tie, grows()).await
        });
        harness.await.unwrap()
    })
}

/// Operations that end on the deadline tick (paused clock): at t=100 ms an operation and the
/// harness are both ready, and which one tokio polls first is not a guarantee. Both orders occur
/// here — with tokio 1.54, `[100, 100, 100, 100]` polls the harness first (neither operation on
/// the tick is counted ok), and `[40, 70, 60, 30]` polls an operation first: it counts itself ok
/// and is then also counted unfinished, unless the harness joins what already finished. Either
/// way the report must account for each operation exactly once.
///
/// The test also pins which order each script took, so that it covers both: if a tokio release
/// changes its poll order, the split below changes and this test fails loudly — then find two
/// scripts that take the two orders again (the account itself must hold in either).
#[test]
fn fixed_stress_harness_counts_an_operation_ending_on_the_deadline_once() {
    let scripts = [
        ([100, 100, 100, 100], "0 ok, 0 failed, 4 unfinished"), // the harness first
        ([40, 70, 60, 30], "3 ok, 0 failed, 1 unfinished"),     // an operation first
    ];
    for (steps, split) in scripts {
        let r = on_the_deadline::<fixed::StressTester>(steps);
        let counted = r.success_count + r.failure_count + r.unfinished;
        assert_eq!(counted, 4, "{steps:?} ms: {}", counts(&r));
        assert_eq!(r.duration, Duration::from_millis(100), "{steps:?} ms");
        assert_eq!(
            counts(&r),
            split,
            "{steps:?} ms: tokio's poll order changed"
        );
    }
    // the same account, from the guide's harness: it blocks before anything runs
    let r = on_the_deadline::<broken::StressTester>([40, 70, 60, 30]);
    assert_eq!(counts(&r), "0 ok, 0 failed, 0 unfinished");
}

// ANCHOR: tower
/// The professional tool beside the hand-written semaphore: tower's `ConcurrencyLimit` around the
/// same script holds a harness that would allow 8 at once to 2.
#[test]
fn fixed_stress_harness_with_towers_concurrency_limit_on_the_same_script() {
    let service = service();
    let limited = tower::limit::ConcurrencyLimit::new(service.clone(), 2);
    let unlimited = Load { limit: 8, ..LOAD };
    let result = rt::run(fixed::StressTester.stress_test(limited, "tower", unlimited, grows()));
    assert_eq!(result.success_count, 8);
    assert_eq!(service.max_in_flight(), 2);
    assert_eq!(result.duration, Duration::from_millis(20));
}
// ANCHOR_END: tower
