//! The queues chapter's tests: the library core (`serial_queue.rs`), then one file per demo, each
//! read top to bottom like a story. `output.rs` pins every demo's narration (the book shows those
//! snapshots) and `cli.rs` the command-line contract.

mod bounded_cache_eviction;
mod cli;
mod compile_fail;
mod operation;
mod operation_dependencies;
mod output;
mod serial_queue;
mod shared_serial_queue;
mod sync_on_current_queue;
mod sync_vs_async;
mod thread_managers;
