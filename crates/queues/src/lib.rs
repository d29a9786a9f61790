//! # queues — GCD-style dispatch queues and their pitfalls
//!
//! Chapter 1 of racelab: the guide's "Queues" examples (Grand Central Dispatch). The demos are
//! written against a small, real dispatch library — serial, concurrent and main queues, groups, a
//! semaphore, QoS and an operation graph — which lives in its own crate,
//! [`racelab_dispatch`] (`crates/dispatch`), with its own docs and tests. Where a demo needs a queue
//! that behaves *differently* from the library (a GCD-style pool drain, a queue with no
//! self-deadlock check, a model for loom), the demo folder keeps it as a **model** in a file of its
//! own, and says so.
//!
//! Each demo is a broken twin that really goes wrong and a fixed twin that does not, caught by the
//! same check. Run `cargo run -p queues -- list`; the book's queues part walks through each one.
//!
//! | ID | module | the bug | caught by |
//! |---|---|---|---|
//! | Q1 | [`shared_serial_queue`] | a serial queue made per call serializes nothing: two saves race | loom; real `SerialQueue`s counted by thread |
//! | Q2 | [`operation_dependencies`] | cancelling a download still lets `process` and `save` run on no data (`OperationQueue` counts cancelled as finished); a dependency cycle silently never runs | real threads under the watchdog, the download held by a server that never answers; [`OperationGraph`](racelab_dispatch::operation::OperationGraph) skips the dependents and refuses the cycle |
//! | Q3 | [`thread_managers`] | a worker thread that holds its manager keeps it alive, and the manager's `Drop` (which would stop and join the workers) never runs: threads leaked (the Swift data race on the thread list does not compile) | compile-fail cases; real threads under the watchdog, a `Weak` to the dropped manager |
//! | Q4 | [`thread_explosion`] | a thread per item: every blocked item runs at once on its own thread | gauge + latch on real threads: peak 64 vs at most k with a pool or k semaphore permits |
//! | Q5 | [`context_switch_batching`] | one hop to main per item: main shows the results in the order the workers finish | gates force reverse finishing; the screen and main's wake-ups checked |
//! | Q6 | [`sync_on_current_queue`] | a job calls `sync` on the queue it runs on: it waits for itself forever | real threads under the watchdog; the checked `sync` refuses at once |
//! | Q7 | [`priority_scheduling`] | "QoS determines execution order" made literal: strict priority starves low-priority work while high-priority work keeps coming | a one-worker priority queue in numbered steps: no job may wait more than 6 |
//! | Q8 | [`serial_vs_concurrent`] | a serial queue is one job at a time, not one thread: a connection cached in a thread-local is opened twice on a GCD-style queue | real threads, the pool's FIFO order forced with gates |
//! | Q9 | [`sync_vs_async`] | a Rust fixed-pool hazard, not a GCD bug (GCD runs a `sync` onto a global queue inline on the caller): a pool job syncs onto its own 1-thread pool and waits forever | real threads under the watchdog, the deadlock proven from recorded waits; rayon's `install` runs inline |
//! | Q10 | [`barrier_rw_cache`] | the guide's barrier cache is right; on a global queue (the tempting shortcut) the barrier is ignored and a write overlaps a read | real threads, a read held open by a gate; the storage counts overlaps |
//! | Q11 | [`bounded_cache_eviction`] | a bounded cache evicts "the oldest entries" in hash order: arbitrary, and an overwrite at capacity evicts for nothing | every sequence of up to 5 puts/gets checked against a reference LRU |
//! | Q12 | [`event_sources`] | a file source watching the file for writes goes deaf after an atomic save; a timer spawning its handler per tick overlaps it | real inotify, decided by a sentinel event; tokio's paused clock |
//! | Q13 | [`dispatch_group_phases`] | one `DispatchGroup` shared by every run and phase: run A's phase 2 waits for run B's slow task; "sequential" tasks on a concurrent queue run at once | real threads, a held task and a settle gate; a concurrency gauge |
//! | Q14 | [`target_queue_hierarchy`] | a dependency queue that targets the critical serial queue shares its drain: a long dependent job blocks critical work | real threads under the watchdog: a gate holds the dependent job; the registry shows the drain held and blocked while the critical job waits |
//!
//! Tests read like a story — see `tests/demos/*.rs`.

use racelab_kit::demo::Chapter;

pub mod barrier_rw_cache;
pub mod bounded_cache_eviction;
pub mod context_switch_batching;
pub mod dispatch_group_phases;
pub mod event_sources;
pub mod operation_dependencies;
pub mod play;
pub mod priority_scheduling;
pub mod serial_vs_concurrent;
pub mod shared_serial_queue;
pub mod sync_on_current_queue;
pub mod sync_vs_async;
pub mod target_queue_hierarchy;
pub mod thread_explosion;
pub mod thread_managers;

/// The chapter's registry: the binary, the `racelab` tour and the output tests all read it.
pub static CHAPTER: Chapter = Chapter {
    name: "queues",
    title: "Dispatch queues",
    demos: &[
        shared_serial_queue::DEMO,
        operation_dependencies::DEMO,
        thread_managers::DEMO,
        thread_explosion::DEMO,
        context_switch_batching::DEMO,
        sync_on_current_queue::DEMO,
        priority_scheduling::DEMO,
        serial_vs_concurrent::DEMO,
        sync_vs_async::DEMO,
        barrier_rw_cache::DEMO,
        bounded_cache_eviction::DEMO,
        event_sources::DEMO,
        dispatch_group_phases::DEMO,
        target_queue_hierarchy::DEMO,
    ],
    play: &play::GAMES,
    sidebars: &[],
};
