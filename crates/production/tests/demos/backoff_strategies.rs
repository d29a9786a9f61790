//! P5 `backoff_strategies`: the guide's `RetryStrategy` never calls the operation again, and its
//! backoff has no base, cap or jitter.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use backon::{ExponentialBuilder, Retryable};
use futures_util::future::join_all;
use production::backoff_strategies::{
    NetworkError, POLICY, Policy, Recovery, Service, backoff_laws, broken, call, fixed,
    recovers_by_calling_again, run,
};
use production::scripted::Step;
use proptest::strategy::Strategy;
use proptest::test_runner::{TestCaseError, TestError, TestRunner};
use racelab_kit::demo::Variant;
use racelab_kit::rt;
use tower::ServiceExt;
use tower::retry::budget::{Budget, TpsBudget};

/// The service of the recovery check: two timeouts, then 200.
fn two_timeouts_then_200() -> Service {
    let service = Service::new(std::iter::repeat_n(Step::err(NetworkError::Timeout), 2));
    service.append([Step::ok(200)]);
    service
}

/// The trivial case: when the first call succeeds, the guide's code returns its answer.
#[test]
fn broken_backoff_strategies_is_right_when_the_first_call_succeeds() {
    let (answer, calls) = rt::run(async {
        let service = Service::new([Step::ok(200)]);
        let answer = broken::RetryStrategy::new(POLICY).fetch(&service).await;
        (answer, service.count())
    });
    assert_eq!((answer, calls), (Ok(Some(200)), 1));
}

// ANCHOR: caught
/// The forced schedule: the guide's recovery "succeeds" after one call, with no answer.
#[test]
fn broken_backoff_strategies_recovers_without_calling_again() {
    let (outcome, trace) = run(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "recovery returned Ok(None) after 1 call(s) at [0] ms; the service answers 200 only on \
         call 3 (expected calls at [0, 100, 300] ms)"
    );
    racelab_testkit::snapshot!("backoff_strategies__trace", trace.render());
}
// ANCHOR_END: caught

/// The same check on the fixed twin: three calls, at t=0, 100 and 300 ms, and the answer.
#[test]
fn fixed_backoff_strategies_calls_again_after_each_delay() {
    assert_eq!(
        rt::run(recovers_by_calling_again::<fixed::RetryStrategy>()),
        Ok(())
    );
}

// ANCHOR: strategy
/// Policies: 1–40 attempts, base 1 ms–1 s, factor 1–4, cap from the base to 2 minutes, jitter
/// none or anything in [0, 1], any seed.
fn policies() -> impl Strategy<Value = Policy> {
    let jitter = proptest::prop_oneof![proptest::strategy::Just(0.0), 0.0..=1.0_f64];
    (
        1..=40_u32,
        1..=1000_u64,
        1.0..=4.0_f64,
        0..=120_000_u64,
        jitter,
        proptest::num::u64::ANY,
    )
        .prop_map(|(max_attempts, base, factor, extra, jitter, seed)| Policy {
            max_attempts,
            base: Duration::from_millis(base),
            factor,
            cap: Duration::from_millis(base + extra),
            jitter,
            seed,
        })
}
// ANCHOR_END: strategy

/// 256 cases from a fixed seed: the same sample, and the same shrunk failure, every run.
fn runner(persist: bool) -> TestRunner {
    let regressions = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/demos/proptest-regressions/backoff_strategies.txt"
    );
    racelab_testkit::props::runner(256, persist.then_some(regressions))
}

// ANCHOR: laws
/// The laws over generated policies find one the guide's exponential backoff breaks, and shrink
/// it. No failure persistence: the seed is fixed, the counterexample is pinned here instead.
#[test]
fn broken_backoff_strategies_ignores_the_cap_it_cannot_be_given() {
    let result = runner(false).run(&policies(), |policy| {
        let delays = broken::RetryStrategy::new(policy).delays();
        backoff_laws(&policy, &delays).map_err(TestCaseError::fail)
    });
    let Err(TestError::Fail(reason, policy)) = result else {
        panic!("the laws should fail for the guide's backoff: {result:?}");
    };
    let delays = broken::RetryStrategy::new(policy).delays();
    racelab_testkit::snapshot!(
        "backoff_strategies__laws",
        format!("{policy:#?}\ndelays: {delays:?}\n{reason}")
    );
}

