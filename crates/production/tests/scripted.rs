//! The scripted service's own contract: answers in script order with the last step repeating,
//! gates hold an answer until the test opens them, virtual time is exact, and a dropped call
//! leaves the in-flight count.

use std::time::Duration;

use production::scripted::{Scripted, Step};
use racelab_kit::rt::{self, Gate};
use tower::{Service, ServiceExt};

type Svc = Scripted<u32, &'static str, &'static str>;

#[test]
fn answers_in_order_and_the_last_step_repeats() {
    rt::run(async {
        let mut svc: Svc = Scripted::new([Step::err("down"), Step::ok("up")]);
        let mut answers = Vec::new();
        for request in 1..=3 {
            answers.push(svc.ready().await.unwrap().call(request).await);
        }
        assert_eq!(answers, [Err("down"), Ok("up"), Ok("up")]);
        let requests: Vec<u32> = svc.calls().iter().map(|c| c.request).collect();
        assert_eq!(requests, [1, 2, 3]);
    });
}

#[test]
fn a_held_call_answers_only_when_its_gate_opens() {
    rt::run(async {
        let gate = Gate::new("answer");
        let svc: Svc = Scripted::new([Step::ok("late").held_by(&gate)]);
        let call = rt::spawn("caller", svc.clone().oneshot(7));
        gate.arrived(1).await;
        assert_eq!((svc.count(), svc.in_flight()), (1, 1));
        gate.open();
        assert_eq!(call.await.unwrap(), Ok("late"));
        assert_eq!(svc.in_flight(), 0);
    });
}

#[test]
fn taking_is_exact_virtual_time_and_calls_record_when_they_arrived() {
    rt::run(async {
        let svc: Svc = Scripted::new([Step::ok("slow").taking(Duration::from_millis(250))]);
        assert_eq!(svc.clone().oneshot(1).await, Ok("slow"));
        assert_eq!(svc.clone().oneshot(2).await, Ok("slow"));
        let at: Vec<u128> = svc.calls().iter().map(|c| c.at.as_millis()).collect();
        assert_eq!(at, [0, 250]);
        assert_eq!(rt::now().ms(), 500);
    });
}

#[test]
fn a_dropped_call_is_no_longer_in_flight_and_concurrency_is_recorded() {
    rt::run(async {
        let gate = Gate::new("never");
        let svc: Svc = Scripted::new([Step::ok("held").held_by(&gate)]);
        let a = rt::spawn("a", svc.clone().oneshot(1));
        let b = rt::spawn("b", svc.clone().oneshot(2));
        gate.arrived(2).await;
        assert_eq!(svc.max_in_flight(), 2);
        a.abort();
        b.abort();
        let _ = (a.await, b.await);
        assert_eq!(svc.in_flight(), 0);
    });
}
