//! Q2 `operation_dependencies` — cancelling a download does not cancel what depends on it: with
//! `OperationQueue` semantics, `process` runs on no data and `save` stores an empty thumbnail, and
//! a dependency cycle silently never runs. The library's [`OperationGraph`] passes results
//! downstream, skips the dependents of a cancelled operation, and refuses a cycle.
//!
//! Ports the guide's "2. Operation and OperationQueue" (L81–114; the code is L98–114). The guide
//! shows `downloadOperation.cancel()` (L113) as the way to stop the pipeline. Apple's documentation
//! says otherwise: dependencies "make no distinction about whether a dependent operation finished
//! successfully or unsuccessfully. (In other words, canceling an operation similarly marks it as
//! finished.) It is up to you to determine whether an operation with dependencies should proceed"
//! (`NSOperation` class reference). So `processOperation` and `saveOperation` still run, unless
//! each one checks its dependencies for cancellation, and the snippet never shows how the image
//! gets from one operation to the next. A dependency cycle, which `addDependency` accepts, is "a
//! programmer error that will prevent the affected operations from ever running" (Concurrency
//! Programming Guide) — nothing reports it; a `waitUntilAllOperationsAreFinished()` hangs.
//!
//! * **broken** ([`broken`]): the pipeline on [`operation_queue_model`], a model of `OperationQueue`
//!   with its documented semantics, on one worker (serial). The download waits for a [`Server`]
//!   that never answers; once it has asked (a gate on its [`ASKS`] step, no sleep), `main` cancels
//!   it. `process` then runs on 0 bytes and the database gets an empty thumbnail — every run. Then
//!   the cycle: `download.add_dependency(&save)` is accepted, and the wait for the queue hangs. The
//!   model records its waits (a worker's for a ready operation, `main`'s for every operation to
//!   finish), so the [`watchdog`] proves the hang at once: every thread waits, nothing can wake any.
//! * **fixed** ([`fixed`]): the same pipeline on [`OperationGraph`]: the download's outcome is
//!   `Err(Cancelled)`, so `process` and `save` are skipped and the database stays empty; the cycle
//!   is refused at `add_dependency` with the cycle spelled out.
//! * [`with_tokio`]: the same pipeline the way async Rust would write it — tasks on a
//!   `current_thread` runtime, outcomes as `Result`, and `tokio_util`'s `CancellationToken`, whose
//!   `child_token()` carries a cancellation down the pipeline.
//!
//! Dependencies: `tokio` (rt, sync, macros) and `tokio-util` (its `CancellationToken`), for
//! [`with_tokio`] only — the professional tool for async cancellation trees.
//!
//! **Why a model, not the library**: Foundation's `OperationQueue` semantics (a cancelled
//! dependency counts as finished; a cycle is accepted) are the bug, and the library's
//! `OperationGraph` is the fix. So the model of `OperationQueue` lives in this folder
//! ([`operation_queue_model`]), used only by the broken twin. The fixed twin is a declared rewrite
//! onto the library's API, not a line-level fix: results travel along the edges.

use std::sync::{Arc, Mutex};

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::latch::Latch;
use racelab_kit::trace::{Step, Trace, traced};
use racelab_kit::watchdog::{self, Outcome};
use racelab_kit::{say, step, wait};

use operation_queue_model::OperationQueue;
use racelab_dispatch::cancel::CancelToken;
use racelab_dispatch::operation::OperationGraph;

pub mod broken;
pub mod fixed;
pub mod operation_queue_model;
pub mod with_tokio;

/// What the download says as it asks the server: `asks the server for the image`.
pub const ASKS: Step = Step("asks the server");

/// What `process` says when it runs: `processes <n> bytes of image`.
pub const PROCESSES: Step = Step("processes");

/// A stand-in for the image server: it answers with some bytes, or never.
#[derive(Clone)]
pub struct Server {
    response: Option<Vec<u8>>,
    aborted: Arc<Latch>,
}

impl Server {
    /// A server that never answers: a request waits until it is cancelled.
    pub fn silent() -> Self {
        Self::with(None)
    }

    /// A server that answers every request with `image` at once.
    pub fn answering(image: Vec<u8>) -> Self {
        Self::with(Some(image))
    }

    fn with(response: Option<Vec<u8>>) -> Self {
        Server {
            response,
            aborted: Arc::default(),
        }
    }

    // ANCHOR: fetch
    /// Requests the image and waits for it — or until `token` is cancelled, which aborts the
    /// request (as cancelling a download operation cancels its `URLSessionTask`).
    pub fn fetch(&self, token: &CancelToken) -> Option<Vec<u8>> {
        step!(ASKS, " for the image");
        let aborted = self.aborted.clone();
        token.on_cancel(move || aborted.open());
        match &self.response {
            Some(image) => say!("downloads {} bytes of image", image.len()),
            None => {
                self.aborted.wait(); // no answer is coming: wait for the cancel
                say!("gives up: the request was cancelled");
            }
        }
        self.response.clone()
    }
    // ANCHOR_END: fetch
}

