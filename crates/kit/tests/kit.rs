//! The kit's own guarantees, which every chapter relies on: traces record in order and render the
//! same way, gates open on named steps, the explorer keeps the failing interleaving and counts the
//! ones it ran, a named lock narrates its holder, and the watchdog proves deadlocks (never by the
//! clock) and tells them from a finished or panicking scenario.

use std::sync::Arc;
use std::time::Duration;

use racelab_kit::demo::{Report, Variant, Verdict, setup_failed};
use racelab_kit::explore::explore;
use racelab_kit::lock::NamedMutex;
use racelab_kit::sync::{Loom, Ordering, Primitives, Std};
use racelab_kit::trace::{Step, Trace};
use racelab_kit::wait;
use racelab_kit::{say, step};

#[test]
fn a_trace_signs_each_line_with_the_thread_that_said_it() {
    let trace = Trace::new();
    let _installed = trace.install();
    say!("starts");
    Std::spawn("T0", || say!("reads {}", 0)).join();
    assert_eq!(trace.render(), " 1  main  starts\n 2  T0    reads 0\n");
}

#[test]
fn say_without_a_trace_records_nothing() {
    say!("nobody hears this");
    assert!(!racelab_kit::trace::enabled());
}

#[test]
fn a_gate_opens_on_a_named_step_and_not_on_words() {
    const READY: Step = Step("is ready");
    let trace = Trace::new();
    let _installed = trace.install();
    say!("says it is ready, in words only");
    assert!(!wait::until_timeout(Duration::from_millis(10), || {
        trace.reached("main", READY, None)
    }));
    step!(READY);
    assert!(wait::until_timeout(Duration::from_secs(5), || {
        trace.reached("main", READY, None)
    }));
}

#[test]
fn the_explorer_counts_interleavings_of_a_correct_model() {
    let x = explore(|| {
        let n = Arc::new(<Loom as Primitives>::AtomicUsize::new(0));
        let t = {
            let n = n.clone();
            Loom::spawn("T0", move || n.fetch_add(1, Ordering::Relaxed))
        };
        n.fetch_add(1, Ordering::Relaxed);
        t.join();
        assert_eq!(n.load(Ordering::Relaxed), 2);
    });
    assert!(x.failure.is_none());
    assert!(x.interleavings >= 2, "{}", x.interleavings);
}

#[test]
fn the_explorer_keeps_the_failing_interleavings_trace_and_message() {
    let x = explore(|| {
        say!("checks");
        panic!("always wrong");
    });
    let failure = x.expect_failure();
    assert_eq!(failure.message, "always wrong");
    assert_eq!(failure.trace.render(), " 1  main  checks\n");
    assert_eq!(x.interleavings, 1);
}

#[test]
fn a_named_mutex_narrates_its_holder() {
    let trace = Trace::new();
    let _installed = trace.install();
    let lock = NamedMutex::<Std, u32>::new("A", 0);
    {
        let mut guard = lock.lock();
        *guard += 1;
        assert_eq!(lock.holder().as_deref(), Some("main"));
    }
    assert_eq!(lock.holder(), None);
    assert_eq!(
        trace.render(),
        " 1  main  wants A\n 2  main  locks A\n 3  main  unlocks A\n"
    );
}

/// A stall (the backstop fired; nothing proven) can fail a fix, but never counts as catching the
/// bug in the broken twin: the clock decides no verdict.
#[test]
fn a_stall_fails_the_fixed_twin_and_never_catches_in_the_broken_one() {
    let trace = Trace::new();
    let mut broken = Report::new(Variant::Broken);
    assert_eq!(broken.stall(Duration::from_secs(10), &trace), None);
    let mut fixed = Report::new(Variant::Fixed);
    assert!(fixed.stall(Duration::from_secs(10), &trace).is_some());
}

#[test]
fn a_report_maps_findings_to_verdicts_per_twin() {
    let verdict = |variant, bug: Option<&str>| {
        Report::new(variant)
            .conclude(bug.map(String::from), "checked")
            .verdict()
    };
    assert_eq!(
        verdict(Variant::Broken, Some("lost")),
        Verdict::Caught("lost".into())
    );
    assert!(matches!(verdict(Variant::Broken, None), Verdict::Missed(_)));
    assert_eq!(
        verdict(Variant::Fixed, None),
        Verdict::Holds("checked".into())
    );
    assert!(matches!(
        verdict(Variant::Fixed, Some("lost")),
        Verdict::Failed(_)
    ));
}

// The wait-for registry and watchdog::watch: proofs, never timeouts.

