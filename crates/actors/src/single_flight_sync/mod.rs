//! A12 `single_flight_sync` — the guide's `isSyncing` guard is right; what goes wrong is the
//! second caller: it returns `Ok` at once while the sync it asked for is still running, and never
//! sees that sync fail.
//!
//! Ports the guide's `actor DataSynchronizer` ("4. Real-Time Data Synchronization", L5631–5655).
//!
//! * **Right, and worth copying:** `guard shouldSync() && !isSyncing` then `isSyncing = true`
//!   (L5641–5643) run before the first `await`. An actor runs the code between two suspension
//!   points without interruption, so two concurrent calls can never both start a sync. (The
//!   inventory's "double run" is REFUTED: the trace shows one "starts a sync".)
//! * **Wrong:** the `else { return }` makes a caller that arrives during a sync return at once,
//!   with success. `try await syncIfNeeded()` then reads data that is not synced yet, and the
//!   sync's error goes only to the first caller.
//!
//! The check ([`two_callers_one_result`]): caller A calls `syncIfNeeded()`; as soon as its sync has
//! started, caller B calls too. The sync takes [`SYNC_TAKES`] (2 s of paused time) and fails.
//! Both callers must return when the sync ends, with its result.
//!
//! * [`broken`] is the guide's code: B returns `Ok(())` at t=0ms; A gets the error at t=2000ms.
//! * [`fixed`] keeps the sync *in flight* (a `futures_util` `Shared` future) in place of the
//!   `isSyncing` flag: a caller that finds one awaits it, so A and B both return at t=2000ms
//!   with the same `Err`. A declared rewrite (`scripts/twin-diff`): the key lines are
//!   `in_flight: Option<Shared<…>>` replacing `is_syncing: bool`, and the `if let Some(sync)` that
//!   joins it instead of returning.
//!
//! The second lesson, [`backoff`]: a failed sync is retried by the very next call — no backoff.
//!
//! How it is caught: **one forced schedule** on the paused clock. B calls only after a [`Gate`]
//! says A's sync has started; only the scenario narrates the results, so no line depends on which
//! of the two callers tokio wakes first at t=2000ms.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::time::Duration;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::rt::{self, Clock, Gate};
use racelab_kit::say;
use racelab_kit::trace::{Trace, traced};

pub mod backoff;
pub mod broken;
pub mod fixed;

/// How long a sync takes (`Task.sleep(nanoseconds: 2_000_000_000)`; paused time: exact, free).
pub const SYNC_TAKES: Duration = Duration::from_secs(2);

/// `syncInterval`: no new sync within 5 minutes of the last good one.
pub const SYNC_INTERVAL: Duration = Duration::from_secs(300);

/// Why a sync failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SyncError {
    /// The server did not answer.
    ServerUnavailable,
    /// The last sync failed and the backoff has not passed yet (only [`backoff::fixed`] says so).
    BackingOff,
}

/// The server the sync talks to: counts syncs, opens `started` when one begins, and fails after
/// [`SYNC_TAKES`]. It says nothing itself.
#[derive(Debug)]
pub struct Backend {
    runs: AtomicUsize,
    started: Gate,
}

impl Backend {
    /// No syncs yet.
    pub fn new() -> Self {
        Backend {
            runs: AtomicUsize::new(0),
            started: Gate::new("a sync has started"),
        }
    }

    /// `performSync()`: takes [`SYNC_TAKES`], then fails.
    pub async fn perform_sync(&self) -> Result<(), SyncError> {
        self.runs.fetch_add(1, SeqCst);
        self.started.open();
        tokio::time::sleep(SYNC_TAKES).await;
        Err(SyncError::ServerUnavailable)
    }

    /// How many syncs have started.
    pub fn runs(&self) -> usize {
        self.runs.load(SeqCst)
    }

    /// Opens when the first sync starts.
    pub fn started(&self) -> &Gate {
        &self.started
    }
}