/// The database the thumbnails are saved to. Cloning shares it.
#[derive(Clone, Default)]
pub struct Database {
    records: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl Database {
    /// Saves a thumbnail.
    pub fn save(&self, thumbnail: Vec<u8>) {
        say!("saves a {}-byte thumbnail to the database", thumbnail.len());
        self.records.lock().unwrap().push(thumbnail);
    }

    /// What has been saved.
    pub fn records(&self) -> Vec<Vec<u8>> {
        self.records.lock().unwrap().clone()
    }
}

/// Shrinks an image to a thumbnail: every other byte.
pub fn make_thumbnail(image: &[u8]) -> Vec<u8> {
    image.iter().step_by(2).copied().collect()
}

/// The image a [`Server::answering`] server sends in these scenarios.
pub const IMAGE: [u8; 4] = [0x89, b'P', b'N', b'G'];

// ANCHOR: cancel_scenario
/// On real threads, under the watchdog: the pipeline on one worker, a server that never answers;
/// `main` cancels the download once it has asked (a gate on its [`ASKS`] step), waits for
/// everything to settle, and returns what the database holds.
pub fn cancel_scenario(variant: Variant) -> Outcome<Vec<Vec<u8>>> {
    watchdog::watch(move || {
        let asked = || {
            wait::until("download asks the server", || {
                wait::reached("download", ASKS)
            })
        };
        let db = Database::default();
        match variant {
            Variant::Broken => {
                let queue = OperationQueue::new(1);
                let ops = broken::pipeline(Server::silent(), db.clone());
                queue.add_operations(&ops);
                asked();
                ops[0].cancel(); // downloadOperation.cancel()
                queue.wait_until_all_operations_are_finished();
            }
            Variant::Fixed => {
                let mut graph = OperationGraph::new();
                let [download, ..] = fixed::pipeline(&mut graph, Server::silent(), db.clone());
                let token = graph.token(download);
                let running = graph.start(1);
                asked();
                token.cancel();
                running.wait();
            }
        }
        let records = db.records();
        say!(
            "sees every operation settled; the database holds {} record(s)",
            records.len()
        );
        records
    })
}
// ANCHOR_END: cancel_scenario

// ANCHOR: cycle_scenario
/// On real threads, under the watchdog: the same pipeline (the server answers at once), plus the
/// tempting edge "download the next image only after this one is saved": `download` waits for
/// `save`. That closes a cycle download → save → process → download.
pub fn cycle_scenario(variant: Variant) -> Outcome<()> {
    watchdog::watch(move || {
        let db = Database::default();
        let server = Server::answering(IMAGE.to_vec());
        match variant {
            Variant::Broken => {
                let queue = OperationQueue::new(1);
                let [download, process, save] = broken::pipeline(server, db);
                download.add_dependency(&save); // accepted: nothing checks
                say!("makes download wait for save: accepted");
                queue.add_operations(&[download, process, save]);
                say!("waits until all operations are finished");
                queue.wait_until_all_operations_are_finished();
            }
            Variant::Fixed => {
                let mut graph = OperationGraph::new();
                let [download, _, save] = fixed::pipeline(&mut graph, server, db);
                if let Err(refused) = graph.add_dependency(download, save) {
                    say!("is refused: {refused}");
                }
                graph.start(1).wait();
            }
        }
        say!("sees every operation settled");
    })
}
// ANCHOR_END: cycle_scenario

/// Whether `process` did any processing.
pub fn process_ran(trace: &Trace) -> bool {
    trace
        .lines()
        .iter()
        .any(|l| l.actor == "process" && l.step.as_ref().is_some_and(|(s, _)| *s == PROCESSES))
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "Q2",
    name: "operation_dependencies",
    summary: "a cancelled download still satisfies its dependents, and a dependency cycle never runs; the graph short-circuits and refuses cycles",
    run: demo,
};

/// The demo: the cancelled download, then the cycle, on real threads under the watchdog.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    let mut bugs = Vec::new();

    report.heading(
        "real threads, one worker: download → process → save; main cancels the download while it waits",
    );
    let (watched, trace) = traced(|_| cancel_scenario(variant));
    report.trace(&trace);
    match watched {
        Outcome::Finished(records) => {
            report.line(format!(
                "=> process ran: {}; the database holds {:?}",
                process_ran(&trace),
                records
            ));
            if process_ran(&trace) || !records.is_empty() {
                bugs.push("the cancelled download's dependents ran on no data".to_string());
            }
        }
        Outcome::Deadlocked(proof) => {
            let waits = report.deadlocked(&proof);
            bugs.push(format!("the cancelled pipeline hung: {waits}"));
        }
        // The backstop proves nothing: only the fixed twin fails on it.
        Outcome::Stalled { idle } => bugs.extend(report.stall(idle, &trace)),
    }

    report.heading("the same pipeline, plus download waits for save: a cycle");
    let (watched, trace) = traced(|_| cycle_scenario(variant));
    report.trace(&trace);
    match watched {
        Outcome::Finished(()) => {
            report.line("=> no cycle was built; every operation ran.");
        }
        Outcome::Deadlocked(proof) => {
            report.deadlocked(&proof);
            report.line("   (no operation said a word: none of them ever started)");
            bugs.push("a dependency cycle was accepted and never ran".to_string());
        }
        // The backstop proves nothing: a cycle that only stalls is not counted as caught.
        Outcome::Stalled { idle } => bugs.extend(report.stall(idle, &trace)),
    }

    let bug = (!bugs.is_empty()).then(|| bugs.join("; "));
    report.conclude(
        bug,
        "a cancelled download's dependents are skipped, and a cycle is refused at add_dependency",
    );
    report
}
