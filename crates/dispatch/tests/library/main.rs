//! The dispatch library's own tests, one file per type: what each queue promises (FIFO, barriers,
//! one drain per target, a refused self-deadlocking `sync`, …), checked on real threads with gates
//! and, where the logic is small enough, under loom. The queues chapter's demos are tested in
//! `crates/queues/tests/demos/`.
//!
//! `scripts/mutants` measures these tests: it makes small deliberate mistakes in the library, one at
//! a time, and counts how many of them some test here catches (book: "Mutation testing").

mod concurrent_queue;
mod group;
mod main_queue;
mod operation;
mod priority_queue;
mod semaphore;
mod serial_queue;
mod target_queue;
mod thread_exit;
