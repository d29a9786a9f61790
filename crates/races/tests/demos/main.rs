//! The races chapter's tests: one file per demo, each read top to bottom like a story — the trivial
//! case, the search, the minimal failure, the replay, and the fixed twin under the very same check.
//! `output.rs` pins every demo's narration (the book shows those snapshots) and `cli.rs` the
//! command-line contract.

mod cli;
mod compile_fail;
mod counter_variants;
mod deadlock_detector;
mod lock_ordering;
mod output;
mod reader_writer_lock;
mod unsafe_counter;
