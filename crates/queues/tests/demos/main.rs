//! The queues chapter's tests: one file per demo, each read top to bottom like a story (the
//! dispatch library's own tests are in `crates/dispatch/tests/library/`). `output.rs` pins every demo's narration (the book shows those
//! snapshots) and `cli.rs` the command-line contract.

mod barrier_rw_cache;
mod bounded_cache_eviction;
mod cli;
mod compile_fail;
mod context_switch_batching;
mod dispatch_group_phases;
mod event_sources;
mod operation_dependencies;
mod output;
mod play;
mod priority_scheduling;
mod serial_vs_concurrent;
mod shared_serial_queue;
mod sync_on_current_queue;
mod sync_vs_async;
mod target_queue_hierarchy;
mod thread_explosion;
mod thread_managers;
