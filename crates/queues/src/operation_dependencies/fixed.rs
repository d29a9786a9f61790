//! Q2, fixed: the same pipeline on the library's [`OperationGraph`], where results travel from an
//! operation to its dependents and a cancelled download cancels them too.
//!
//! A different shape, not a one-line fix: the library replaces `OperationQueue`. Each operation
//! returns an [`Outcome`](racelab_dispatch::operation::Outcome) — `Result<T, Cancelled>` — instead of
//! writing a shared slot; `process` reads the image with `ctx.input(download)`; and the graph runs
//! an operation only when every dependency's outcome is `Ok`. The download, cancelled, returns
//! `Err(Cancelled)`, so `process` and `save` are skipped — no operation has to remember to check.

use racelab_kit::step;

use super::{Database, Server, make_thumbnail};
use racelab_dispatch::operation::{OpId, OperationGraph};

// ANCHOR: pipeline
/// The three operations, with `process` depending on `download` and `save` on `process`.
pub fn pipeline(graph: &mut OperationGraph<Vec<u8>>, server: Server, db: Database) -> [OpId; 3] {
    // ANCHOR: key
    let download = graph.add("download", move |ctx| {
        server.fetch(ctx.token()).ok_or_else(|| ctx.cancelled()) // no image: Err(Cancelled)
    });
    let process = graph.add("process", move |ctx| {
        let data = ctx.input(download); // runs only if the download's outcome is Ok
        step!(super::PROCESSES, " {} bytes of image", data.len());
        Ok(make_thumbnail(data))
    });
    // ANCHOR_END: key
    let save = graph.add("save", move |ctx| {
        db.save(ctx.input(process).clone());
        Ok(Vec::new())
    });

    let acyclic = "download → process → save is no cycle";
    graph.add_dependency(process, download).expect(acyclic);
    graph.add_dependency(save, process).expect(acyclic);
    [download, process, save]
}
// ANCHOR_END: pipeline
