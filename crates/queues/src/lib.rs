//! # queues — a small GCD-style dispatch library and its pitfalls
//!
//! Chapter 1 of racelab: the guide's "Queues" examples (Grand Central Dispatch). The library part
//! is real and documented — [`SerialQueue`](serial_queue::SerialQueue), a labelled FIFO queue that
//! runs one job at a time on its own thread, with `dispatch_async` and a `sync` that refuses to
//! deadlock on its own queue; and [`OperationGraph`](operation::OperationGraph), operations with
//! dependencies on a bounded pool, whose results flow to their dependents, whose cancellation flows
//! downstream, and which refuses a dependency cycle. Each demo is a broken twin that really goes
//! wrong and a fixed twin that does not, caught by the same check. Run
//! `cargo run -p queues -- list`.
//!
//! | ID | module | the bug | caught by |
//! |---|---|---|---|
//! | Q1 | [`shared_serial_queue`] | a serial queue made per call serializes nothing: two saves race | loom; real `SerialQueue`s counted by thread |
//! | Q2 | [`operation_dependencies`] | cancelling a download still lets `process` and `save` run on no data (`OperationQueue` counts cancelled as finished); a dependency cycle silently never runs | real threads under the watchdog, the download held by a server that never answers; [`OperationGraph`](operation::OperationGraph) skips the dependents and refuses the cycle |
//! | Q3 | [`thread_managers`] | a worker thread that holds its manager keeps it alive, and the manager's `Drop` (which would stop and join the workers) never runs: threads leaked (the Swift data race on the thread list does not compile) | compile-fail cases; real threads under the watchdog, a `Weak` to the dropped manager |
//! | Q6 | [`sync_on_current_queue`] | a job calls `sync` on the queue it runs on: it waits for itself forever | real threads under the watchdog; the checked `sync` refuses at once |
//! | Q9 | [`sync_vs_async`] | a pool job syncs onto its own 1-thread pool and waits forever | real threads under the watchdog; rayon's `install` runs inline |
//! | Q11 | [`bounded_cache_eviction`] | a bounded cache evicts "the oldest entries" in hash order: arbitrary, and an overwrite at capacity evicts for nothing | every sequence of up to 5 puts/gets checked against a reference LRU |
//!
//! Tests read like a story — see `tests/demos/*.rs`.

use racelab_kit::demo::Chapter;

pub mod bounded_cache_eviction;
pub mod operation;
pub mod operation_dependencies;
pub mod serial_queue;
pub mod shared_serial_queue;
pub mod sync_on_current_queue;
pub mod sync_vs_async;
pub mod thread_managers;

/// The chapter's registry: the binary, the `racelab` tour and the output tests all read it.
pub static CHAPTER: Chapter = Chapter {
    name: "queues",
    title: "Dispatch queues",
    demos: &[
        shared_serial_queue::DEMO,
        operation_dependencies::DEMO,
        thread_managers::DEMO,
        sync_on_current_queue::DEMO,
        sync_vs_async::DEMO,
        bounded_cache_eviction::DEMO,
    ],
};
