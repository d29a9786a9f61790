//! # races — race conditions and deadlocks
//!
//! Chapter 4 of racelab: the guide's "Race Conditions", "Deadlocks", "Atomic Operations" and
//! "Producer-Consumer" examples, each as a broken twin that really goes wrong and a fixed twin that
//! does not, caught by the same check. Run `cargo run -p races -- list`.
//!
//! | ID | module | the bug | caught by |
//! |---|---|---|---|
//! | R1 | [`unsafe_counter`] | `count += 1` from two threads loses an update | loom; trybuild (the Swift shape does not compile) |
//! | R2 | [`counter_variants`] | each method is safe, "check, then increment" overshoots | loom; criterion measures six correct counters |
//! | R3 | [`atomic_counter`] | an "atomic" counter's `count += 1` is a get and a set; a `Relaxed` flag publishes stale data | loom (both) |
//! | R4 | [`lock_ordering`] | two locks taken in opposite orders deadlock | loom; real threads with gates under the watchdog |
//! | R5 | [`unsafe_array`] | `removeItem(at:)` checks, lets go of the lock, then removes: the second removal panics | loom; trybuild (the Swift shape does not compile) |
//! | R6 | [`producer_consumer`] | `consume` waits inside `queue.sync`, so `produce`'s barrier never starts: the first empty `consume()` deadlocks | loom; real threads with a gate under the watchdog; trybuild (`wait` without the lock does not compile) |
//! | R7 | [`reader_writer_lock`] | a read inside a read deadlocks once a writer queues between them | real threads with gates under the watchdog; criterion compares `RwLock` and `Mutex` |
//! | R8 | [`deadlock_detector`] | the guide's detector can never see a cycle | unit tests of the detector; real threads with gates under the watchdog |
//! | R9 | [`priority_inversion_sim`] | H waits on Lo's lock for as long as M computes | a deterministic one-CPU scheduler simulator |
//! | R10 | [`priority_inheritance_sim`] | the guide's "inheritance" demotes the waiter; its waiting list is unsynchronized | the R9 simulator; trybuild |
//! | R11 | [`sqlite_connection_confinement`] | a second SQLite writer is refused (`SQLITE_BUSY`); a stale save loses an update | trybuild (a `Connection` is not `Sync`, rows cannot escape); real files, gates, watchdog |
//! | R12 | [`atomic_file_replace`] | a reader sees a half-written file; two read-modify-writes lose one | real files, gates, watchdog |
//! | R13 | [`resource_guard`] | a `defer` frees the camera when `start` returns: two sessions own it | tokio `current_thread` checks with oneshot gates |
//! | R14 | [`cross_process_ipc`] | a per-process queue and `NotificationCenter` used across processes | two real processes, driven line by line |
//! | R15 | [`race_stress_oracles`] | the guide's stress oracles flag correct code and miss broken code | gates force the order; loom |
//!
//! The in-memory demos are written once against [`racelab_kit::sync::Primitives`] and run under
//! loom (`Loom`) by their tests and demo, and on real threads (`Std`) where a real thread is the
//! point. Demos about files, databases and processes (R11–R14) run for real, with gates forcing
//! the bad order and the watchdog bounding every wait.
//! Tests read like a story — see `tests/demos/*.rs`.

use racelab_kit::demo::Chapter;

pub mod atomic_counter;
pub mod atomic_file_replace;
pub mod counter_variants;
pub mod cross_process_ipc;
pub mod deadlock_detector;
pub mod detectors;
pub mod lock_ordering;
pub mod play;
pub mod priority_inheritance_sim;
pub mod priority_inversion_sim;
pub mod producer_consumer;
pub mod race_stress_oracles;
pub mod reader_writer_lock;
pub mod resource_guard;
pub mod sqlite_connection_confinement;
pub mod unsafe_array;
pub mod unsafe_counter;

/// The chapter's registry: the binary, the `racelab` tour and the output tests all read it.
pub static CHAPTER: Chapter = Chapter {
    name: "races",
    title: "Race conditions and deadlocks",
    demos: &[
        unsafe_counter::DEMO,
        counter_variants::DEMO,
        atomic_counter::DEMO,
        lock_ordering::DEMO,
        unsafe_array::DEMO,
        producer_consumer::DEMO,
        reader_writer_lock::DEMO,
        deadlock_detector::DEMO,
        priority_inversion_sim::DEMO,
        priority_inheritance_sim::DEMO,
        sqlite_connection_confinement::DEMO,
        atomic_file_replace::DEMO,
        resource_guard::DEMO,
        cross_process_ipc::DEMO,
        race_stress_oracles::DEMO,
    ],
    play: &play::GAMES,
    sidebars: &[],
};
