//! One bug, many tools: what loom and shuttle each catch and miss, on the four bugs of
//! `races::detectors`. Only the fast, deterministic tools run here (loom exhaustively, shuttle on
//! a fixed seed with a few hundred schedules); Miri, ThreadSanitizer, parking_lot's detector and
//! the stress loop are measured by `scripts/detectors`, which writes the book's table.

use racelab_kit::explore::explore;
use racelab_kit::randomized;
use racelab_kit::sync::{Loom, Ordering, Shuttle};
use races::detectors::data_race::data_race_loom;
use races::detectors::message::{message_passing, relaxed_message};
use races::detectors::{abba, lost_update};

/// The seed every shuttle test starts from, so each run tries the same schedules.
const SEED: u64 = 2024;
/// How many shuttle schedules a test may try.
const SCHEDULES: usize = 300;

// ANCHOR: loom
/// loom catches all four, every run: it tries every interleaving — and, for `Relaxed` atomics,
/// the values loom's memory model lets a load return.
#[test]
fn detectors_loom_catches_all_four() {
    let lost = explore(|| lost_update::<Loom>(1));
    assert_eq!(
        lost.expect_failure().message,
        "lost update: 2 increments, count 1"
    );

    let race = explore(data_race_loom);
    assert!(
        race.expect_failure()
            .message
            .starts_with("Causality violation"),
        "{}",
        race.expect_failure().message
    );

    let deadlock = explore(|| abba::<Loom>(1));
    assert!(deadlock.expect_failure().is_deadlock());

    let stale = explore(|| relaxed_message::<Loom>(false));
    assert_eq!(
        stale.expect_failure().message,
        "stale message: ready was set, but data is 0"
    );
}
// ANCHOR_END: loom

/// …and it is not crying wolf: with `Release`/`Acquire` on the flag the message always arrives.
#[test]
fn detectors_loom_passes_the_release_acquire_message() {
    explore(|| message_passing::<Loom>(Ordering::Release, Ordering::Acquire, false)).assert_holds();
}

// ANCHOR: shuttle
/// shuttle, on a fixed seed, finds the lost update and the deadlock within a few schedules — and
/// the failing schedule replays exactly from its seed.
#[test]
fn detectors_shuttle_catches_the_lost_update_and_the_deadlock() {
    let model = || lost_update::<Shuttle>(1);
    let found = randomized::search(model, SEED, SCHEDULES).expect("shuttle finds the lost update");
    assert_eq!(found.message, "lost update: 2 increments, count 1");
    assert_eq!(
        randomized::replay(model, found.seed),
        Some(found.message.clone())
    );

    let found = randomized::search(|| abba::<Shuttle>(1), SEED, SCHEDULES)
        .expect("shuttle finds the deadlock");
    assert!(found.message.starts_with("deadlock!"), "{}", found.message);
}

/// shuttle runs every atomic as if it were `SeqCst`, so the `Relaxed` bug cannot happen under it:
/// no schedule fails.
#[test]
fn detectors_shuttle_misses_the_relaxed_message() {
    assert_eq!(
        randomized::search(|| relaxed_message::<Shuttle>(false), SEED, SCHEDULES),
        None
    );
}
// ANCHOR_END: shuttle
