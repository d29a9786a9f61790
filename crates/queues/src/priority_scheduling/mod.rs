//! Q7 `priority_scheduling` — "QoS determines execution order", taken literally, starves
//! low-priority work for as long as high-priority work keeps coming; aging bounds the wait.
//!
//! Ports the guide's "Global Queues" (L1541–1605; code L1572–1597), with "Queue Selection
//! Guidelines" (L5662–5672), "Task Prioritization" (L5674–5687) and the iOS notes on QoS
//! (L4865–4870). QoS is Apple-only, so the guide's claims are corrected in prose (book page) and
//! the idea they stand for is run on a model:
//!
//! * L1546 "Quality of Service (QoS): Priority system that determines execution order" is half
//!   right. QoS does decide which waiting work gets a thread first: libdispatch's
//!   `dispatch/queue.h` (`dispatch_queue_priority_t`) says a lower-priority global queue "will be
//!   scheduled for execution after all higher priority queues have been scheduled". It gives no
//!   strict order that waits for higher work to *finish*: the global queues are concurrent
//!   ("non-FIFO completion order", `dispatch_queue_create(3)`), and once a block has a thread its
//!   QoS feeds that thread's scheduling priority, I/O throttling and timer coalescing, so
//!   lower-QoS work can run beside higher-QoS work, and finish first.
//! * L1552–1556 and L1600–1604 give each class a latency (0.1 s, 0.2 s, 0.5 s, 2.0 s, 10+ s).
//!   Apple's Energy Efficiency Guide describes the classes only qualitatively (work that should
//!   feel instantaneous … work that may take minutes or hours); no latency is promised.
//! * L1557 lists `.unspecified` as a level: it is the *absence* of a QoS (the value you read back
//!   when none was set), not a class to choose.
//!
//! The model: [`PriorityQueue`] — one worker, numbered steps. An animation submits frame 1 at high
//! priority and each frame asks for the next ([`FRAMES`] in all), a search runs at normal priority
//! and a cleanup at low, all submitted before the queue is activated ([`submit`]). The check: no
//! job waits more than [`BOUND`] steps.
//!
//! * **broken** ([`broken`]): strict priority — "determines execution order" read literally, on a
//!   single worker, where "the highest waiting job gets the thread first" is the whole order. The
//!   search and the cleanup wait for every frame: the cleanup runs at step 14 after waiting 13, and
//!   the wait grows with the animation, without bound.
//! * **fixed** ([`fixed`]): aging (one level per [`AGE_EVERY`] steps waited): the search runs at
//!   step 4, the cleanup at step 7, and the bound holds however long the animation runs.
//!
//! Deterministic by construction: everything is submitted before activation and later work only by
//! jobs on the worker itself, so the order depends on the policy alone. OS thread priorities
//! (`nice`, `SCHED_*`, the `thread-priority` crate) are discussed in prose only.

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::say;
use racelab_kit::trace::{Trace, traced};
use racelab_kit::watchdog::GATE_TIMEOUT;

use racelab_dispatch::priority_queue::{Priority, PriorityQueue, Ran};

pub mod broken;
pub mod fixed;

/// The work queue's label.
pub const LABEL: &str = "work.queue";

/// How many frames the animation runs.
pub const FRAMES: usize = 12;

/// The fixed twin's aging rate: one priority level per this many steps waited.
pub const AGE_EVERY: usize = 3;

/// The check: no job waits more than this many steps — from low to high at the aging rate.
pub const BOUND: usize = 2 * AGE_EVERY;

// ANCHOR: submit
/// The guide's three kinds of work on one queue: `.userInteractive` frames, `.default` search,
/// `.background` cleanup (L1572–1597). Each frame asks for the next, up to `frames`.
pub fn submit(queue: &PriorityQueue, frames: usize) {
    animate(queue, 1, frames);
    queue.dispatch_async(Priority::Normal, "search", || ());
    queue.dispatch_async(Priority::Low, "cleanup", || ());
}

fn animate(queue: &PriorityQueue, frame: usize, frames: usize) {
    let next = queue.clone();
    queue.dispatch_async(Priority::High, format!("frame {frame}"), move || {
        if frame < frames {
            animate(&next, frame + 1, frames);
        }
    });
}
// ANCHOR_END: submit

/// Runs one twin's queue with an animation of `frames` frames; returns its log.
pub fn run_queue(variant: Variant, frames: usize) -> Vec<Ran> {
    let queue = match variant {
        Variant::Broken => broken::work_queue(),
        Variant::Fixed => fixed::work_queue(),
    };
    submit(&queue, frames);
    say!(
        "submits frame 1 (high; each frame asks for the next, {frames} in all), search (normal) \
         and cleanup (low); activates {LABEL}"
    );
    queue.activate();
    assert!(queue.wait_idle(GATE_TIMEOUT), "{LABEL} never went idle");
    queue.ran()
}

/// Runs the demo's scenario ([`FRAMES`] frames) with a fresh trace installed.
pub fn run_scenario(variant: Variant) -> (Vec<Ran>, Trace) {
    traced(|_| run_queue(variant, FRAMES))
}

// ANCHOR: check
/// The check both twins run: `Some(what went wrong)` when a job waited more than [`BOUND`] steps.
pub fn check(ran: &[Ran]) -> Option<String> {
    let worst = ran.iter().max_by_key(|r| (r.waited, r.step))?;
    (worst.waited > BOUND).then(|| {
        format!(
            "starvation: {} ({}) waited {} steps (bound {BOUND}) behind a stream of high-priority work",
            worst.name, worst.priority, worst.waited
        )
    })
}
// ANCHOR_END: check

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "Q7",
    name: "priority_scheduling",
    summary: "strict priority order (what the guide says QoS does) starves low-priority work; aging bounds the wait",
    run: demo,
};

/// The demo: the animation, the search and the cleanup on one priority queue.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    let policy = match variant {
        Variant::Broken => "strict priority".to_string(),
        Variant::Fixed => format!("aging, one level per {AGE_EVERY} steps waited"),
    };
    report.heading(format!("one worker, numbered steps ({policy})"));
    let (ran, trace) = run_scenario(variant);
    report.trace(&trace);
    if let Some(worst) = ran.iter().max_by_key(|r| (r.waited, r.step)) {
        report.line(format!(
            "=> the longest wait: {} ({}), {} steps; the bound is {BOUND}.",
            worst.name, worst.priority, worst.waited
        ));
    }
    report.conclude(
        check(&ran),
        format!("every job runs within {BOUND} steps of being submitted"),
    );
    report
}
