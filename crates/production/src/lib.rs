//! # production — resilience patterns that survive faults
//!
//! Chapter 5 of racelab: the guide's production patterns — circuit breaker, graceful
//! degradation, offline outbox, conflict resolution, backoff, stress harness, benchmarks, leak
//! tracking, profiling, memory pressure and TTL caches. Faults are injected, not imagined: the
//! resilience demos call a scripted in-memory `tower::Service` whose answers, delays and failures
//! a test scripts and holds on [`Gate`](racelab_kit::rt::Gate)s. There is no HTTP here (that is
//! the networking chapter's lesson): here it is what happens *around* the call. Every timer, TTL
//! and backoff runs on tokio's paused clock ([`racelab_kit::rt`]), so no check reads a wall clock.
//!
//! Beside each hand-written mechanism, the crate a professional would use is exercised in a test:
//! `tower` (timeout, retry, concurrency limit), `backon` (backoff with jitter), `hdrhistogram`
//! (latency percentiles), `moka` (a byte-weighted cache), SQLite via `rusqlite` (the durable
//! outbox).
//!
//! | ID | demo | what goes wrong | how it is caught |
//! |---|---|---|---|
//! | P4 | [`conflict_resolution`] | two-way merge: a fast-forward is a conflict, the remote side always wins (both timestamps are `Date()`), a deletion becomes an empty record | proptest laws (fixed seed, bounded) + a pinned decision table |
//! | P6 | [`stress_harness`] | a blocking group wait inside async code starves the operations it waits for (0 completions); the semaphore limits nothing; `UInt64` memory delta traps | one forced schedule, by construction (current_thread) + paused clock, scripted service |
//! | P7 | [`benches`] | results stored via `queue.async` and read directly: a compare right after `benchmark()` misses them | one forced schedule (a gate holds the queue) |
//!
//! Run `cargo run -p production -- list`; the book's production part walks through each one.
//! Tests read like a story — see `tests/demos/*.rs`.

use racelab_kit::demo::Chapter;

pub mod benches;
pub mod conflict_resolution;
pub mod scripted;
pub mod stress_harness;

/// The chapter's registry: the binary, the `racelab` tour and the output tests all read it.
pub static CHAPTER: Chapter = Chapter {
    name: "production",
    title: "Production resilience",
    demos: &[
        conflict_resolution::DEMO,
        stress_harness::DEMO,
        benches::DEMO,
    ],
    play: &[],
};
