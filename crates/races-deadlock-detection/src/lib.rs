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
//! before it sleeps, so the call is repeated — [`wait_until`] — until the cycle shows; what it
//! reports is then certain, not timing. The two threads stay blocked (a deadlock cannot be undone
//! from outside) and die with the process; the [`watchdog`] bounds the whole
//! scenario, as everywhere in racelab.
//!
//! **Why this is a separate crate.** Cargo unifies features: with `deadlock_detection` enabled
//! anywhere in a build, every parking_lot lock in that build records each acquisition for the
//! detector. On R2's benchmark an uncontended `parking_lot::Mutex` lock/unlock went from about
//! 7–9 ns to 21–23 ns. A renamed dependency would not help (it is still the same parking_lot
//! package, so the features still unify); only keeping the feature out of the build does. So
//! `races` does not depend on this crate, and `cargo bench -p races` measures parking_lot as
//! shipped. (A whole-workspace `cargo test` builds parking_lot with the feature; tests do not
//! care, and Cargo caches that build separately.)

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use parking_lot::{Mutex, deadlock};
use racelab_kit::say;
use racelab_kit::sync::{Primitives, Std};
use racelab_kit::trace::Trace;
use racelab_kit::watchdog::{self, GATE_TIMEOUT, Watched, wait_until};

/// The watchdog's idle timeout here: the gate bound, not racelab's usual second, because
/// `check_deadlock()` takes its time to answer — before it reports a cycle it wakes each
/// deadlocked thread to resolve its backtrace, which reads debug symbols (about 0.25 s here, far
/// more on a loaded machine), and nothing is narrated meanwhile. A passing run returns as soon as
/// the cycle is reported; the bound only matters if it never is.
const TIMEOUT: Duration = GATE_TIMEOUT;

/// How long to keep asking `check_deadlock()`: less than [`TIMEOUT`], so a detector that never
/// answers shows up as an empty result rather than a hang.
const LOOK: Duration = Duration::from_secs(8);

// ANCHOR: abba
/// T1 takes A then B, T2 takes B then A, each waiting (gate) until the other holds its first lock;
/// then `check_deadlock()` is asked until it reports a cycle. Returns each cycle's thread names.
pub fn abba(trace: &Trace) -> Watched<Vec<Vec<String>>> {
    let trace = trace.clone();
    watchdog::run(TIMEOUT, move || {
        let (a, b) = (Arc::new(Mutex::new(())), Arc::new(Mutex::new(())));
        let t1 = {
            let (a, b, trace) = (a.clone(), b.clone(), trace.clone());
            Std::spawn("T1", move || {
                let _a = a.lock();
                say!("locks A");
                trace.gate("T2", &["locks B"]);
                say!("wants B (held by T2)");
                let _b = b.lock();
                say!("locks B");
            })
        };
        trace.gate("T1", &["locks A"]);
        let t2 = {
            let trace = trace.clone();
            Std::spawn("T2", move || {
                let _b = b.lock();
                say!("locks B");
                trace.gate("T1", &["wants B"]);
                say!("wants A (held by T1)");
                let _a = a.lock();
                say!("locks A");
            })
        };
        let names = HashMap::from([(t1.thread().id(), "T1"), (t2.thread().id(), "T2")]);

        let mut cycles = Vec::new();
        wait_until(LOOK, || {
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
pub fn narrate() -> (Watched<Vec<Vec<String>>>, String) {
    let trace = Trace::new();
    let _installed = trace.install();
    let watched = abba(&trace);
    let mut text = trace.render();
    match &watched {
        Watched::Finished(cycles) if !cycles.is_empty() => text.push_str(&format!(
            "=> parking_lot found {} deadlock cycle(s), each thread with the backtrace of where it \
             blocked.\n",
            cycles.len()
        )),
        Watched::Finished(_) => text.push_str("=> check_deadlock() found nothing.\n"),
        Watched::Hung { waited } => text.push_str(&format!(
            "=> no answer within {} ms: the watchdog gave up.\n",
            waited.as_millis()
        )),
    }
    (watched, text)
}
