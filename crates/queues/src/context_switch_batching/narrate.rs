//! Q5's demo narration: `processData([a, b, c])` with the items finishing in reverse order, what
//! main's screen showed, and the verdict.

use racelab_kit::demo::{Report, Variant};
use racelab_kit::watchdog::Outcome as Watched;

use super::check;
use super::harness::{Pace, run_scenario};

/// The demo: `processData([a, b, c])` with the items finishing in reverse order.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading(
        "real threads: main processes a, b, c on a 3-worker global queue; gates make them finish c, b, a",
    );
    let (watched, trace) = run_scenario(variant.into(), Pace::Reversed);
    report.trace(&trace);
    let bug = match watched {
        Watched::Finished(outcome) => {
            report.line(format!(
                "=> main's screen, in update order: {}; main was woken {} time(s) to update it.",
                outcome.screen.join(", "),
                outcome.hops
            ));
            check(&outcome).err()
        }
        // No twin blocks for good: a proof or a stall is a failed scenario, never a catch.
        Watched::Deadlocked(proof) => {
            let waits = report.deadlocked(&proof);
            (variant == Variant::Fixed).then(|| format!("deadlock: {waits}"))
        }
        Watched::Stalled { idle } => report.stall(idle, &trace),
    };
    report.conclude(
        bug,
        "main shows A, B, C in input order after one hop, however the items finish",
    );
    report
}
