//! The kit's own guarantees, which every chapter relies on: traces record in order and render the
//! same way, the explorer keeps the failing interleaving and counts the ones it ran, the watchdog
//! tells a finished scenario from a stuck one, and a named lock narrates its holder.

use std::sync::Arc;
use std::time::Duration;

use racelab_kit::demo::{Report, Variant, Verdict};
use racelab_kit::explore::explore;
use racelab_kit::lock::NamedMutex;
use racelab_kit::say;
use racelab_kit::sync::{Loom, Ordering, Primitives, Std};
use racelab_kit::trace::Trace;
use racelab_kit::watchdog::{self, Watched};

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
fn a_gate_opens_when_the_line_is_said_and_times_out_otherwise() {
    let trace = Trace::new();
    let _installed = trace.install();
    assert!(!trace.wait_for("T0", "ready", Duration::from_millis(10)));
    let t = Std::spawn("T0", || say!("is ready"));
    assert!(trace.wait_for("T0", "ready", Duration::from_secs(5)));
    t.join();
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
fn the_watchdog_tells_finished_from_stuck() {
    assert!(matches!(
        watchdog::run(Duration::from_secs(5), || 42),
        Watched::Finished(42)
    ));
    let (_never, stuck) = std::sync::mpsc::channel::<()>();
    let watched = watchdog::run(Duration::from_millis(50), move || {
        let _ = stuck.recv();
    });
    assert!(matches!(watched, Watched::Hung { .. }));
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
