//! # races — race conditions and deadlocks
//!
//! Chapter 4 of racelab: the guide's "Race Conditions", "Deadlocks", "Atomic Operations" and
//! "Producer-Consumer" examples, each as a broken twin that really goes wrong and a fixed twin that
//! does not, caught by the same check. Run `cargo run -p races -- list`.
//!
//! | ID | module | the bug | caught by |
//! |---|---|---|---|
//! | R1 | [`unsafe_counter`] | `count += 1` from two threads loses an update | loom; trybuild (the Swift shape does not compile) |
//! | R6 | [`producer_consumer`] | `consume` waits inside `queue.sync`, so `produce`'s barrier never starts: the first empty `consume()` deadlocks | loom; real threads with a gate under the watchdog; trybuild (`wait` without the lock does not compile) |
//!
//! Every demo is written once against [`racelab_kit::sync::Primitives`] and run under loom
//! (`Loom`) by its tests and demo, and on real threads (`Std`) where a real thread is the point.
//! Tests read like a story — see `tests/races/*.rs`.

use racelab_kit::demo::{Chapter, Demo};

pub mod producer_consumer;
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
        producer_consumer::DEMO,
    ],
};
