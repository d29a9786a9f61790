//! R3 `atomic_counter`: an "atomic" counter that loses an update, and a flag that publishes stale
//! data — two stories, each told broken then fixed under the same check.

use racelab_kit::demo::Variant;
use racelab_kit::sync::Std;
use races::atomic_counter::message::{self, DATA, Message, explore_message, publish_once};
use races::atomic_counter::{Counter, broken, explore_variant, fixed, two_increments};

// --- The counter: `count += 1` is a get and a set. ---

/// The trivial case: on one thread the guide's get-then-set is right — the bug needs two.
#[test]
fn broken_atomic_counter_is_right_on_one_thread() {
    let counter = broken::Counter::<Std>::new();
    counter.increment();
    counter.increment();
    assert_eq!(counter.get(), 2);
}

/// The search: loom tries every interleaving of two `count += 1` and finds one that loses an
/// update — each accessor takes its lock, but the gap between get and set is unprotected.
// ANCHOR: caught
#[test]
fn broken_atomic_counter_loses_updates() {
    let search = explore_variant(Variant::Broken);
    let failure = search.expect_failure();
    assert_eq!(
        failure.message,
        "lost update: 2 increments, but the count is 1"
    );
    // The minimal failure, step by step: both get 0, both set 1.
    racelab_testkit::snapshot!("atomic_counter__trace", failure.trace.render());
}
// ANCHOR_END: caught

/// The replay: loom's search is deterministic, so the same schedule fails on every run.
#[test]
fn broken_atomic_counter_fails_the_same_way_every_run() {
    let first = explore_variant(Variant::Broken);
    let again = explore_variant(Variant::Broken);
    assert_eq!(first.interleavings, again.interleavings);
    assert_eq!(
        first.expect_failure().trace.lines(),
        again.expect_failure().trace.lines()
    );
}

/// The fixed twin, under the very same check: `fetch_add` counts both increments in every
/// interleaving.
// ANCHOR: holds
#[test]
fn fixed_atomic_counter_counts_all() {
    explore_variant(Variant::Fixed).assert_holds();
}
// ANCHOR_END: holds

/// And on real threads, many increments: the fixed counter never loses one.
#[test]
fn fixed_atomic_counter_counts_all_on_real_threads() {
    let counter = fixed::Counter::<Std>::new();
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| (0..10_000).for_each(|_| counter.increment()));
        }
    });
    assert_eq!(counter.get(), 20_000);
    two_increments::<Std, fixed::Counter<Std>>();
}

// --- The flag: data published with a `Relaxed` flag. ---

/// The trivial case: on one thread, a `Relaxed` flag is enough — a thread always sees its own
/// writes in program order.
#[test]
fn broken_message_relaxed_flag_is_right_on_one_thread() {
    let message = message::broken::Message::<Std>::new();
    assert_eq!(message.receive(), None);
    message.send(DATA);
    assert_eq!(message.receive(), Some(DATA));
}

/// The search: loom finds an interleaving where the reader sees the flag up and still reads the
/// data as it was before the writer stored it.
// ANCHOR: caught_message
#[test]
fn broken_message_relaxed_flag_publishes_stale_data() {
    let search = explore_message(Variant::Broken);
    let failure = search.expect_failure();
    assert_eq!(
        failure.message,
        "stale read: the reader saw the flag up but data = 0, not 42"
    );
    // The minimal failure: the writer stores 42 and raises the flag; the reader sees the flag
    // and reads 0.
    racelab_testkit::snapshot!("atomic_counter__message_trace", failure.trace.render());
}
// ANCHOR_END: caught_message

/// The fixed twin, under the very same check: with `Release`/`Acquire`, a reader that sees the
/// flag sees the data, in every interleaving.
// ANCHOR: holds_message
#[test]
fn fixed_message_release_acquire_publishes() {
    explore_message(Variant::Fixed).assert_holds();
}
// ANCHOR_END: holds_message

/// The same check runs on real threads too (it is the same code). On real threads even the broken
/// twin would almost always pass — x86 hardware keeps stores in order — which is why the test that
/// catches it is a model checker, not a stress loop.
#[test]
fn fixed_message_release_acquire_publishes_on_real_threads() {
    publish_once::<Std, message::fixed::Message<Std>>();
}
