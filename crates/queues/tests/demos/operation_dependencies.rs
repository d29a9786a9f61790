//! Q2 `operation_dependencies`: a cancelled download still satisfies its dependents under
//! `OperationQueue` semantics, and a cycle never runs; the `OperationGraph` skips the dependents and
//! refuses the cycle.

use queues::operation_dependencies::operation_queue_model::OperationQueue;
use queues::operation_dependencies::with_tokio;
use queues::operation_dependencies::{
    ASKS, Database, IMAGE, Server, broken, cancel_scenario, cycle_scenario, make_thumbnail,
    process_ran,
};
use racelab_kit::demo::Variant;
use racelab_kit::trace::{Trace, said, traced};
use racelab_kit::watchdog::last_words;

/// The trivial case: when nobody cancels, the guide's pipeline does its job.
#[test]
fn broken_operation_dependencies_works_when_nothing_is_cancelled() {
    let db = Database::default();
    let queue = OperationQueue::new(1);
    queue.add_operations(&broken::pipeline(
        Server::answering(IMAGE.to_vec()),
        db.clone(),
    ));
    queue.wait_until_all_operations_are_finished();
    assert_eq!(db.records(), [make_thumbnail(&IMAGE)]);
}

/// The cancelled download: it finishes, which satisfies `process`, which runs on 0 bytes; `save`
/// stores an empty thumbnail. The download is held by a server that never answers and cancelled
/// once it has asked: the same trace every run.
// ANCHOR: caught
#[test]
fn broken_operation_dependencies_process_runs_after_the_download_is_cancelled() {
    let (watched, trace) = traced(|_| cancel_scenario(Variant::Broken));
    let records = watched.expect_finished();
    assert!(process_ran(&trace));
    assert_eq!(records, [Vec::<u8>::new()]);
    racelab_testkit::snapshot!("operation_dependencies__trace", trace.render());
}
// ANCHOR_END: caught

/// The cycle: `add_dependency` accepts it, no operation ever starts, and the wait hangs: the
/// watchdog proves it from the recorded waits at once. The operations say nothing at all.
#[test]
fn broken_operation_dependencies_cycle_never_runs() {
    let (watched, trace) = traced(|_| cycle_scenario(Variant::Broken));
    let proof = watched.expect_deadlock();
    assert_eq!(
        proof.summary(),
        "main waits for every operation to finish; opq-worker-0 waits for a ready operation"
    );
    let words: Vec<String> = said(last_words(&trace));
    assert_eq!(words, ["main: waits until all operations are finished"]);
}

/// The fixed twin under the same check: the download's outcome is `Err(Cancelled)`, so `process`
/// and `save` are skipped and the database stays empty.
// ANCHOR: holds
#[test]
fn fixed_operation_dependencies_skips_the_dependents() {
    let (watched, trace) = traced(|_| cancel_scenario(Variant::Fixed));
    let records = watched.expect_finished();
    assert!(!process_ran(&trace));
    assert!(records.is_empty());
    let said = said(trace.lines());
    assert!(said.contains(&"process: is skipped: download was cancelled".to_string()));
    assert!(said.contains(&"save: is skipped: download was cancelled".to_string()));
}
// ANCHOR_END: holds

/// The cycle, fixed: refused at `add_dependency`, and the pipeline runs as before.
#[test]
fn fixed_operation_dependencies_cycle_is_refused() {
    let (watched, trace) = traced(|_| cycle_scenario(Variant::Fixed));
    watched.expect_finished();
    let said = said(trace.lines());
    assert!(said.contains(
        &"main: is refused: a dependency cycle: download waits for save waits for process waits for download"
            .to_string()
    ), "{said:#?}");
    assert!(said.contains(&"save: saves a 2-byte thumbnail to the database".to_string()));
}

/// The async way: tokio tasks on a `current_thread` runtime, the download held by a response that
/// never comes; cancelling its token cancels the child tokens of `process` and `save`, and neither
/// does any work. Deterministic: one thread, and `main` yields until the download has asked.
// ANCHOR: tokio
#[test]
fn fixed_operation_dependencies_tokio_child_tokens_cancel_downstream() {
    let trace = Trace::new();
    let _installed = trace.install();
    let db = Database::default();
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let saved = rt.block_on(async {
        let (_server_never_answers, response) = tokio::sync::oneshot::channel();
        let token = tokio_util::sync::CancellationToken::new();
        let save = with_tokio::pipeline(response, token.clone(), db.clone());
        while !trace.reached("download", ASKS, None) {
            tokio::task::yield_now().await; // let the download ask the server
        }
        token.cancel();
        save.await.unwrap()
    });
    assert_eq!(saved.unwrap_err().origin, "download");
    assert!(!process_ran(&trace));
    assert!(db.records().is_empty());
    assert_eq!(
        said(trace.lines()),
        ["download: asks the server for the image"]
    );
}
// ANCHOR_END: tokio

/// The async pipeline when the server answers: results pass down the `JoinHandle`s.
#[test]
fn fixed_operation_dependencies_tokio_passes_the_image_along() {
    let db = Database::default();
    let rt = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    rt.block_on(async {
        let (server, response) = tokio::sync::oneshot::channel();
        server.send(IMAGE.to_vec()).unwrap();
        let token = tokio_util::sync::CancellationToken::new();
        with_tokio::pipeline(response, token, db.clone())
            .await
            .unwrap()
    })
    .unwrap();
    assert_eq!(db.records(), [make_thumbnail(&IMAGE)]);
}

/// The model is faithful to Apple's "canceling an operation causes the operation to ignore any
/// dependencies it may have": a cancelled operation that waits for an unfinished dependency
/// finishes at once, without running its work — and its own dependent then runs.
#[test]
fn broken_operation_dependencies_model_cancelled_operation_ignores_its_dependencies() {
    use queues::operation_dependencies::operation_queue_model::Operation;
    use std::sync::mpsc;
    let (ran, seen) = mpsc::channel();
    let (blocker_ran, dependent_ran) = (ran.clone(), ran.clone());
    let queue = OperationQueue::new(2);
    let (release, gate) = mpsc::channel::<()>();
    let blocker = Operation::new("blocker", move |_| {
        gate.recv().unwrap();
        blocker_ran.send("blocker").unwrap();
    });
    let waiting = Operation::new("waiting", move |_| {
        unreachable!("cancelled before it started")
    });
    let dependent = Operation::new("dependent", move |_| {
        dependent_ran.send("dependent").unwrap()
    });
    waiting.add_dependency(&blocker);
    dependent.add_dependency(&waiting);
    queue.add_operations(&[blocker.clone(), waiting.clone(), dependent]);
    waiting.cancel();
    assert_eq!(
        seen.recv_timeout(racelab_kit::watchdog::GATE_TIMEOUT)
            .unwrap(),
        "dependent"
    ); // before the blocker has even finished
    assert!(!blocker.is_finished());
    release.send(()).unwrap();
    queue.wait_until_all_operations_are_finished();
    assert_eq!(
        seen.recv_timeout(racelab_kit::watchdog::GATE_TIMEOUT)
            .unwrap(),
        "blocker"
    );
    drop(ran);
}
