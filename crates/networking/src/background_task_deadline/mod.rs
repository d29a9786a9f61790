//! N13 `background_task_deadline` — a background task the system granted until a deadline: the
//! expiration handler must stop the work, and the task must be completed exactly once.
//!
//! Ports the guide's "Background App Refresh Strategies" (L3573–3705): `BackgroundRefreshManager`
//! and its `handleBackgroundRefresh(_:)` (L3656–3672). What the guide gets wrong, confirmed
//! against its code:
//!
//! * The expiration handler (L3658–3660) calls `setTaskCompleted(success: false)` but does not
//!   stop the work, so the work runs on past the deadline and then calls `setTaskCompleted`
//!   again (L3669): the task is completed twice.
//! * Nothing submits the next `BGAppRefreshTaskRequest` while handling this one, so the app
//!   refreshes at most once per `scheduleBackgroundRefresh()` call.
//! * `performBackgroundWork` captures `self` strongly (L3677) although the caller wrote
//!   `[weak self]` (L3663); not ported (no ownership question here).
//!
//! `BGTaskScheduler` is Apple-only. This is its **portable core**, not a fake of the platform:
//! [`BgTask`] is a simulated grant (the check plays the system: it calls the expiration handler
//! at the deadline and records every `set_task_completed` and submitted request); the lesson —
//! the expiration handler cancels the work, and completion happens once — is tokio's
//! [`CancellationToken`] and nothing platform-specific.
//!
//! * [`broken`] hands the work a token nobody cancels, as the guide hands it nothing.
//! * [`fixed`] submits the next request first, and its expiration handler cancels the work
//!   before it completes the task.
//!
//! How it is caught: **one forced schedule** on the paused clock ([`rt::run`]): deadline 30 s,
//! work 60 s, exact and free; only one task is ready at any time, so the trace is the same
//! whichever ready task tokio would poll first.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::rt::{self, Clock};
use racelab_kit::say;
use racelab_kit::sync::lock_unpoisoned;
use racelab_kit::trace::{Trace, traced};
use tokio_util::sync::CancellationToken;

pub mod broken;
pub mod fixed;

/// How long the system lets the task run before it calls the expiration handler.
pub const DEADLINE: Duration = Duration::from_secs(30);

/// How long `syncData()` takes (the guide's `Thread.sleep`, made longer than the deadline).
pub const WORK: Duration = Duration::from_secs(60);

/// What the simulated system records about one granted task.
#[derive(Default)]
struct Record {
    expiration_handler: Option<Box<dyn FnOnce() + Send>>,
    completions: Vec<(Clock, bool)>,
    submitted: Vec<Clock>,
}

/// A granted background task (`BGAppRefreshTask`), simulated. Clones share the task.
#[derive(Clone, Default)]
pub struct BgTask(Arc<Mutex<Record>>);

impl BgTask {
    /// `task.expirationHandler = { … }`.
    pub fn set_expiration_handler(&self, handler: impl FnOnce() + Send + 'static) {
        lock_unpoisoned(&self.0).expiration_handler = Some(Box::new(handler));
    }

    /// `task.setTaskCompleted(success:)`.
    pub fn set_task_completed(&self, success: bool) {
        say!("setTaskCompleted(success: {success}) at {}", rt::now());
        lock_unpoisoned(&self.0)
            .completions
            .push((rt::now(), success));
    }

    /// The system side: the deadline came and the task is not completed — run the handler.
    fn expire(&self) {
        let handler = lock_unpoisoned(&self.0).expiration_handler.take();
        if let Some(handler) = handler {
            handler();
        }
    }
}

/// `scheduleBackgroundRefresh()`: submits the next `BGAppRefreshTaskRequest` (recorded).
pub fn schedule_background_refresh(task: &BgTask) {
    say!("submits the next refresh request");
    lock_unpoisoned(&task.0).submitted.push(rt::now());
}

/// `performBackgroundWork(completion:)`: the sync runs in a task of its own ("work") for
/// [`WORK`], unless `cancel` fires first; only a finished sync calls `completion`.
pub fn perform_background_work(
    cancel: CancellationToken,
    completion: impl FnOnce(bool) + Send + 'static,
) {
    rt::spawn("work", async move {
        say!("starts syncing ({} s of work)", WORK.as_secs());
        tokio::select! {
            biased;
            () = cancel.cancelled() => say!("sees the cancellation at {} and stops", rt::now()),
            () = tokio::time::sleep(WORK) => {
                say!("finishes the sync at {}", rt::now());
                completion(true);
            }
        }
    });
}

/// What both twins are: the app's handler for a granted refresh task.
pub trait RefreshManager: Default {
    /// `handleBackgroundRefresh(_:)`.
    fn handle_background_refresh(&self, task: BgTask);
}

// ANCHOR: check
/// The system grants a task with a 30 s deadline; the work needs 60 s. By the end, the task must
/// have been completed exactly once, by the deadline, and the next refresh must be submitted.
pub async fn work_that_outlives_its_deadline<M: RefreshManager>() -> Result<(), String> {
    let task = BgTask::default();
    say!(
        "grants the refresh task; deadline in {} s",
        DEADLINE.as_secs()
    );
    M::default().handle_background_refresh(task.clone());
    tokio::time::sleep(DEADLINE).await;
    if lock_unpoisoned(&task.0).completions.is_empty() {
        say!(
            "the deadline has come at {}: calls the expiration handler",
            rt::now()
        );
        task.expire();
    }
    tokio::time::sleep(WORK).await; // time for anything still running to show itself
    let record = lock_unpoisoned(&task.0);
    let mut wrong = Vec::new();
    let late = record
        .completions
        .iter()
        .filter(|(t, _)| t.0 > DEADLINE)
        .count();
    if record.completions.len() != 1 || late > 0 {
        wrong.push(format!(
            "completed {} times, {late} past the deadline",
            record.completions.len()
        ));
    }
    if record.submitted.is_empty() {
        wrong.push("no next refresh submitted".to_owned());
    }
    if wrong.is_empty() {
        Ok(())
    } else {
        Err(wrong.join("; "))
    }
}
// ANCHOR_END: check

/// Runs the check for one twin on the paused clock, with a trace installed.
pub fn run(variant: Variant) -> (Result<(), String>, Trace) {
    traced(|_| match variant {
        Variant::Broken => rt::run_as(
            "system",
            work_that_outlives_its_deadline::<broken::BackgroundRefreshManager>(),
        ),
        Variant::Fixed => rt::run_as(
            "system",
            work_that_outlives_its_deadline::<fixed::BackgroundRefreshManager>(),
        ),
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "N13",
    name: "background_task_deadline",
    summary: "an expiration handler that does not stop the work completes the task twice",
    run: demo,
};

/// The demo: the scenario, narrated.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading(format!(
        "paused clock: a refresh task granted for {} s; the sync needs {} s",
        DEADLINE.as_secs(),
        WORK.as_secs()
    ));
    let (outcome, trace) = run(variant);
    report.trace(&trace);
    report.conclude(
        outcome.err(),
        "completed once, by the deadline; the work stopped; next refresh submitted",
    );
    report
}