/// The same laws hold for the fixed backoff (failures would be persisted and replayed).
#[test]
fn fixed_backoff_strategies_keeps_the_cap_the_jitter_bounds_and_the_growth() {
    let result = runner(true).run(&policies(), |policy| {
        let delays = fixed::RetryStrategy::new(policy).delays();
        backoff_laws(&policy, &delays).map_err(TestCaseError::fail)
    });
    assert!(result.is_ok(), "{result:?}");
}
// ANCHOR_END: laws

/// `fibonacci(0) == 0`: a caller counting attempts from 0 waits nothing. (The guide's own loop
/// counts from 1, so there the first two delays are 1 s and 1 s.)
#[test]
fn broken_backoff_strategies_fibonacci_of_zero_waits_nothing() {
    let fibonacci = broken::BackoffStrategy::Fibonacci;
    let delays: Vec<u64> = (0..5)
        .map(|n| fibonacci.calculate_delay(n).as_secs())
        .collect();
    assert_eq!(delays, [0, 1, 1, 2, 3]);
}

// ANCHOR: jitter
/// With jitter, on the paused clock: the sleeps between the calls are exactly the delays the same
/// seed gives, and the whole recovery takes their sum.
#[test]
fn fixed_backoff_strategies_sleeps_the_seeded_delays_and_nothing_else() {
    let policy = Policy {
        max_attempts: 5,
        jitter: 0.5,
        seed: 42,
        ..POLICY
    };
    let (answer, calls, took) = rt::run(async {
        let service = Service::new(std::iter::repeat_n(Step::err(NetworkError::Timeout), 4));
        service.append([Step::ok(200)]);
        let answer = fixed::RetryStrategy::new(policy).fetch(&service).await;
        let calls: Vec<Duration> = service.calls().iter().map(|c| c.at).collect();
        (answer, calls, rt::now().0)
    });
    let delays = fixed::RetryStrategy::new(policy).delays();
    // tokio's timer ticks in whole milliseconds: a sleep ends on the first tick at or after it.
    let ticks: Vec<Duration> = delays.iter().map(|d| whole_ms_up(*d)).collect();
    let slept: Vec<Duration> = calls.windows(2).map(|w| w[1] - w[0]).collect();
    assert_eq!(answer, Ok(Some(200)));
    assert_eq!(slept, ticks);
    assert_eq!(took, ticks.iter().sum::<Duration>());
    assert_eq!(backoff_laws(&policy, &delays), Ok(()));
    let other = fixed::RetryStrategy::new(Policy { seed: 43, ..policy }).delays();
    assert_ne!(other, delays, "another seed, other delays");
}
// ANCHOR_END: jitter

/// The same on generated policies (up to 10 attempts): against a service that always times out,
/// `retry` calls exactly `max_attempts` times, and the gaps between the calls are the policy's
/// delays, each ending on the first millisecond tick at or after it.
#[test]
fn fixed_backoff_strategies_sleeps_its_delays_on_the_paused_clock_for_any_policy() {
    let small = policies().prop_map(|p| Policy {
        max_attempts: 1 + p.max_attempts % 10,
        ..p
    });
    let result = runner(true).run(&small, |policy| {
        let calls = rt::run(async {
            let service = Service::new([Step::err(NetworkError::Timeout)]);
            let mut n = 0;
            let op = || {
                n += 1;
                call(&service, n)
            };
            let backoff = fixed::RetryStrategy::new(policy).backoff();
            let answer = fixed::retry(op, policy.max_attempts, backoff).await;
            assert_eq!(answer, Err(NetworkError::Timeout));
            service.calls().iter().map(|c| c.at).collect::<Vec<_>>()
        });
        let ticks: Vec<Duration> = fixed::RetryStrategy::new(policy)
            .delays()
            .into_iter()
            .map(whole_ms_up)
            .collect();
        let gaps: Vec<Duration> = calls.windows(2).map(|w| w[1] - w[0]).collect();
        proptest::prop_assert_eq!(calls.len(), policy.max_attempts as usize);
        proptest::prop_assert_eq!(gaps, ticks);
        Ok(())
    });
    assert!(result.is_ok(), "{result:?}");
}