mod proofs {
    use std::sync::Arc;
    use std::time::{Duration, Instant};

    use racelab_kit::latch::Latch;
    use racelab_kit::lock::{LOCKS, NamedCondvar, NamedMutex};
    use racelab_kit::sync::prelude::*;
    use racelab_kit::trace::{Step, traced};
    use racelab_kit::wait::{self, Resource};
    use racelab_kit::watchdog;
    use racelab_kit::{say, step};

    #[test]
    fn opposite_lock_orders_are_proven_a_cycle_at_once() {
        let started = Instant::now();
        let (outcome, _) = traced(|_| {
            watchdog::watch(|| {
                let (a, b) = (
                    Arc::new(NamedMutex::<Std, ()>::new("A", ())),
                    Arc::new(NamedMutex::<Std, ()>::new("B", ())),
                );
                let t1 = {
                    let (a, b) = (a.clone(), b.clone());
                    Std::spawn("T1", move || {
                        let _a = a.lock();
                        wait::until("T2 locks B", || wait::reached_on("T2", LOCKS, "B"));
                        let _b = b.lock();
                    })
                };
                wait::until("T1 locks A", || wait::reached("T1", LOCKS));
                let t2 = Std::spawn("T2", move || {
                    let _b = b.lock();
                    let _a = a.lock();
                });
                t1.join();
                t2.join();
            })
        });
        let proof = outcome.expect_deadlock();
        assert_eq!(
            proof.summary(),
            "T1 waits for B held by T2; T2 waits for A held by T1"
        );
        assert_eq!(
            proof.everyone.first().map(ToString::to_string).as_deref(),
            Some("main waits for T1 to finish")
        );
        assert!(started.elapsed() < Duration::from_secs(5));
    }

    #[test]
    fn a_slow_step_is_not_a_deadlock() {
        // A thread busy outside any recorded wait (an fsync, a descheduled thread) while everyone
        // else waits for it: no proof, however long it takes.
        let (outcome, _) = traced(|_| {
            watchdog::watch(|| {
                let t = Std::spawn("slow", || std::thread::sleep(Duration::from_millis(300)));
                t.join();
                7
            })
        });
        assert_eq!(outcome.expect_finished(), 7);
    }

    #[test]
    fn a_lost_wake_up_is_proven_when_everyone_waits() {
        let (outcome, _) = traced(|_| {
            watchdog::watch(|| {
                let state = Arc::new((
                    <Std as Primitives>::Mutex::new(false),
                    NamedCondvar::<Std>::new("ready"),
                ));
                let waiter = {
                    let state = state.clone();
                    Std::spawn("waiter", move || {
                        let mut ready = MutexApi::lock(&state.0);
                        while !*ready {
                            ready = state.1.wait(ready);
                        }
                    })
                };
                waiter.join();
            })
        });
        let proof = outcome.expect_deadlock();
        assert!(proof.cycle.is_empty());
        assert_eq!(
            proof.summary(),
            "main waits for waiter to finish; waiter waits for ready"
        );
    }

    #[test]
    fn a_woken_wait_is_not_proven_and_a_latch_nobody_opens_is() {
        let (outcome, _) = traced(|_| {
            watchdog::watch(|| {
                let latch = Arc::new(Latch::named("go"));
                let t = {
                    let latch = latch.clone();
                    Std::spawn("T", move || latch.wait())
                };
                wait::until("T blocks", || wait::blocked("T"));
                std::thread::sleep(Duration::from_millis(50)); // main is busy: no proof
                latch.open();
                t.join();
                Latch::named("never").wait();
            })
        });
        assert_eq!(outcome.expect_deadlock().summary(), "main waits for never");
    }

    #[test]
    fn a_library_wait_recorded_with_a_ticket_is_woken_or_proven() {
        const SUBMITTED: Step = Step("submits the job");
        let (outcome, trace) = traced(|_| {
            watchdog::watch(|| {
                let done = Arc::new(Resource::new("q's job"));
                let (tx, rx) = std::sync::mpsc::channel();
                let ticket = done.ticket();
                step!(SUBMITTED);
                let worker = {
                    let done = done.clone();
                    Std::spawn("q", move || {
                        tx.send(1).unwrap();
                        done.wake();
                        say!("ran the job");
                    })
                };
                assert_eq!(ticket.wait(|| rx.recv().unwrap()), 1);
                worker.join();
            })
        });
        outcome.expect_finished();
        assert!(trace.reached("main", SUBMITTED, None));
    }

