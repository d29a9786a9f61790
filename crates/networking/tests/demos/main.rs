//! The networking chapter's tests: one file per demo, each read top to bottom like a story.
//! `output.rs` pins every demo's narration (the book shows those snapshots) and `cli.rs` the
//! command-line contract.

mod cli;
mod client_config;
mod client_middleware;
mod fetch_status_handling;
mod hermetic_integration_tests;
mod output;