/// `d` rounded up to a whole millisecond.
fn whole_ms_up(d: Duration) -> Duration {
    Duration::from_millis(d.as_nanos().div_ceil(1_000_000) as u64)
}

/// An "unbounded" cap (`Duration::MAX`) and NaN settings: the delays are still durations (no
/// panic in `Duration::from_secs_f64`), never over the cap, never decreasing without jitter.
#[test]
fn fixed_backoff_strategies_survives_an_unbounded_cap_and_nan_settings() {
    let unbounded = fixed::Backoff::new(
        Duration::from_secs(1),
        2.0,
        Duration::MAX,
        0.0,
        fixed::SplitMix64(7),
    );
    let delays: Vec<Duration> = unbounded.take(100).collect();
    assert_eq!(delays[..3], [1, 2, 4].map(Duration::from_secs));
    assert!(delays.windows(2).all(|w| w[0] <= w[1]), "{delays:?}");
    assert_eq!(delays[99], Duration::MAX, "past 2^64 s, the cap itself");

    let nan_jitter = fixed::Backoff::new(
        Duration::from_millis(100),
        2.0,
        Duration::from_secs(1),
        f64::NAN,
        fixed::SplitMix64(7),
    );
    let delays: Vec<u128> = nan_jitter.take(5).map(|d| d.as_millis()).collect();
    assert_eq!(
        delays,
        [100, 200, 400, 800, 1000],
        "a NaN jitter is no jitter"
    );

    let nan_factor = fixed::Backoff::new(
        Duration::from_millis(100),
        f64::NAN,
        Duration::from_secs(1),
        0.0,
        fixed::SplitMix64(7),
    );
    let delays: Vec<u128> = nan_factor.take(3).map(|d| d.as_millis()).collect();
    assert_eq!(delays, [100, 100, 100], "a NaN factor is a factor of 1");
}

/// `retry` stops after `max_attempts` and returns the last error.
#[test]
fn fixed_backoff_strategies_gives_up_after_the_last_attempt() {
    let (answer, calls) = rt::run(async {
        let service = Service::new([Step::err(NetworkError::ServerError)]);
        let mut n = 0;
        let op = || {
            n += 1;
            call(&service, n)
        };
        let answer = fixed::retry(op, 3, fixed::RetryStrategy::new(POLICY).backoff()).await;
        (answer, service.count())
    });
    assert_eq!((answer, calls), (Err(NetworkError::ServerError), 3));
}

