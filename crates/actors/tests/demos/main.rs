//! The actors chapter's tests: one file per demo, each read top to bottom like a story (the actor
//! library's own tests are in `crates/actor/tests/`). `output.rs` pins every demo's narration (the
//! book shows those snapshots) and `cli.rs` the command-line contract.

mod actor_basics;
mod cli;
mod cooperative_timeout;
mod dropping_tasks;
mod futurelock;
mod output;
mod testing_async;