    /// A scenario that panics beside a worker parked for good is a panic, not a deadlock: the
    /// panic is re-raised (found by review: `main` used to leave the registry before its result
    /// channel disconnected, so the parked worker alone read as "everyone blocked").
    #[test]
    fn a_panic_beside_a_parked_worker_is_re_raised_not_called_a_deadlock() {
        for _ in 0..20 {
            let caught = std::panic::catch_unwind(|| {
                traced(|_| {
                    watchdog::watch(|| {
                        let stop = Arc::new(Latch::named("stop"));
                        let _worker = {
                            let stop = stop.clone();
                            Std::spawn("worker", move || stop.wait())
                        };
                        wait::until("the worker parks", || wait::blocked("worker"));
                        panic!("the check failed");
                    })
                })
            });
            let panic = caught.expect_err("the scenario's panic comes back out of watch");
            assert_eq!(panic.downcast_ref::<&str>(), Some(&"the check failed"));
        }
    }

    /// Likewise a scenario that returns while a leaked worker stays parked has finished.
    #[test]
    fn a_result_beside_a_parked_worker_is_finished() {
        for _ in 0..20 {
            let (outcome, _) = traced(|_| {
                watchdog::watch(|| {
                    let stop = Arc::new(Latch::named("stop"));
                    let _worker = {
                        let stop = stop.clone();
                        Std::spawn("worker", move || stop.wait())
                    };
                    wait::until("the worker parks", || wait::blocked("worker"));
                    42
                })
            });
            assert_eq!(outcome.expect_finished(), 42);
        }
    }

    /// A wake from a thread the scenario did not spawn through the facade (a rayon or tokio
    /// worker) still counts: the resource remembers which scenario waits on it, so a wait that
    /// begins after that wake is not "blocked". (A thread outside the scenario that wakes someone
    /// *later* is invisible to the proofs: rule 3 in `kit::wait`.)
    #[test]
    fn a_wake_from_outside_the_scenario_still_counts() {
        for _ in 0..20 {
            let (outcome, _) = traced(|_| {
                watchdog::watch(|| {
                    let done = Arc::new(Resource::new("the pool's job"));
                    let (tx, rx) = std::sync::mpsc::channel();
                    let ticket = done.ticket();
                    let outside = {
                        let done = done.clone();
                        std::thread::spawn(move || {
                            tx.send(1).unwrap();
                            done.wake();
                        })
                    };
                    outside.join().unwrap(); // the wake happened before the wait is recorded
                    ticket.wait(|| rx.recv().unwrap())
                })
            });
            assert_eq!(outcome.expect_finished(), 1);
        }
    }
}

/// A demo whose own plumbing failed (a port in use) has not caught its bug, nor held its fix:
/// `setup_failed` marks the message and `conclude` turns it into ERROR for either twin.
#[test]
fn a_setup_failure_is_an_error_never_a_catch() {
    for variant in Variant::BOTH {
        let mut report = Report::new(variant);
        report.conclude(
            Some(setup_failed("could not bind 127.0.0.1:0: address in use")),
            "x",
        );
        let verdict = report.verdict();
        assert!(matches!(verdict, Verdict::Error(_)), "{verdict:?}");
        assert_eq!(verdict.label(), "ERROR");
        assert!(!verdict.as_expected());
        assert!(verdict.detail().contains("address in use"));
    }
}

/// A demo with two lessons: the broken twin is caught only if both checks found their bug, the
/// fixed twin holds only if neither did.
#[test]
fn conclude_each_needs_every_bug_for_a_catch_and_none_for_a_hold() {
    let verdict = |variant, checks: [Result<(), String>; 2]| {
        let mut report = Report::new(variant);
        report.conclude_each(checks, "both hold");
        report.verdict()
    };
    let (bug, ok) = (|| Err::<(), _>("seen".to_string()), || Ok::<(), String>(()));
    assert!(
        matches!(verdict(Variant::Broken, [bug(), bug()]), Verdict::Caught(s) if s == "seen; seen")
    );
    assert!(matches!(
        verdict(Variant::Broken, [bug(), ok()]),
        Verdict::Missed(s) if s.starts_with("only 1 of 2")
    ));
    assert!(matches!(
        verdict(Variant::Fixed, [ok(), ok()]),
        Verdict::Holds(_)
    ));
    assert!(matches!(
        verdict(Variant::Fixed, [ok(), bug()]),
        Verdict::Failed(_)
    ));
    let setup = || Err::<(), _>(setup_failed("no port"));
    assert!(matches!(
        verdict(Variant::Broken, [bug(), setup()]),
        Verdict::Error(_)
    ));
}
