//! R8 `deadlock_detector`: testing the tester. The guide's detector, fed the textbook deadlock,
//! sees nothing; a wait-for graph sees the cycle, and on real threads refuses to close it.

use racelab_kit::demo::Variant;
use racelab_kit::trace::{said, traced};
use racelab_kit::watchdog::last_words;
use races::deadlock_detector::{
    Detector, abba, abba_on_paper, broken, chain, duplicate_name, fixed, run_gated,
};

/// The trivial case: one thread taking A then B is approved, as it should be.
#[test]
fn broken_deadlock_detector_approves_a_lone_thread() {
    let detector = broken::DeadlockDetector::new();
    assert!(detector.acquire_lock("A", "T1"));
    assert!(detector.acquire_lock("B", "T1"));
}

/// Testing the tester: the textbook deadlock, fed to the guide's detector. It says "no".
// ANCHOR: misses
#[test]
fn broken_deadlock_detector_misses_abba() {
    let detector = broken::DeadlockDetector::new();
    assert!(
        !abba(&detector),
        "the guide's detector saw the cycle after all"
    );
    // And it grants the wait that closes the cycle.
    assert!(detector.acquire_lock("A", "T2"));
    // Why: every edge goes from a thread to a lock; nothing leads out of a lock.
    let (_, on_paper) = abba_on_paper::<broken::DeadlockDetector>();
    racelab_testkit::snapshot!("deadlock_detector__trace", on_paper);
}
// ANCHOR_END: misses

/// Not a matter of picking the right example: over every sequence of four requests by three
/// threads for three locks (9^4 = 6561 of them), the guide's detector never refuses one and never
/// answers "would deadlock" — not even for a thread asking for a lock it already holds.
// ANCHOR: never
#[test]
fn broken_deadlock_detector_never_sees_any_cycle() {
    let threads = ["T1", "T2", "T3"];
    let locks = ["A", "B", "C"];
    let events: Vec<(&str, &str)> = threads
        .iter()
        .flat_map(|&t| locks.iter().map(move |&l| (t, l)))
        .collect();
    let n = events.len();
    for code in 0..n.pow(4) {
        let detector = broken::DeadlockDetector::new();
        let mut rest = code;
        for _ in 0..4 {
            let (thread, lock) = events[rest % n];
            rest /= n;
            assert!(detector.acquire_lock(lock, thread), "refused #{code}");
        }
        for &(thread, lock) in &events {
            assert!(
                !detector.would_cause_deadlock(lock, thread),
                "cycle in #{code}"
            );
        }
    }
}
// ANCHOR_END: never

/// On real threads, wired into the guide's lock manager, with gates forcing AB/BA: the detector
/// approves both second requests, and the threads deadlock; the watchdog proves the cycle the
/// guide's detector never sees.
// ANCHOR: real
#[test]
fn broken_deadlock_detector_lets_threads_deadlock() {
    let (outcome, trace) = run_gated(Variant::Broken);
    assert_eq!(
        outcome.expect_deadlock().summary(),
        "T1 waits for B held by T2; T2 waits for A held by T1"
    );
    assert_eq!(
        said(last_words(&trace)),
        ["T1: wants B (held by T2)", "T2: wants A (held by T1)"]
    );
}
// ANCHOR_END: real

/// The guide's `withMultipleLocks` with a name given twice locks the same lock twice: one thread
/// waiting for itself. (std documents a second `lock()` on the same thread as "might panic or
/// deadlock"; on Linux, std's futex mutex deadlocks, which is what this test relies on.)
// ANCHOR: duplicate
#[cfg(target_os = "linux")]
#[test]
fn broken_deadlock_detector_duplicate_name_deadlocks_one_thread() {
    let (outcome, trace) = traced(|_| duplicate_name::<broken::SafeLockManager>());
    assert_eq!(
        outcome.expect_deadlock().summary(),
        "T1 waits for A held by T1"
    );
    assert_eq!(said(last_words(&trace)), ["T1: wants A (held by T1)"]);
}
// ANCHOR_END: duplicate

/// The fixed detector under the same check: it sees the cycle.
// ANCHOR: finds
#[test]
fn fixed_deadlock_detector_finds_abba() {
    let detector = fixed::DeadlockDetector::new();
    assert!(abba(&detector), "the wait-for graph missed the cycle");
    // And it refuses the wait that would close it.
    assert!(!detector.acquire_lock("A", "T2"));
    let (_, on_paper) = abba_on_paper::<fixed::DeadlockDetector>();
    assert!(on_paper.contains("the detector says: yes"), "{on_paper}");
    assert!(on_paper.contains("T1 waits for B"), "{on_paper}");
}

/// …and raises no alarm where there is no cycle: a chain of threads each waiting for the next
/// one's lock ends with a thread that waits for nothing.
#[test]
fn fixed_deadlock_detector_no_false_positive_on_a_contention_chain() {
    assert!(!chain(&fixed::DeadlockDetector::new()));
    assert!(!chain(&broken::DeadlockDetector::new()));
}
// ANCHOR_END: finds

/// A thread asking for a lock it holds is the shortest cycle: the fixed detector sees it (the
/// guide's does not — see `never_sees_any_cycle`).
#[test]
fn fixed_deadlock_detector_finds_a_thread_waiting_for_itself() {
    let detector = fixed::DeadlockDetector::new();
    assert!(detector.acquire_lock("A", "T1"));
    detector.acquired("A", "T1");
    assert!(detector.would_cause_deadlock("A", "T1"));
}

/// Released locks leave the graph: after T1 lets A go, T2 may wait for A again.
#[test]
fn fixed_deadlock_detector_forgets_released_locks() {
    let detector = <fixed::DeadlockDetector as Detector>::new();
    assert!(abba(&detector));
    detector.release_lock("A", "T1");
    assert!(!detector.would_cause_deadlock("A", "T2"));
}

/// On real threads, under the same gates: T2's request for A is refused, T2 lets B go, T1
/// finishes; T2 tries again and finishes too. No watchdog timeout.
// ANCHOR: refuses
#[test]
fn fixed_deadlock_detector_refuses_the_cycle_on_real_threads() {
    let (outcome, trace) = run_gated(Variant::Fixed);
    assert_eq!(outcome.expect_finished(), (true, true));
    assert!(trace.lines().iter().any(|l| l.actor == "T2"
        && l.text == "is refused A: it would close the cycle T2 → A → T1 → B → T2"));
}
// ANCHOR_END: refuses

/// And a name given twice is taken once.
#[test]
fn fixed_deadlock_detector_duplicate_name_is_taken_once() {
    let (outcome, _trace) = traced(|_| duplicate_name::<fixed::SafeLockManager>());
    assert!(outcome.expect_finished());
}
