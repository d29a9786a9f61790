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
//! | R4 | [`lock_ordering`] | two locks taken in opposite orders deadlock | loom; real threads with gates under the watchdog |
//! | R7 | [`reader_writer_lock`] | a read inside a read deadlocks once a writer queues between them | real threads with gates under the watchdog; criterion compares `RwLock` and `Mutex` |
//! | R8 | [`deadlock_detector`] | the guide's detector can never see a cycle | unit tests of the detector; real threads with gates under the watchdog |
//!
//! Every demo is written once against [`racelab_kit::sync::Primitives`] and run under loom
//! (`Loom`) by its tests and demo, and on real threads (`Std`) where a real thread is the point.
//! Tests read like a story — see `tests/races/*.rs`.

use racelab_kit::demo::{Chapter, Demo};

pub mod counter_variants;
pub mod deadlock_detector;
pub mod lock_ordering;
pub mod reader_writer_lock;
pub mod unsafe_counter;

/// The chapter's registry: the binary, the `racelab` tour and the output tests all read it.
pub static CHAPTER: Chapter = Chapter {
    name: "races",
    title: "Race conditions and deadlocks",
    demos: &[
        Demo {
            id: "R1",
            name: "unsafe_counter",
            summary: "count += 1 from two threads loses an update; fetch_add does not",
            run: unsafe_counter::demo,
        },
        Demo {
            id: "R2",
            name: "counter_variants",
            summary: "every counter method is safe; check-then-increment overshoots; one lock scope fixes it",
            run: counter_variants::demo,
        },
        Demo {
            id: "R4",
            name: "lock_ordering",
            summary: "two locks taken in opposite orders deadlock; one global order does not",
            run: lock_ordering::demo,
        },
        Demo {
            id: "R7",
            name: "reader_writer_lock",
            summary: "a read inside a read deadlocks once a writer queues between them; never re-enter",
            run: reader_writer_lock::demo,
        },
        Demo {
            id: "R8",
            name: "deadlock_detector",
            summary: "the guide's detector never sees a cycle; a wait-for graph refuses the lock that closes one",
            run: deadlock_detector::demo,
        },
    ],
};
