//! Q6 `sync_on_current_queue` — a job calls `sync` on the queue it runs on and waits for itself
//! forever; the checked [`SerialQueue`] refuses the call at once.
//!
//! Ports the guide's "Main Queue" (L1501–1539; the code is L1527–1536) and its pitfall lists
//! (L768, L1524): "Using `DispatchQueue.main.sync` can cause deadlocks". The guide gives advice
//! only — a commented-out line, `// DispatchQueue.main.sync { } // ❌ Never do this!` — and the
//! advice is right but incomplete: the hazard is *any* `sync` onto a serial queue that the current
//! code already runs on, not only the main queue, and not only directly (`A.sync { B.sync {
//! A.sync { } } }` is the same deadlock). `sync` onto the main queue from a background thread is
//! fine, if the main queue is not waiting for that thread.
//!
//! * **broken** ([`broken`]): the job runs on `main-queue` (the stand-in for the main queue) and
//!   calls `main-queue.sync` through [`naive_queue_model`]'s unchecked `sync`. The sync job is enqueued
//!   behind the running job, which waits for it: a real deadlock on real threads, every time — no
//!   interleaving is needed, so no gate forces one. Both waits are recorded (the model's `sync`
//!   and its worker's wait for the next job go through `kit::wait`), so the [`watchdog`] proves
//!   the deadlock at once — every thread waits and nothing can wake any — and names the waits.
//! * **fixed** ([`fixed`]): the same call through the checked `SerialQueue`, whose queue-specific
//!   key (GCD's `dispatch_get_specific`) tells it the caller already runs on the queue: `sync`
//!   returns `WouldDeadlock` at once and the job runs the work directly.
//!
//! Not in the guide: current libdispatch (`__DISPATCH_WAIT_FOR_QUEUE__`) catches the simplest case
//! itself and traps, crashing the app ("dispatch_sync called on queue already owned by current
//! thread") rather than hanging — a crash is a loud version of the same bug, not a fix.
//!
//! **Why a model, not the library**: the library's `SerialQueue::sync` refuses a call from its own
//! queue at once — that check *is* the fix. The deadlock needs a queue without it, so
//! [`naive_queue_model`] (the library's queue minus the check) lives in this folder, used only by
//! the broken twin, and the library never ships it.

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::say;
use racelab_kit::trace::{Step, Trace, traced};
use racelab_kit::wait;
use racelab_kit::watchdog::{self, Outcome};

use naive_queue_model::NaiveSerialQueue;
use racelab_dispatch::serial_queue::SerialQueue;

pub mod broken;
pub mod fixed;
pub mod naive_queue_model;

/// The label of the queue standing in for the main queue.
pub const LABEL: &str = "main-queue";

/// What both twins' refresh says when its second half has run.
pub const UPDATED_AGAIN: Step = Step("updates the UI again");

// ANCHOR: scenario
/// On real threads, under the watchdog: `main` creates the queue and enqueues the refresh; once
/// the refresh has made its move (it waits, or it has finished its work), `main` waits for the
/// queue to drain with a `sync` of its own. The gate only fixes the order of the narration; the
/// deadlock needs no help.
pub fn scenario(variant: Variant) -> Outcome<()> {
    watchdog::watch(move || {
        let moved = || {
            let what = format!("{LABEL} blocks in sync or finishes the refresh");
            let waits = naive_queue_model::WAITS_FOR;
            wait::until(what, || {
                wait::reached_on(LABEL, waits, LABEL) || wait::reached(LABEL, UPDATED_AGAIN)
            });
        };
        match variant {
            Variant::Broken => {
                let queue = NaiveSerialQueue::new(LABEL);
                broken::refresh(&queue);
                moved();
                queue.sync(|| ());
            }
            Variant::Fixed => {
                let queue = SerialQueue::new(LABEL);
                fixed::refresh(&queue);
                moved();
                queue.sync(|| ()).expect("main is not on main-queue");
            }
        }
        say!("sees {LABEL} drained: the refresh is done");
    })
}
// ANCHOR_END: scenario

/// Runs the scenario for one twin and returns its trace.
pub fn run_scenario(variant: Variant) -> (Outcome<()>, Trace) {
    traced(|_| scenario(variant))
}

/// Whether some thread's last words are the queue's own job waiting for the queue.
pub fn waits_for_itself(trace: &Trace) -> bool {
    watchdog::last_words(trace)
        .iter()
        .any(|l| l.actor == LABEL && l.text.starts_with(&format!("waits for {LABEL} ")))
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "Q6",
    name: "sync_on_current_queue",
    summary: "a job calls sync on its own serial queue and waits for itself; the checked sync refuses",
    run: demo,
};

/// The demo: the refresh on real threads, under the watchdog.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading(format!(
        "real threads: a job on {LABEL} calls {LABEL}.sync, then main waits for {LABEL} to drain"
    ));
    let (watched, trace) = run_scenario(variant);
    report.trace(&trace);
    let bug = match (variant, watched) {
        (_, Outcome::Finished(())) => {
            report.line("=> the refresh finished and the queue drained.");
            None
        }
        (_, Outcome::Deadlocked(proof)) => Some(format!("deadlock: {}", report.deadlocked(&proof))),
        // The backstop proves nothing: a broken run that only stalls is a miss, not a catch.
        (_, Outcome::Stalled { idle }) => report.stall(idle, &trace),
    };
    report.conclude(
        bug,
        format!("{LABEL}.sync from {LABEL}'s own job is refused at once and the queue drains"),
    );
    report
}
