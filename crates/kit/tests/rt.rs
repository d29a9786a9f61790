//! `kit::rt`: the paused clock is exact, gates order tasks, and "stuck" is proven, not timed.

use std::time::Duration;

use racelab_kit::rt::{self, Gate, STUCK_AFTER};
use racelab_kit::say;
use racelab_kit::trace::{said, traced};

#[test]
fn paused_clock_runs_a_script_exactly_and_instantly() {
    let real = std::time::Instant::now();
    let (times, trace) = traced(|_| {
        rt::run(async {
            let slow = rt::spawn("A", async {
                tokio::time::sleep(Duration::from_millis(200)).await;
                say!("done at {}", rt::now());
                rt::now().ms()
            });
            let fast = rt::spawn("B", async {
                tokio::time::sleep(Duration::from_millis(50)).await;
                say!("done at {}", rt::now());
                rt::now().ms()
            });
            (slow.await.unwrap(), fast.await.unwrap())
        })
    });
    assert_eq!(times, (200, 50));
    assert_eq!(
        said(trace.lines()),
        ["B: done at t=50ms", "A: done at t=200ms"]
    );
    assert!(
        real.elapsed() < Duration::from_secs(5),
        "virtual time costs no real time"
    );
}

#[test]
fn gate_holds_a_task_until_opened_and_reports_arrivals() {
    rt::run(async {
        let gate = Gate::new("response");
        let task = rt::spawn("A", {
            let gate = gate.clone();
            async move {
                gate.wait().await;
                rt::now().ms()
            }
        });
        gate.arrived(1).await;
        assert!(!task.is_finished());
        tokio::time::sleep(Duration::from_millis(30)).await;
        gate.open();
        assert_eq!(task.await.unwrap(), 30);
        gate.wait().await; // an open gate lets everyone through at once
    });
}

#[test]
fn until_stuck_proves_a_wait_nothing_can_end() {
    let stuck = rt::run(async {
        let (_keep_sender, never) = tokio::sync::oneshot::channel::<()>();
        rt::until_stuck(never).await
    })
    .expect_err("nobody will ever send");
    assert_eq!(stuck.at.0, STUCK_AFTER);
    assert!(
        stuck
            .to_string()
            .starts_with("stuck: every task was waiting")
    );
}

#[test]
fn until_stuck_lets_a_finishing_scenario_finish() {
    let out = rt::run(rt::until_stuck(async {
        tokio::time::sleep(Duration::from_secs(60)).await;
        7
    }));
    assert_eq!(out, Ok(7));
}

#[test]
fn a_task_dropped_at_shutdown_can_still_read_the_clock() {
    struct Narrates;
    impl Drop for Narrates {
        fn drop(&mut self) {
            say!("dropped at {}", rt::now());
        }
    }
    let ((), trace) = traced(|_| {
        rt::run(async {
            rt::spawn("leftover", async {
                let _guard = Narrates;
                std::future::pending::<()>().await;
            });
            tokio::time::sleep(Duration::from_millis(20)).await;
        })
    });
    assert_eq!(said(trace.lines()), ["main: dropped at t=20ms"]);
}
