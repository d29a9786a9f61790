//! P1 `circuit_breaker`: half-open lets every caller through, a late success leaves the breaker
//! open for ever, and 404s trip it.

use std::time::Duration;

use futures_util::future::join_all;
use production::circuit_breaker::{
    Breaker, BreakerError, RECOVERY, Service, Status, THRESHOLD, broken, call, fixed,
    no_stuck_open, one_probe, only_faults_count, run, trips_probes_and_recovers,
};
use production::scripted::Step;
use racelab_kit::demo::Variant;
use racelab_kit::rt::{self, Gate};
use tower::{ServiceBuilder, ServiceExt};

/// The trivial case: one caller at a time against a service that fails, then recovers — the
/// guide's breaker opens after five 503s, refuses, and one timeout later closes on a success.
#[test]
fn broken_circuit_breaker_is_right_for_one_caller_at_a_time() {
    let answers = rt::run(async {
        let service = Service::new(std::iter::repeat_n(Step::err(Status(503)), 5));
        service.append([Step::ok(200)]);
        let breaker = broken::CircuitBreaker::new(THRESHOLD, RECOVERY);
        let mut answers = Vec::new();
        for n in 0..6 {
            answers.push(call(&breaker, &service, n).await);
        }
        tokio::time::sleep(RECOVERY).await;
        answers.push(call(&breaker, &service, 6).await);
        answers.push(call(&breaker, &service, 7).await);
        answers
    });
    let failed = Err(BreakerError::Failed(Status(503)));
    let refused = Err(BreakerError::Rejected);
    assert_eq!(
        answers,
        [
            failed,
            failed,
            failed,
            failed,
            failed,
            refused,
            Ok(200),
            Ok(200)
        ]
    );
}

// ANCHOR: caught
/// The three scripts, one forced schedule each: ten callers reach the half-open service, the
/// breaker still refuses at 10 × the timeout after a late success, and five 404s open it.
#[test]
fn broken_circuit_breaker_lets_the_herd_in_sticks_open_and_trips_on_404s() {
    let (outcome, trace) = run(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "after the recovery timeout 10 of 10 concurrent calls reached the recovering service, \
         expected 1 probe and 9 rejected; \
         stuck open: a late success cleared lastFailureTime, and at 600000 ms (10 × the recovery \
         timeout after it opened) every call is still rejected; \
         5 × 404 opened the breaker and call 6 was rejected: a 404 is the caller's mistake, not \
         a fault of the service"
    );
    racelab_testkit::snapshot!("circuit_breaker__trace", trace.render());
}
// ANCHOR_END: caught

/// The same check on the fixed twin: one probe, half-open one timeout after the late success,
/// 404s never count.
#[test]
fn fixed_circuit_breaker_probes_once_recovers_and_ignores_404s() {
    assert_eq!(
        rt::run(trips_probes_and_recovers::<fixed::CircuitBreaker>()),
        Ok(())
    );
}

/// Each script on its own, so a regression names the part that broke.
#[test]
fn fixed_circuit_breaker_passes_each_script_on_its_own() {
    rt::run(async {
        assert_eq!(one_probe::<fixed::CircuitBreaker>().await, Ok(()));
        assert_eq!(no_stuck_open::<fixed::CircuitBreaker>().await, Ok(()));
        assert_eq!(only_faults_count::<fixed::CircuitBreaker>().await, Ok(()));
    });
}

/// A probe whose caller is cancelled (dropped) proves nothing: the fixed breaker frees the slot,
/// and the next caller probes instead of half-open waiting for ever.
#[test]
fn fixed_circuit_breaker_frees_the_probe_slot_when_the_probe_is_cancelled() {
    rt::run(async {
        let never = Gate::new("an answer that never comes");
        let service = Service::new(std::iter::repeat_n(Step::err(Status(503)), 5));
        service.append([Step::ok(200).held_by(&never)]);
        service.append([Step::ok(200)]);
        let breaker = fixed::CircuitBreaker::new(THRESHOLD, RECOVERY);
        for n in 0..5 {
            let _ = call(&breaker, &service, n).await;
        }
        tokio::time::sleep(RECOVERY).await;
        let probe = tokio::time::timeout(Duration::from_secs(1), call(&breaker, &service, 5)).await;
        assert!(probe.is_err(), "the probe is held, and its caller gives up");
        assert_eq!(
            call(&breaker, &service, 6).await,
            Ok(200),
            "the next caller probes"
        );
        assert_eq!(call(&breaker, &service, 7).await, Ok(200), "closed again");
        assert_eq!(service.count(), 8);
    });
}

