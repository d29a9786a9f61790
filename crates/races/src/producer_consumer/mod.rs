//! R6 `producer_consumer` — the guide's bounded queue deadlocks on the first empty `consume()`.
//!
//! Ports the guide's "Producer-Consumer Pattern Implementation" (L4334–4491), presented there as
//! correct. Its `ProducerConsumerQueue` (L4387–4434) runs `consume` as a `queue.sync` block on a
//! concurrent queue and waits for an item *inside* it; `produce` is a `.barrier` block, and a
//! barrier cannot start until every block that started before it has finished. So a consumer
//! waiting on an empty queue keeps the producer out for ever: the first `consume()` that finds the
//! queue empty deadlocks, every time. (Symmetrically, a producer waiting for space inside its
//! barrier keeps every consumer out.) It also waits on an `NSCondition` it never locked, lets
//! consumers race on `removeFirst`, uses one condition for "not empty" and "not full", and has no
//! way to shut down.
//!
//! The check: a consumer calls `consume()` on an empty queue, a producer produces one item, and
//! the consumer must get it.
//!
//! * **loom** runs it in every interleaving: the broken twin deadlocks in the ones where the
//!   consumer starts waiting first (loom reports every thread blocked); the fixed twin delivers.
//! * **real threads** run it with a gate: the producer starts only once the consumer is blocked
//!   in its wait. The broken twin then deadlocks every time, and the [`watchdog`] proves it at once:
//!   every thread waits, and nothing is left to wake any of them ("consumer waits for condition;
//!   producer waits for queue held by consumer"). The fixed twin — and the bounded channel in
//!   [`channel`] — deliver.
//!
//! [`fixed`] is the deadlock fix alone; [`bounded`] goes on to the guide's smaller bugs (two
//! conditions, a `produce` that waits while full, `close()`), and [`channel`] is what to ship.

use std::sync::Arc;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::explore::{Exploration, explore};
use racelab_kit::sync::prelude::*;
use racelab_kit::trace::{Trace, traced};
use racelab_kit::wait;
use racelab_kit::watchdog::{self, Outcome};

pub mod bounded;
pub mod broken;
pub mod channel;
pub mod fixed;

/// R6 in the chapter's registry.
pub const DEMO: Demo = Demo {
    id: "R6",
    name: "producer_consumer",
    summary: "consume() waits inside queue.sync, so produce()'s barrier never starts; two condvars \
              (or a sync_channel) deliver",
    run: demo,
};

/// What the check needs from either twin; each twin implements it in its own file.
pub trait Queue: Send + Sync + 'static {
    /// An empty queue that holds at most `max_capacity` items.
    fn new(max_capacity: usize) -> Self;
    /// Adds an item.
    fn produce(&self, item: u32);
    /// Takes an item, waiting for one.
    fn consume(&self) -> Option<u32>;
}

// ANCHOR: check
/// A consumer calls `consume()` on an empty queue; a producer produces 1; the consumer must get 1.
/// (If every thread blocks instead, loom reports the deadlock; on real threads the watchdog does.)
pub fn one_item<P: Primitives, Q: Queue>() {
    let queue = Arc::new(Q::new(1));
    let consumer = {
        let queue = queue.clone();
        P::spawn("consumer", move || queue.consume())
    };
    if !P::IS_MODEL {
        // Real threads: the consumer goes first (loom tries every order anyway).
        wait::until("the consumer waits", || wait::blocked("consumer"));
    }
    let producer = P::spawn("producer", move || queue.produce(1));
    producer.join();
    let got = consumer.join();
    if got != Some(1) {
        panic!("the consumer got {got:?}, not the item produced");
    }
}
// ANCHOR_END: check

/// Runs the check under loom for one twin.
pub fn explore_variant(variant: Variant) -> Exploration {
    match variant {
        Variant::Broken => explore(one_item::<Loom, broken::ProducerConsumerQueue<Loom, u32>>),
        Variant::Fixed => explore(one_item::<Loom, fixed::ProducerConsumerQueue<Loom, u32>>),
    }
}

/// Runs `scenario` on real threads under the watchdog, with a fresh trace; returns how it ended
/// and what each thread said.
pub fn on_real_threads<T, F>(scenario: F) -> (Outcome<T>, Trace)
where
    F: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    traced(|_| watchdog::watch(scenario))
}

// ANCHOR: real
/// The check on real threads for one twin: the consumer is let in first, so the broken twin
/// deadlocks every time (and the watchdog proves it); the fixed twin delivers.
pub fn run_on_real_threads(variant: Variant) -> (Outcome<()>, Trace) {
    match variant {
        Variant::Broken => {
            on_real_threads(one_item::<Std, broken::ProducerConsumerQueue<Std, u32>>)
        }
        Variant::Fixed => on_real_threads(one_item::<Std, fixed::ProducerConsumerQueue<Std, u32>>),
    }
}
// ANCHOR_END: real

/// Narrates a real-thread run: `Ok` if it finished, else `Err` with what got stuck — `None` for a
/// stall of the broken twin, which the backstop's clock may not count as a catch (see
/// `Report::stall`).
fn narrate_real<T>(
    report: &mut Report,
    outcome: &Outcome<T>,
    trace: &Trace,
) -> Result<(), Option<String>> {
    report.trace(trace);
    match outcome {
        Outcome::Finished(_) => Ok(()),
        Outcome::Deadlocked(proof) => {
            report.deadlocked(proof);
            Err(Some("real threads deadlocked, proven".to_string()))
        }
        Outcome::Stalled { idle } => Err(report.stall(*idle, trace)),
    }
}

/// The demo: loom's search, then real threads under the watchdog; for the fixed twin, also the
/// bounded channel.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading(
        "loom: a consumer calls consume() on an empty queue while a producer produces 1, in every \
         possible order",
    );
    let x = explore_variant(variant);
    report.exploration(&x);
    let mut seen: Vec<String> = x
        .failure
        .iter()
        .map(|f| format!("{} (loom)", f.message))
        .collect();

    report.heading("real threads: the producer starts only once the consumer waits");
    let (watched, trace) = run_on_real_threads(variant);
    match narrate_real(&mut report, &watched, &trace) {
        Ok(()) => {
            report.line("=> the consumer got 1; both threads finished.");
        }
        Err(hung) => seen.extend(hung),
    }

    if variant == Variant::Fixed {
        report.heading("real threads, the fix to ship: std::sync::mpsc::sync_channel(1)");
        let (watched, trace) = on_real_threads(channel::one_item);
        if let Err(hung) = narrate_real(&mut report, &watched, &trace) {
            seen.extend(hung.map(|hung| format!("the channel: {hung}")));
        }
        if let Outcome::Finished(got) = watched {
            report.line(format!(
                "=> the consumer's recv() gave {:?}, then {:?}: the producer had hung up.",
                got.0, got.1
            ));
            if got != (Some(1), None) {
                seen.push(format!("the channel delivered {got:?}"));
            }
        }
    }

    let loom_deadlock = x.failure.as_ref().is_some_and(|f| f.is_deadlock());
    let bug = match variant {
        // Caught only if both worlds show it: loom's deadlock and a real hang.
        Variant::Broken if loom_deadlock && seen.len() == 2 => Some(seen.join("; ")),
        Variant::Broken => None,
        Variant::Fixed if seen.is_empty() => None,
        Variant::Fixed => Some(seen.join("; ")),
    };
    report.conclude(
        bug,
        format!(
            "the consumer gets the item in all {} interleavings and on real threads",
            x.interleavings
        ),
    );
    report
}
