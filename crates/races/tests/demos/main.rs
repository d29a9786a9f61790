//! The races chapter's tests: one file per demo, each read top to bottom like a story — the trivial
//! case, the search, the minimal failure, the replay, and the fixed twin under the very same check.
//! `output.rs` pins every demo's narration (the book shows those snapshots) and `cli.rs` the
//! command-line contract.

mod atomic_counter;
mod atomic_file_replace;
mod cli;
mod compile_fail;
mod counter_variants;
mod cross_process_ipc;
mod deadlock_detector;
mod detectors;
mod lock_ordering;
mod output;
mod play;
mod priority_inheritance_sim;
mod priority_inversion_sim;
mod producer_consumer;
mod race_stress_oracles;
mod reader_writer_lock;
mod resource_guard;
mod sqlite_connection_confinement;
mod unsafe_array;
mod unsafe_counter;
