//! R4 `lock_ordering`: two locks, opposite orders, a deadlock — and one order for everybody.

use racelab_kit::demo::Variant;
use racelab_kit::sync::Std;
use racelab_kit::trace::said;
use racelab_kit::watchdog::last_words;
use races::lock_ordering::{TwoLocks, broken, explore_variant, run_gated};

/// The trivial case: one thread calling both methods in turn never deadlocks — it takes two
/// threads, each holding what the other wants.
#[test]
fn broken_lock_ordering_is_fine_on_one_thread() {
    let locks = <broken::DeadlockExample<Std> as TwoLocks>::new();
    locks.method1(|| {});
    locks.method2(|| {});
}

/// The search: loom runs method1 and method2 on two threads in every order and finds one where
/// every thread is blocked.
// ANCHOR: caught
#[test]
fn broken_lock_ordering_deadlocks() {
    let search = explore_variant(Variant::Broken);
    let failure = search.expect_failure();
    assert!(failure.is_deadlock(), "{}", failure.message);
    // The minimal failure: T0 holds lock1 and wants lock2; T1 holds lock2 and wants lock1.
    racelab_testkit::snapshot!("lock_ordering__trace", failure.trace.render());
}
// ANCHOR_END: caught

/// The replay on real threads: with gates where the guide sleeps, the deadlock happens every time;
/// the watchdog proves it — a cycle of waits — and every thread's last words say which lock it
/// wants.
// ANCHOR: real
#[test]
fn broken_lock_ordering_deadlocks_on_real_threads() {
    let (outcome, trace) = run_gated(Variant::Broken);
    let proof = outcome.expect_deadlock();
    assert_eq!(
        proof.summary(),
        "T0 waits for lock2 held by T1; T1 waits for lock1 held by T0"
    );
    let words: Vec<String> = said(last_words(&trace));
    assert_eq!(
        words,
        [
            "T0: wants lock2 (held by T1)",
            "T1: wants lock1 (held by T0)"
        ]
    );
}
// ANCHOR_END: real

/// The fixed twin under the same search: no interleaving deadlocks.
#[test]
fn fixed_lock_ordering_never_deadlocks() {
    explore_variant(Variant::Fixed).assert_holds();
}

/// And under the same gates on real threads, both threads finish.
#[test]
fn fixed_lock_ordering_finishes_on_real_threads() {
    let (outcome, _trace) = run_gated(Variant::Fixed);
    outcome.expect_finished();
}
