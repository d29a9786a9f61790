//! The production chapter's tests: one file per demo, each read top to bottom like a story.
//! `output.rs` pins every demo's narration (the book shows those snapshots) and `cli.rs` the
//! command-line contract.

mod benches;
mod cli;
mod conflict_resolution;
mod output;
mod stress_harness;
