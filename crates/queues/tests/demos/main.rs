//! The queues chapter's tests: the library core (`serial_queue.rs`), then one file per demo, each
//! read top to bottom like a story. `output.rs` pins every demo's narration (the book shows those
//! snapshots) and `cli.rs` the command-line contract.

mod barrier_rw_cache;
mod bounded_cache_eviction;
mod cli;
mod compile_fail;
mod concurrent_queue;
mod context_switch_batching;
mod dispatch_group_phases;
mod event_sources;
mod group;
mod main_queue;
mod operation;
mod operation_dependencies;
mod output;
mod priority_queue;
mod priority_scheduling;
mod semaphore;
mod serial_queue;
mod serial_vs_concurrent;
mod shared_serial_queue;
mod sync_on_current_queue;
mod sync_vs_async;
mod target_queue;
mod target_queue_hierarchy;
mod thread_explosion;
mod thread_managers;
