//! R10 `priority_inheritance_sim` — the guide's `PriorityInheritanceLock` does the opposite of
//! priority inheritance.
//!
//! Ports the guide's "Solution: Priority inheritance" (L4909–4953). Priority inheritance raises the
//! *owner* of a lock to the priority of its most urgent *waiter* while the lock is held, so that
//! medium-priority work cannot keep the owner — and through it the waiter — off the CPU. The
//! guide's lock:
//!
//! * never raises the owner: `lock()` (L4915–4931) only adds the caller to `waitingThreads`;
//! * after `unlock()` has released the lock (L4939–4942), sets every waiter whose quality of
//!   service is *higher* than the unlocker's to the unlocker's *lower* one (L4947–4949), and never
//!   sets it back: the "boost" demotes the waiter it was meant to help;
//! * appends to `waitingThreads` before holding the lock (L4922) and iterates it after releasing
//!   it (L4946), while the woken waiter removes itself under the lock (L4928): a data race on a
//!   Swift `Array`. Safe Rust does not compile that shape
//!   (`tests/compile_fail/priority_inheritance_sim.rs`, E0277);
//! * assigns `thread.qualityOfService` on a running thread, which `NSThread.h` documents as
//!   "read-only after the thread is started";
//! * compares `rawValue`s, where `.default` is -1: below `.background` (9), although the
//!   default class sits between user-initiated and utility.
//!
//! The demo runs the guide's algorithm literally ([`broken::PriorityInheritanceLock`]) on R9's
//! simulator, on R9's task set and the same check: H's response time must be at most its own work
//! plus one critical section of Lo's. The guide's lock does no better than a plain lock there
//! (15 ticks against a bound of 6), and when more medium work arrives after the hand-over, the
//! demoted H does *worse* than with a plain lock. Real inheritance ([`fixed`]) meets the bound.

use racelab_kit::demo::{Demo, Report, Variant};

use crate::priority_inversion_sim::sim::{LockProtocol, Step, Task, simulate, task};
use crate::priority_inversion_sim::{self as r9, Checked, check, guide_tasks};

pub mod broken;
pub mod fixed;

// ANCHOR: late
/// R9's task set plus M2, more medium-priority work (5 ticks, no lock) arriving at t=15 — after
/// H has been handed the lock under the guide's protocol.
pub fn late_medium_tasks() -> Vec<Task> {
    let mut tasks = guide_tasks();
    tasks.insert(2, task("M2", 2, 15, &[Step::Compute(5)]));
    tasks
}
// ANCHOR_END: late

/// The two task sets the demo runs, with a heading for each.
pub fn scenarios() -> [(&'static str, Vec<Task>); 2] {
    [
        ("R9's three tasks", guide_tasks()),
        (
            "R9's three tasks, and M2 (priority 2) arriving at t=15",
            late_medium_tasks(),
        ),
    ]
}

/// Runs the check on `tasks` under `protocol`.
pub fn check_with(tasks: &[Task], protocol: &dyn LockProtocol) -> Checked {
    check(&simulate(tasks, protocol))
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "R10",
    name: "priority_inheritance_sim",
    summary: "simulated: the guide's \"inheritance\" lock demotes the waiter; real inheritance bounds the wait",
    run: demo,
};

/// The demo: both task sets under the guide's lock (broken) or real inheritance (fixed), each
/// compared with a plain lock.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    let protocol: &dyn LockProtocol = match variant {
        Variant::Broken => &broken::PriorityInheritanceLock,
        Variant::Fixed => &fixed::PriorityInheritanceLock,
    };
    let mut found = Vec::new();
    let mut missed = false;
    for (title, tasks) in scenarios() {
        report.heading(format!("simulated, one CPU, {}: {title}", protocol.name()));
        let checked = r9::narrate::run(&mut report, &tasks, protocol);
        let plain = check_with(&tasks, &r9::broken::NoProtocol);
        let (h, p) = (checked.response, plain.response);
        let compared = match h.zip(p).map(|(h, p)| h.cmp(&p)) {
            Some(std::cmp::Ordering::Greater) => "worse than",
            Some(std::cmp::Ordering::Equal) => "no better than",
            _ => "better than",
        };
        let plain_took = p.map_or("never finishes".to_string(), |p| format!("{p} ticks"));
        report.line(format!(
            "=> {compared} a plain lock, where H takes {plain_took}"
        ));
        missed |= !checked.holds();
        found.push(format!(
            "{title}: {}, {compared} a plain lock",
            checked.short()
        ));
    }
    report.conclude(missed.then(|| found.join("; ")), found.join("; "));
    report
}
