//! R9's narration: one simulated run told in full — the tasks, what happened tick by tick, the
//! timeline, the response times and the check's verdict in words. R9's and R10's demos print it.
//!
//! Kept out of `mod.rs`, which holds the task set and the check; this file only turns a run and a
//! [`Checked`] into lines of a [`Report`].

use racelab_kit::demo::Report;

use super::sim::{LockProtocol, Task, simulate};
use super::timeline::LEGEND;
use super::{Checked, check};

impl Checked {
    /// In a few words: `H took 15 ticks (bound 6): over by 9`.
    pub fn short(&self) -> String {
        match (self.response, self.over_by()) {
            (Some(r), Some(0)) => format!("H took {r} ticks (bound {})", self.bound()),
            (Some(r), Some(over)) => {
                format!("H took {r} ticks (bound {}): over by {over}", self.bound())
            }
            _ => format!("H never finished (bound {})", self.bound()),
        }
    }

    /// In words: `H took 15 ticks; the bound is 6 (…): over by 9`.
    pub fn describe(&self) -> String {
        let bound = format!(
            "the bound is {} (its own work {} + at most {} waiting for lower-priority critical sections)",
            self.bound(),
            self.own_work,
            self.blocking
        );
        match (self.response, self.over_by()) {
            (None, _) => format!("H never finished; {bound}"),
            (Some(r), Some(0)) => format!("H took {r} ticks; {bound}: within it"),
            (Some(r), Some(over)) => format!("H took {r} ticks; {bound}: over by {over}"),
            (Some(_), None) => unreachable!("a response time always has an overshoot"),
        }
    }
}

/// Narrates one simulated run into `report`: the tasks, what happened tick by tick, the
/// timeline, the response times and the check. Returns the check.
pub fn run(report: &mut Report, tasks: &[Task], protocol: &dyn LockProtocol) -> Checked {
    for task in tasks {
        report.line(task.describe());
    }
    let run = simulate(tasks, protocol);
    report.line("");
    for (t, text) in &run.log {
        report.line(format!("t={t}: {text}"));
    }
    report.line("");
    report.line(run.gantt().trim_end());
    report.line(LEGEND);
    report.line(run.responses());
    let checked = check(&run);
    report.line(format!("=> {}", checked.describe()));
    checked
}
