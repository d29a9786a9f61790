//! Q6 `sync_on_current_queue`: a job syncs onto its own queue — a hang with the naive queue, an
//! immediate refusal with the checked one.

use queues::sync_on_current_queue::naive_queue_model::NaiveSerialQueue;
use queues::sync_on_current_queue::{LABEL, run_scenario, waits_for_itself};
use racelab_dispatch::serial_queue::{SerialQueue, SyncError};
use racelab_kit::demo::Variant;
use racelab_kit::trace::said;
use racelab_kit::watchdog::last_words;

/// The trivial case: `sync` onto the naive queue from a thread that is *not* the queue is fine.
#[test]
fn broken_sync_on_current_queue_is_fine_from_another_thread() {
    let queue = NaiveSerialQueue::new("q");
    assert_eq!(queue.sync(|| 42), 42);
}

/// The deadlock on real threads: the job on main-queue waits for its own queue, and main waits
/// behind it. No gate forces it — it happens every time; the watchdog proves it from the recorded
/// waits at once, with no idle timeout.
// ANCHOR: caught
#[test]
fn broken_sync_on_current_queue_deadlocks() {
    let (watched, trace) = run_scenario(Variant::Broken);
    let proof = watched.expect_deadlock();
    assert_eq!(
        proof.summary(),
        "main waits for its sync job on main-queue; main-queue waits for its sync job on main-queue"
    );
    assert!(waits_for_itself(&trace), "{}", trace.render());
    let words: Vec<String> = said(last_words(&trace));
    assert_eq!(
        words,
        [
            "main-queue: waits for main-queue to run its sync job",
            "main: waits for main-queue to run its sync job",
        ]
    );
}
// ANCHOR_END: caught

/// The fixed twin in the same scenario: the sync is refused at once, the job does the work
/// directly, and the queue drains.
// ANCHOR: refused
#[test]
fn fixed_sync_on_current_queue_is_refused() {
    let (watched, trace) = run_scenario(Variant::Fixed);
    watched.expect_finished();
    let said: Vec<String> = said(trace.lines());
    assert!(
        said.contains(&format!(
            "{LABEL}: is refused: sync onto {LABEL} from {LABEL} itself would deadlock"
        )),
        "{said:#?}"
    );
    assert!(said.contains(&format!("{LABEL}: updates the UI again")));
}
// ANCHOR_END: refused

/// The check itself, without the scenario: `sync` from inside a job returns the error, and the
/// closure never runs.
#[test]
fn fixed_sync_on_current_queue_returns_would_deadlock() {
    let queue = SerialQueue::new("q");
    let q = queue.clone();
    let inner = queue.sync(move || q.sync(|| unreachable!("never enqueued")));
    assert_eq!(
        inner,
        Ok(Err(SyncError::WouldDeadlock { label: "q".into() }))
    );
}
