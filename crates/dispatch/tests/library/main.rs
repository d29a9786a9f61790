//! The dispatch library's own tests, one file per type: what each queue promises (FIFO, barriers,
//! one drain per target, a refused self-deadlocking `sync`, …), checked on real threads with gates
//! and, where the logic is small enough, under loom. The queues chapter's demos are tested in
//! `crates/queues/tests/demos/`.

mod concurrent_queue;
mod group;
mod main_queue;
mod operation;
mod priority_queue;
mod semaphore;
mod serial_queue;
mod target_queue;
