//! Q2, the async way: the same download → process → save pipeline as tokio tasks, with
//! `tokio_util`'s `CancellationToken` — what a Rust professional reaches for instead of an
//! operation queue.
//!
//! Each task's result is a `Result<_, Cancelled>` that its dependent awaits (results pass
//! downstream through the `JoinHandle`s), and each task has a token: `process`'s is a
//! `child_token()` of the download's and `save`'s a child of `process`'s, so cancelling the
//! download cancels the whole chain below it at once, even a task that is not awaiting anything.
//! Cancelling `process` would cancel `save` but leave the download alone. A token tree follows a
//! chain or a tree of dependencies; an operation with two dependencies has two parents, which a
//! token tree cannot say — that is what [`OperationGraph`](racelab_dispatch::operation::OperationGraph)'s
//! outcomes handle.
//!
//! A cycle cannot even be written here: a task can only await a `JoinHandle` that exists already.
//!
//! Run it on a `current_thread` runtime: every task is polled on one thread in a fixed order, so
//! the narration is deterministic.

use racelab_kit::step;
use racelab_kit::trace::Signed;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use super::{Database, make_thumbnail};
use racelab_dispatch::operation::Cancelled;

fn cancelled(origin: &str) -> Cancelled {
    Cancelled {
        origin: origin.to_string(),
    }
}

// ANCHOR: pipeline
/// Spawns the three tasks; `response` is the server's answer (its sender may never send).
/// Returns `save`'s handle. Cancel the download with `download_token.cancel()`.
pub fn pipeline(
    response: oneshot::Receiver<Vec<u8>>,
    download_token: CancellationToken,
    db: Database,
) -> JoinHandle<Result<(), Cancelled>> {
    let process_token = download_token.child_token(); // cancelled with the download
    let save_token = process_token.child_token(); // cancelled with process (and so the download)

    let download = tokio::spawn(Signed::new("download", async move {
        step!(super::ASKS, " for the image");
        tokio::select! {
            Ok(image) = response => Ok(image),
            () = download_token.cancelled() => Err(cancelled("download")),
        }
    }));
    let process = tokio::spawn(Signed::new("process", async move {
        let image = tokio::select! {
            biased;
            () = process_token.cancelled() => return Err(cancelled("download")),
            image = download => image.expect("the download task does not panic")?,
        };
        step!(super::PROCESSES, " {} bytes of image", image.len());
        Ok(make_thumbnail(&image))
    }));
    tokio::spawn(Signed::new("save", async move {
        let thumbnail = tokio::select! {
            biased;
            () = save_token.cancelled() => return Err(cancelled("download")),
            thumbnail = process => thumbnail.expect("the process task does not panic")?,
        };
        db.save(thumbnail);
        Ok(())
    }))
}
// ANCHOR_END: pipeline