/// A probe that hangs, in a task nobody cancels (a black-holing service, a caller without a
/// timeout): one recovery timeout after it was admitted, the fixed breaker admits a new probe
/// instead of refusing every call for ever ("stuck half-open"). When the hung probe's 503 finally
/// comes, it belongs to an older epoch and changes nothing — with a threshold of 1 it would
/// otherwise open the breaker again.
#[test]
fn fixed_circuit_breaker_replaces_a_probe_that_never_answers() {
    rt::run(async {
        let hung_answer = Gate::new("the hung probe's answer");
        let service = Service::new([Step::err(Status(503))]);
        service.append([Step::err(Status(503)).held_by(&hung_answer)]);
        service.append([Step::ok(200)]);
        let breaker = std::sync::Arc::new(fixed::CircuitBreaker::new(1, RECOVERY));
        assert_eq!(
            call(&*breaker, &service, 0).await,
            Err(BreakerError::Failed(Status(503))),
            "opens"
        );
        tokio::time::sleep(RECOVERY).await;
        let hung = rt::spawn("hung probe", {
            let (breaker, service) = (std::sync::Arc::clone(&breaker), service.clone());
            async move { call(&*breaker, &service, 1).await }
        });
        hung_answer.arrived(1).await;
        assert_eq!(
            call(&*breaker, &service, 2).await,
            Err(BreakerError::Rejected),
            "one probe at a time"
        );
        tokio::time::sleep(RECOVERY).await;
        assert_eq!(
            call(&*breaker, &service, 3).await,
            Ok(200),
            "a recovery timeout after the hung probe, a new probe reaches the service"
        );
        hung_answer.open();
        assert_eq!(hung.await.unwrap(), Err(BreakerError::Failed(Status(503))));
        assert_eq!(
            call(&*breaker, &service, 4).await,
            Ok(200),
            "the late 503 is from an older epoch: still closed"
        );
        assert_eq!(
            service.count(),
            4,
            "the 503, the hung probe, the new probe, one call"
        );
    });
}

/// The guide runs the operation in an unstructured `Task`: a caller that gives up (here a
/// `tokio::time::timeout` drops its call) leaves the call running at the service. The fixed
/// breaker runs it in the caller's task, so giving up cancels it.
#[test]
fn broken_circuit_breaker_keeps_calling_after_the_caller_gave_up() {
    async fn give_up<B: Breaker>() -> usize {
        let never = Gate::new("an answer that never comes");
        let service = Service::new([Step::ok(200).held_by(&never)]);
        let breaker = B::new(THRESHOLD, RECOVERY);
        let gave_up = tokio::time::timeout(Duration::from_secs(1), call(&breaker, &service, 0));
        assert!(gave_up.await.is_err());
        service.in_flight()
    }
    assert_eq!(
        rt::run(give_up::<broken::CircuitBreaker>()),
        1,
        "still running"
    );
    assert_eq!(rt::run(give_up::<fixed::CircuitBreaker>()), 0, "cancelled");
}

// ANCHOR: tower
/// What tower offers on script (a): a concurrency limit and a timeout. The limit turns the herd
/// into a queue — one call in flight at a time — and the timeout ends each held call after 2 s,
/// but every one of the ten still reaches the failing service: deciding *not to call* is a
/// breaker's job, and tower has none.
#[test]
fn tower_limit_and_timeout_queue_the_herd_but_still_call_the_failing_service() {
    rt::run(async {
        let never = Gate::new("an answer that never comes");
        let service = Service::new(std::iter::repeat_n(Step::err(Status(503)), 5));
        service.append([Step::ok(200).held_by(&never)]);
        let stack = ServiceBuilder::new()
            .timeout(Duration::from_secs(2))
            .concurrency_limit(1)
            .service(service.clone());
        for n in 0..5 {
            assert!(stack.clone().oneshot(n).await.is_err(), "503");
        }
        let herd = (5..15).map(|n| stack.clone().oneshot(n));
        let answers = join_all(herd).await;
        let timed_out = answers
            .iter()
            .filter(|a| {
                a.as_ref()
                    .is_err_and(|e| e.is::<tower::timeout::error::Elapsed>())
            })
            .count();
        assert_eq!(timed_out, 10);
        assert_eq!(service.count(), 15, "all ten reached the service");
        assert_eq!(service.max_in_flight(), 1, "one at a time");
        assert_eq!(rt::now().ms(), 20_000, "one after another, 2 s each");
    });
}
// ANCHOR_END: tower

/// The closed path records a success without a second lock when nothing changed since the call
/// was admitted (`quiet`). A success that lands after another call's failure must still reset
/// the count: threshold 2, call A admitted while the count is 0, call B fails (count 1), A
/// succeeds (count 0 again), C fails (count 1) — still closed, so D is admitted.
#[test]
fn fixed_circuit_breaker_a_success_after_a_failure_resets_the_count() {
    let answers = rt::run(async {
        let slow = Gate::new("call A's answer");
        let service = Service::new([Step::ok(200).held_by(&slow)]);
        service.append([
            Step::err(Status(503)),
            Step::err(Status(503)),
            Step::ok(200),
        ]);
        let breaker = std::sync::Arc::new(fixed::CircuitBreaker::new(2, RECOVERY));
        let a = rt::spawn("call A", {
            let (breaker, service) = (std::sync::Arc::clone(&breaker), service.clone());
            async move { call(&*breaker, &service, 0).await }
        });
        slow.arrived(1).await; // A is admitted (count 0) and held at the service
        let b = call(&*breaker, &service, 1).await; // fails: count 1
        slow.open();
        let a = a.await.expect("call A's task"); // succeeds: count back to 0
        let c = call(&*breaker, &service, 2).await; // fails: count 1, below 2
        let d = call(&*breaker, &service, 3).await; // admitted: the breaker is still closed
        [a, b, c, d]
    });
    let failed = Err(BreakerError::Failed(Status(503)));
    assert_eq!(answers, [Ok(200), failed, failed, Ok(200)]);
}
