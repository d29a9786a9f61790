//! R9 `priority_inversion_sim` — H waits for a lock that Lo holds, while M, which needs no lock,
//! takes the CPU from Lo.
//!
//! Ports the guide's "Priority Inversion Problems" (L4805–4907). Its prose is right: a
//! high-priority task blocked on a lock held by a low-priority task can wait without bound if
//! medium-priority work keeps the low one off the CPU, and priority inheritance or a priority
//! ceiling prevents it. Its demo (L4872–4906) shows none of that:
//!
//! * Nothing orders the tasks. The low and the high blocks are dispatched `async` to two queues;
//!   if the high one reaches `lock()` first it takes the lock and there is no inversion at all.
//! * Everybody sleeps. Lo "works" by sleeping 5 s while holding the lock (L4884) and M only
//!   sleeps (L4903). A sleeping thread needs no CPU, so M preempts nobody, and H's wait is just
//!   Lo's 5-second critical section — which no priority protocol can shorten.
//! * A phone has several cores: Lo, M and H can all run at once; inversion needs the CPU
//!   saturated by medium work.
//! * On Darwin, locks that record their owner let the system raise the owner's priority while a
//!   higher-priority thread waits (Apple's `os_unfair_lock` documentation says so; `NSLock` is
//!   built on `pthread_mutex`, which records its owner too). A `DispatchSemaphore` has no owner.
//!
//! Real-thread priorities cannot show it reliably either: strict priority scheduling on Linux
//! needs `SCHED_FIFO` and privileges, and CI has more than one core. So the demo runs on a small
//! deterministic simulator ([`sim`]): one CPU, fixed-priority preemptive scheduling, a tick clock,
//! tasks as scripts of `Compute`/`Lock`/`Unlock` steps. The guide's three tasks become:
//! Lo takes L at t=0 for 4 ticks; H, released at t=1, needs L for 2 ticks; M, released at t=2,
//! computes for 10 ticks and needs no lock.
//!
//! The check: H's response time must be at most its own work plus one critical section of Lo's
//! (the classic bound for priority inheritance). With a plain lock ([`broken::NoProtocol`]) H
//! waits for all of M's work as well and overshoots by 9 ticks; with
//! [`fixed::PriorityInheritance`] or [`ceiling::PriorityCeiling`] it holds. The demo's long
//! narration (the tick-by-tick log, the timeline, the verdict in words) is [`narrate`]'s job.

use racelab_kit::demo::{Demo, Report, Variant};

pub mod broken;
pub mod ceiling;
pub mod fixed;
pub mod narrate;
pub mod sim;
pub mod timeline;

use sim::{LockProtocol, Run, Step, Task, simulate, task};

// ANCHOR: tasks
/// The guide's three tasks (L4872–4906) with M computing for `m_work` ticks: Lo takes L at t=0
/// for 4 ticks; H arrives at t=1 and needs L for 2 ticks; M arrives at t=2 and needs no lock.
pub fn tasks_with(m_work: u32) -> Vec<Task> {
    use Step::*;
    vec![
        task("H", 3, 1, &[Lock("L"), Compute(2), Unlock("L")]),
        task("M", 2, 2, &[Compute(m_work)]),
        task("Lo", 1, 0, &[Lock("L"), Compute(4), Unlock("L")]),
    ]
}

/// The task set the check runs: M computes for 10 ticks.
pub fn guide_tasks() -> Vec<Task> {
    tasks_with(10)
}
// ANCHOR_END: tasks

/// What the check found about H: its response time and the bound it must meet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    /// H's response time (`None`: it never finished).
    pub response: Option<u32>,
    /// H's own work, in ticks.
    pub own_work: u32,
    /// The longest wait allowed: one critical section of each lower-priority task, on a lock H
    /// takes.
    pub blocking: u32,
}

impl Checked {
    /// Own work plus the allowed wait.
    pub fn bound(&self) -> u32 {
        self.own_work + self.blocking
    }

    /// Whether H's response time is within the bound.
    pub fn holds(&self) -> bool {
        self.response.is_some_and(|r| r <= self.bound())
    }

    /// How many ticks over the bound H took (`None` if it never finished).
    pub fn over_by(&self) -> Option<u32> {
        self.response.map(|r| r.saturating_sub(self.bound()))
    }
}

// ANCHOR: check
/// The check both twins run: H's response time must be at most its own work plus, for each task
/// of lower priority, its longest critical section on a lock H takes. That is the classic bound
/// for priority inheritance without nested locks (Sha, Rajkumar and Lehoczky, 1990): each lower
/// task can hold H up at most once, for at most one critical section.
pub fn check(run: &Run) -> Checked {
    let high = run.tasks.iter().find(|t| t.name == "H").expect("a task H");
    let locks_h_takes: Vec<_> = high.critical_sections().iter().map(|&(l, _)| l).collect();
    let blocking = run
        .tasks
        .iter()
        .filter(|t| t.priority < high.priority)
        .filter_map(|t| {
            let sections = t.critical_sections().into_iter();
            sections
                .filter(|(l, _)| locks_h_takes.contains(l))
                .map(|(_, ticks)| ticks)
                .max()
        })
        .sum();
    Checked {
        response: run.response("H"),
        own_work: high.work(),
        blocking,
    }
}
// ANCHOR_END: check

/// Simulates the guide's task set under `protocol`.
pub fn run(protocol: &dyn LockProtocol) -> Run {
    simulate(&guide_tasks(), protocol)
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "R9",
    name: "priority_inversion_sim",
    summary: "simulated: H waits on Lo's lock while M computes; inheritance or a ceiling bounds the wait",
    run: demo,
};

/// The demo: the guide's three tasks on the simulator, with a plain lock (broken) or with
/// priority inheritance and a priority ceiling (fixed).
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    let protocols: &[&dyn LockProtocol] = match variant {
        Variant::Broken => &[&broken::NoProtocol],
        Variant::Fixed => &[&fixed::PriorityInheritance, &ceiling::PriorityCeiling],
    };
    let mut bugs = Vec::new();
    let mut held = Vec::new();
    for protocol in protocols {
        report.heading(format!(
            "simulated, one CPU, {}: the guide's three tasks",
            protocol.name()
        ));
        let checked = narrate::run(&mut report, &guide_tasks(), *protocol);
        let summary = format!("{}: {}", protocol.name(), checked.short());
        if checked.holds() {
            held.push(summary);
        } else {
            bugs.push(summary);
        }
    }
    report.conclude((!bugs.is_empty()).then(|| bugs.join("; ")), held.join("; "));
    report
}