// ANCHOR: backon
/// backon on the same script: no jitter gives calls at t=0, 100 and 301 ms (see below). With jitter
/// and a fixed seed (`with_jitter_seed`), two runs sleep the same delays; backon *adds* up to
/// 100 % of each delay as jitter, so its bound is `[d, 2d)` — over the cap, unlike ours.
#[test]
fn backon_retries_the_same_script_and_its_seeded_jitter_repeats() {
    let exponential = ExponentialBuilder::new()
        .with_min_delay(POLICY.base)
        .with_factor(2.0)
        .with_max_delay(POLICY.cap)
        .with_max_times(POLICY.max_attempts as usize - 1);
    let run = |builder: ExponentialBuilder| {
        rt::run(async move {
            let service = two_timeouts_then_200();
            let slept = Arc::new(Mutex::new(Vec::new()));
            let mut n = 0;
            let answer = (|| {
                n += 1;
                call(&service, n)
            })
            .retry(builder)
            .sleep(tokio::time::sleep)
            .notify(|_, d| slept.lock().unwrap().push(d))
            .await;
            let at: Vec<u128> = service.calls().iter().map(|c| c.at.as_millis()).collect();
            let slept = slept.lock().unwrap().clone();
            (answer, at, slept)
        })
    };
    let (answer, at, slept) = run(exponential);
    // backon multiplies in `f32` seconds: 0.1 s × 2 is 200.000003 ms, which tokio's
    // millisecond timer rounds up to 201 ms.
    assert_eq!((answer, at), (Ok(200), vec![0, 100, 301]));
    assert!(slept[1] > Duration::from_millis(200), "{slept:?}");

    let jittered = exponential.with_jitter().with_jitter_seed(7);
    let (answer, _, slept) = run(jittered);
    assert_eq!(answer, Ok(200));
    assert_eq!(slept, run(jittered).2, "the same seed, the same delays");
    for (d, base) in slept.iter().zip([100, 200]) {
        let base = Duration::from_millis(base);
        assert!(*d >= base && *d < 2 * base, "{d:?} not in [{base:?}, 2×)");
    }
}
// ANCHOR_END: backon

// ANCHOR: budget
/// tower's retry, with a [`Budgeted`] policy: at most `attempts_left` retries per request, each
/// taken from a `TpsBudget` shared by every caller, sleeping the fixed [`fixed::Backoff`].
#[derive(Clone)]
struct Budgeted {
    budget: Arc<TpsBudget>,
    attempts_left: u32,
    backoff: fixed::Backoff,
}

impl tower::retry::Policy<u32, u16, NetworkError> for Budgeted {
    type Future = tokio::time::Sleep;
    fn retry(
        &mut self,
        _: &mut u32,
        result: &mut Result<u16, NetworkError>,
    ) -> Option<Self::Future> {
        if result.is_ok() {
            self.budget.deposit();
            return None;
        }
        if self.attempts_left == 0 || !self.budget.withdraw() {
            return None;
        }
        self.attempts_left -= 1;
        Some(tokio::time::sleep(self.backoff.next()?))
    }
    fn clone_request(&mut self, request: &u32) -> Option<u32> {
        Some(*request)
    }
}

/// The recovery check's policy, with a budget of 10 retries (1 per second over a 10 s window, no
/// share of successes) shared by whoever clones it.
fn budgeted() -> Budgeted {
    Budgeted {
        budget: Arc::new(TpsBudget::new(Duration::from_secs(10), 1, 0.0)),
        attempts_left: POLICY.max_attempts - 1,
        backoff: fixed::RetryStrategy::new(POLICY).backoff(),
    }
}

/// tower's retry with a budget on the recovery check's script (two timeouts, then 200): the same
/// three calls at t=0, 100 and 300 ms as the hand-written `retry`, and the answer.
#[test]
fn tower_retry_budget_recovers_on_the_same_script() {
    let (answer, at) = rt::run(async {
        let service = two_timeouts_then_200();
        let answer = tower::retry::Retry::new(budgeted(), service.clone())
            .oneshot(0)
            .await;
        let at: Vec<u128> = service.calls().iter().map(|c| c.at.as_millis()).collect();
        (answer, at)
    });
    assert_eq!((answer, at), (Ok(200), vec![0, 100, 300]));
}

/// Where the budget matters: ten callers against a service that always times out. Three attempts
/// each would be 30 calls; the shared budget allows 10 retries in all, so 20 calls.
#[test]
fn tower_retry_budget_caps_the_retries_of_everyone_together() {
    let calls = rt::run(async {
        let service = Service::new([Step::err(NetworkError::Timeout)]);
        let retrying = tower::retry::Retry::new(budgeted(), service.clone());
        let callers = (0..10).map(|n| retrying.clone().oneshot(n));
        let answers = join_all(callers).await;
        assert!(answers.iter().all(Result::is_err));
        service.count()
    });
    assert_eq!(
        calls, 20,
        "10 first attempts and the 10 retries the budget holds"
    );
}
// ANCHOR_END: budget
