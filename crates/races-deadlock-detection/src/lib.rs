//! R8's professional tool: parking_lot's deadlock detector finds the AB/BA cycle on real threads.
//!
//! racelab's R8 (`races::deadlock_detector`) shows the guide's hand-made detector failing and a
//! small wait-for graph that works. In production you would not write either: parking_lot, built
//! with its `deadlock_detection` feature, keeps the wait-for graph of every parking_lot lock in the
//! process, and `parking_lot::deadlock::check_deadlock()` returns every cycle of threads blocked on
//! each other — with each thread's backtrace. The usual setup is a background thread that calls it
//! every few seconds and logs what it finds.
//!
//! [`abba`] forces the textbook deadlock with gates, exactly as R4 and R8 do (T1 holds A and waits
//! for B, T2 holds B and waits for A), then calls `check_deadlock()` until it reports the cycle.
//! It can only see threads that have actually gone to sleep in a lock, and a thread spins briefly
//! before it sleeps, so the call is repeated — [`wait::until_timeout`] — until the cycle shows;
//! what it reports is then certain, not timing. The two threads stay blocked (a deadlock cannot be
//! undone from outside) and die with the process; the [`watchdog`] runs the scenario, as
//! everywhere in racelab. (Its own proof does not apply here: parking_lot's locks are not kit
//! wrappers, so the scenario simply finishes with what `check_deadlock()` found.)
//!
//! **Why this is a separate crate.** Cargo unifies features: with `deadlock_detection` enabled
//! anywhere in a build, every parking_lot lock in that build records each acquisition for the
//! detector. On R2's benchmark an uncontended `parking_lot::Mutex` lock/unlock went from about
//! 7–9 ns to 21–23 ns. A renamed dependency would not help (it is still the same parking_lot
//! package, so the features still unify); only keeping the feature out of the build does. So
//! `races` does not depend on this crate, and `cargo bench -p races` measures parking_lot as
//! shipped. (A whole-workspace `cargo test` builds parking_lot with the feature; tests do not
//! care, and Cargo caches that build separately.) This crate is the one route to the detector:
//! `scripts/detectors` runs it (`cargo run -p races-deadlock-detection`) for the parking_lot column
//! of the book's "one bug, many tools" table.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use parking_lot::{Mutex, deadlock};
use racelab_kit::lock::{LOCKS, WANTS};
use racelab_kit::sync::prelude::*;
use racelab_kit::trace::Trace;
use racelab_kit::watchdog::{self, Outcome};
use racelab_kit::{say, step, wait};

/// How long to keep asking `check_deadlock()`: less than the watchdog's backstop, so a detector
/// that never answers shows up as an empty result rather than a stall. (Before it reports a cycle
/// it wakes each deadlocked thread to resolve its backtrace, which reads debug symbols: about
/// 0.25 s here, far more on a loaded machine.)
const LOOK: Duration = Duration::from_secs(8);

// ANCHOR: abba
/// T1 takes A then B, T2 takes B then A, each waiting (gate) until the other holds its first lock;
/// then `check_deadlock()` is asked until it reports a cycle. Returns each cycle's thread names.
pub fn abba() -> Outcome<Vec<Vec<String>>> {
    watchdog::watch(move || {
        let (a, b) = (Arc::new(Mutex::new(())), Arc::new(Mutex::new(())));
        let t1 = {
            let (a, b) = (a.clone(), b.clone());
            Std::spawn("T1", move || {
                let _a = a.lock();
                step!(LOCKS, on "A");
                wait::until("T2 locks B", || wait::reached_on("T2", LOCKS, "B"));
                step!(WANTS, on "B", " (held by T2)");
                let _b = b.lock();
                step!(LOCKS, on "B");
            })
        };
        wait::until("T1 locks A", || wait::reached_on("T1", LOCKS, "A"));
        let t2 = {
            Std::spawn("T2", move || {
                let _b = b.lock();
                step!(LOCKS, on "B");
                wait::until("T1 wants B", || wait::reached_on("T1", WANTS, "B"));
                step!(WANTS, on "A", " (held by T1)");
                let _a = a.lock();
                step!(LOCKS, on "A");
            })
        };
        let names = HashMap::from([(t1.thread().id(), "T1"), (t2.thread().id(), "T2")]);

        let mut cycles = Vec::new();
        wait::until_timeout(LOOK, || {
            cycles = deadlock::check_deadlock();
            !cycles.is_empty()
        });
        let cycles: Vec<Vec<String>> = cycles
            .iter()
            .map(|cycle| {
                let mut threads: Vec<String> = cycle
                    .iter()
                    .map(|t| {
                        names
                            .get(&t.thread_id())
                            .map_or("another thread", |n| n)
                            .into()
                    })
                    .collect();
                threads.sort();
                threads
            })
            .collect();
        for threads in &cycles {
            say!(
                "check_deadlock() reports a cycle: {}",
                threads.join(" and ")
            );
        }
        cycles // T1 and T2 stay blocked for ever; nobody joins them
    })
}
// ANCHOR_END: abba

/// [`abba`], narrated: the trace, then what was found.
pub fn narrate() -> (Outcome<Vec<Vec<String>>>, String) {
    let trace = Trace::new();
    let _installed = trace.install();
    let outcome = abba();
    let mut text = trace.render();
    match &outcome {
        Outcome::Finished(cycles) if !cycles.is_empty() => text.push_str(&format!(
            "=> parking_lot found {} deadlock cycle(s), each thread with the backtrace of where it \
             blocked.\n",
            cycles.len()
        )),
        Outcome::Finished(_) => text.push_str("=> check_deadlock() found nothing.\n"),
        Outcome::Deadlocked(proof) => text.push_str(&format!("=> the watchdog proved: {proof}\n")),
        Outcome::Stalled { idle } => text.push_str(&format!(
            "=> nothing happened for {} s: the watchdog gave up.\n",
            idle.as_secs()
        )),
    }
    (outcome, text)
}
