//! # racelab-dispatch — a small GCD-style dispatch library
//!
//! The dispatch library of racelab's queues chapter (the guide's Grand Central Dispatch examples):
//! real and documented, one type per file; the chapter's demos are written against it. Every queue labels
//! its threads (or, for a queue without one, its jobs' trace lines), and all of them share one
//! queue-specific key (GCD's `dispatch_get_specific`), so a `sync` that would wait for itself is
//! refused with [`SyncError`](serial_queue::SyncError) instead of hanging.
//!
//! | type | file | GCD / Foundation |
//! |---|---|---|
//! | [`SerialQueue`](serial_queue::SerialQueue), `with_target` | `serial_queue.rs` | serial `DispatchQueue`, target queues |
//! | [`ConcurrentQueue`](concurrent_queue::ConcurrentQueue) | `concurrent_queue.rs` | concurrent `DispatchQueue`, barriers, `global()` |
//! | [`MainQueue`](main_queue::MainQueue), [`RunLoop`](main_queue::RunLoop) | `main_queue.rs` | `DispatchQueue.main` and its run loop |
//! | [`DispatchGroup`](group::DispatchGroup) | `group.rs` | `DispatchGroup` |
//! | [`DispatchSemaphore`](semaphore::DispatchSemaphore) | `semaphore.rs` | `DispatchSemaphore` |
//! | [`PriorityQueue`](priority_queue::PriorityQueue) | `priority_queue.rs` | QoS, modelled in numbered steps |
//! | [`OperationGraph`](operation::OperationGraph) | `operation.rs` | `OperationQueue` with dependencies |
//! | [`CancelToken`](cancel::CancelToken) | `cancel.rs` | `Operation.cancel()`: cooperative cancellation with callbacks |
//!
//! Its own tests are in `tests/library/`, one file per type; `scripts/mutants` measures how many
//! deliberate mistakes in these files they catch. The chapter's lessons — what goes wrong when
//! these queues are misused — are in the `queues` crate.

pub mod cancel;
pub mod concurrent_queue;
pub mod group;
pub mod main_queue;
pub mod operation;
pub mod priority_queue;
pub mod semaphore;
pub mod serial_queue;
