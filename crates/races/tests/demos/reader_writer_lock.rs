//! R7 `reader_writer_lock`: a read inside a read, a writer queued between them, a deadlock — and a
//! summary that uses the data it already holds.

use std::sync::Arc;

use racelab_kit::demo::Variant;
use racelab_kit::trace::{said, traced};
use racelab_kit::watchdog::last_words;
use races::reader_writer_lock::{
    Manager, broken, fixed, initial_settings, recursive_reads, run_gated, std_read_twice,
};

/// The trivial case: alone, the broken summary works — a read inside a read is fine while nobody
/// wants to write.
#[test]
fn broken_reader_writer_lock_is_fine_without_a_writer() {
    let manager = <broken::ConfigurationManager as Manager>::new(initial_settings());
    assert_eq!(manager.describe(|| {}), "2 settings, theme light");
}

/// The forced interleaving: A reads; B asks to write and queues; A reads again. parking_lot's
/// lock turns A's second read away because B is queued, and B waits for A's first read: the
/// watchdog proves it — every thread waits, nothing is left to wake any — and the last words say
/// who waits for what.
// ANCHOR: caught
#[test]
fn broken_reader_writer_lock_deadlocks_when_a_writer_queues_between_two_reads() {
    let (outcome, trace) = run_gated(Variant::Broken);
    assert_eq!(
        outcome.expect_deadlock().summary(),
        "main waits for A to finish; A waits to read config behind a queued writer; \
         B waits for config held by A"
    );
    assert_eq!(
        said(last_words(&trace)),
        [
            "A: wants to read config (read by A; B waits to write)",
            "B: wants to write config (read by A)",
        ]
    );
    racelab_testkit::snapshot!("reader_writer_lock__trace", trace.render());
}
// ANCHOR_END: caught

/// Not just parking_lot: std's `RwLock` on Linux (a futex lock) also turns readers away while a
/// writer waits, so the same three steps deadlock on it too. std leaves the policy to the OS.
// ANCHOR: std
#[cfg(target_os = "linux")]
#[test]
fn broken_reader_writer_lock_std_rwlock_also_prefers_writers_on_linux() {
    let (outcome, trace) = traced(|_| std_read_twice());
    outcome.expect_deadlock();
    assert_eq!(
        said(last_words(&trace)),
        ["A: wants to read again", "B: wants to write"]
    );
}
// ANCHOR_END: std

/// The fixed twin under the same gates: A's summary never re-locks, so it finishes while B waits;
/// then B writes.
#[test]
fn fixed_reader_writer_lock_finishes_with_a_writer_queued() {
    let (outcome, trace) = run_gated(Variant::Fixed);
    let summary = outcome.expect_finished();
    assert_eq!(summary, "2 settings, theme light");
    let steps: Vec<String> = said(trace.lines());
    let a_done = steps
        .iter()
        .position(|s| s == "A: stops reading config")
        .unwrap();
    let b_writes = steps.iter().position(|s| s == "B: writes config").unwrap();
    assert!(a_done < b_writes, "{}", trace.render());
}

/// And the fixed manager still does its job afterwards: B's write landed.
#[test]
fn fixed_reader_writer_lock_still_reads_and_writes() {
    let manager = Arc::new(<fixed::ConfigurationManager as Manager>::new(
        initial_settings(),
    ));
    manager.set_value("theme", "dark");
    assert_eq!(manager.get_value("theme").as_deref(), Some("dark"));
    assert_eq!(manager.describe(|| {}), "2 settings, theme dark");
}

/// The other way out, and its price: with `read_recursive` A's second read gets in past the queued
/// writer — and so does C, an unrelated reader who arrived after B. As long as readers overlap,
/// B waits: writer starvation.
// ANCHOR: recursive
#[test]
fn fixed_reader_writer_lock_read_recursive_finishes_but_lets_readers_overtake_the_writer() {
    let (outcome, trace) = traced(|_| recursive_reads());
    outcome.expect_finished();
    racelab_testkit::snapshot!("reader_writer_lock__read_recursive", trace.render());
}
// ANCHOR_END: recursive
