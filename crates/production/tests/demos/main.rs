//! The production chapter's tests: one file per demo, each read top to bottom like a story.
//! `output.rs` pins every demo's narration (the book shows those snapshots) and `cli.rs` the
//! command-line contract.

mod backoff_strategies;
mod benches;
mod circuit_breaker;
mod cli;
mod conflict_resolution;
mod graceful_degradation;
mod leak_tracker;
mod memory_pressure_cache;
mod offline_outbox;
mod output;
mod profiling_clock;
mod stress_harness;
mod thread_inspector;
mod ttl_cache_cleanup;