impl Default for Backend {
    fn default() -> Self {
        Self::new()
    }
}

/// What both twins are: the guide's `DataSynchronizer`.
pub trait Synchronizer: Send + Sync + 'static {
    /// A synchronizer that has never synced.
    fn new(backend: Arc<Backend>) -> Self;
    /// `syncIfNeeded()`.
    fn sync_if_needed(&self) -> impl Future<Output = Result<(), SyncError>> + Send;
}

// ANCHOR: check
/// Caller A calls `syncIfNeeded()`; once its sync has started, caller B calls too. Both must
/// return when the one sync ends, with its result.
pub async fn two_callers_one_result<S: Synchronizer>() -> Result<(), String> {
    let backend = Arc::new(Backend::new());
    let synchronizer = Arc::new(S::new(backend.clone()));
    let call = |synchronizer: Arc<S>| async move {
        say!("calls syncIfNeeded()");
        let result = synchronizer.sync_if_needed().await;
        (result, rt::now()) // reported by the scenario below, in a fixed order
    };
    let a = rt::spawn("caller A", call(synchronizer.clone()));
    backend.started().wait().await; // A's sync is running
    let b = rt::spawn("caller B", call(synchronizer));
    let (a, b) = (joined(a).await?, joined(b).await?);
    say!("caller A got {:?} at {}", a.0, a.1);
    say!("caller B got {:?} at {}", b.0, b.1);

    if backend.runs() != 1 {
        return Err(format!("{} syncs ran for two callers", backend.runs()));
    }
    if b != a {
        return Err(format!(
            "caller B got {:?} at {} while the sync was still running; it ended at {} with {:?}",
            b.0, b.1, a.1, a.0
        ));
    }
    Ok(())
}
// ANCHOR_END: check

/// A caller's result and when it returned, or why the caller's task failed.
async fn joined(
    task: tokio::task::JoinHandle<(Result<(), SyncError>, Clock)>,
) -> Result<(Result<(), SyncError>, Clock), String> {
    task.await.map_err(|e| e.to_string())
}

/// Runs the check for one twin on the paused clock, with a trace installed.
pub fn run(variant: Variant) -> (Result<(), String>, Trace) {
    traced(|_| match variant {
        Variant::Broken => rt::run_as("app", two_callers_one_result::<broken::DataSynchronizer>()),
        Variant::Fixed => rt::run_as("app", two_callers_one_result::<fixed::DataSynchronizer>()),
    })
}

/// Runs the second lesson's check ([`backoff::a_failed_sync_backs_off`]) the same way.
pub fn run_backoff(variant: Variant) -> (Result<(), String>, Trace) {
    traced(|_| match variant {
        Variant::Broken => rt::run_as(
            "app",
            backoff::a_failed_sync_backs_off::<backoff::broken::DataSynchronizer>(),
        ),
        Variant::Fixed => rt::run_as(
            "app",
            backoff::a_failed_sync_backs_off::<backoff::fixed::DataSynchronizer>(),
        ),
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "A12",
    name: "single_flight_sync",
    summary: "a caller that finds a sync running returns Ok at once and never sees it fail; a \
              failed sync is retried at once",
    run: demo,
};

/// The demo: the scenario, narrated.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading(format!(
        "paused clock: a sync takes {} ms and fails; caller B calls while caller A's sync runs",
        SYNC_TAKES.as_millis()
    ));
    let (single, trace) = run(variant);
    report.trace(&trace);
    report.heading(format!(
        "paused clock: the sync fails; the app calls again at once, then after a {} s backoff",
        backoff::BACKOFF.as_secs()
    ));
    let (backoff, trace) = run_backoff(variant);
    report.trace(&trace);

    // Caught only if every check found its bug; holds only if none did.
    report.conclude_each(
        [single, backoff],
        "one sync ran, both callers got its error at t=2000ms, and a failure backs off 30 s",
    );
    report
}
