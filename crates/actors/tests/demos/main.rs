//! The actors chapter's tests: one file per demo, each read top to bottom like a story (the actor
//! library's own tests are in `crates/actor/tests/`). `output.rs` pins every demo's narration (the
//! book shows those snapshots) and `cli.rs` the command-line contract.

mod actor_basics;
mod actor_logical_race;
mod actor_self_reference_leak;
mod batch_ordering;
mod callbacks_to_async;
mod captures_and_cycles;
mod cli;
mod compile_fail;
mod cooperative_timeout;
mod db_actor;
mod dropping_tasks;
mod exhaustive;
mod futurelock;
mod image_loader_dedup;
mod latest_request_wins;
mod loading_flag;
mod output;
mod single_flight_sync;
mod task_group_ordering;
mod testing_async;
mod weak_registry;
