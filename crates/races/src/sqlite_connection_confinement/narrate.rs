//! R11's report: runs both checks for one twin and tells what became of them.

use racelab_kit::demo::{Report, Variant};
use racelab_kit::watchdog::Outcome;

use super::{run_overlapping_writes, save};

/// The demo: two overlapping writes, then two grants from copies read at the same time.
pub(super) fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    let mut bugs = Vec::new();

    report.heading("A keeps a write transaction open while B writes to the same database");
    let (watched, trace) = run_overlapping_writes(variant);
    report.trace(&trace);
    match watched {
        Outcome::Finished(overlap) => {
            report.line(format!("=> the table holds {:?}.", overlap.users));
            if let Some(failure) = overlap.failure() {
                report.line(format!("=> {failure}."));
                bugs.push(failure);
            }
        }
        Outcome::Deadlocked(proof) => {
            report.deadlocked(&proof);
            bugs.push("the writes got stuck".to_string());
        }
        Outcome::Stalled { idle } => {
            bugs.extend(report.stall(idle, &trace)); // never a catch: see Report::stall
        }
    }

    report.heading("A and B each grant ann 10 credits, from copies read at the same time");
    let (watched, trace) = save::run_two_grants(variant);
    report.trace(&trace);
    match watched {
        Outcome::Finished(20) => report.line("=> 2 grants of 10: ann has 20 credits."),
        Outcome::Finished(credits) => {
            bugs.push(format!("a lost update (2 grants of 10, {credits} credits)"));
            report.line(format!(
                "=> lost update: 2 grants of 10, but ann has {credits} credits."
            ))
        }
        Outcome::Deadlocked(proof) => {
            bugs.push("the grants got stuck".to_string());
            report.deadlocked(&proof);
            &mut report
        }
        Outcome::Stalled { idle } => {
            bugs.extend(report.stall(idle, &trace)); // never a catch: see Report::stall
            &mut report
        }
    };

    report.conclude(
        (!bugs.is_empty()).then(|| bugs.join("; ")),
        "an overlapping write waits its turn; a stale save is a conflict, retried, not a loss",
    );
    report
}
