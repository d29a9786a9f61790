//! Q2, broken: the guide's pipeline on `OperationQueue` — download → process → save, and the
//! download is cancelled.
//!
//! This version is problematic.
//!
//! The guide's snippet (L98–114), with the parts it leaves out filled in the usual way: the
//! operations hand the image along through shared slots (an `Operation` has no result), and no
//! operation looks at its dependencies' cancellation — the guide never says it must. Cancelling
//! the download finishes it, which satisfies `process`'s dependency: `process` runs on no data and
//! `save` stores an empty thumbnail.

use std::sync::{Arc, Mutex};

use racelab_kit::step;

use super::operation_queue_model::Operation;
use super::{Database, Server, make_thumbnail};

// ANCHOR: pipeline
/// The three operations, with `process` depending on `download` and `save` on `process`.
pub fn pipeline(server: Server, db: Database) -> [Operation; 3] {
    // An Operation has no result: the image and the thumbnail travel through shared slots.
    let image = Arc::new(Mutex::new(None::<Vec<u8>>));
    let thumbnail = Arc::new(Mutex::new(None::<Vec<u8>>));

    // ANCHOR: key
    let slot = image.clone();
    let download = Operation::new("download", move |token| {
        *slot.lock().unwrap() = server.fetch(token);
    });
    let slot = thumbnail.clone();
    let process = Operation::new("process", move |_| {
        let data = image.lock().unwrap().take().unwrap_or_default(); // nil → empty Data
        step!(super::PROCESSES, " {} bytes of image", data.len());
        *slot.lock().unwrap() = Some(make_thumbnail(&data));
    });
    // ANCHOR_END: key
    let save = Operation::new("save", move |_| {
        db.save(thumbnail.lock().unwrap().take().unwrap_or_default());
    });

    process.add_dependency(&download);
    save.add_dependency(&process);
    [download, process, save]
}
// ANCHOR_END: pipeline
