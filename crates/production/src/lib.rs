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
//! | P1 | [`circuit_breaker`] | half-open lets the herd in; stuck open; 404s trip it | forced schedule |
//! | P2 | [`graceful_degradation`] | a network reconnect erases a performance degradation; the fallback runs on a 404 and on a cancelled call | one forced sequence; proptest laws; a scripted service on the paused clock |
//! | P3 | [`offline_outbox`] | an operation sent twice, a newer update dropped, an in-memory outbox lost on restart | forced schedules; exhaustive over crash points |
//! | P4 | [`conflict_resolution`] | two-way merge: a fast-forward is a conflict, the remote side always wins (both timestamps are `Date()`), a deletion becomes an empty record | proptest laws (fixed seed, bounded) + a pinned decision table |
//! | P5 | [`backoff_strategies`] | `RetryStrategy` never calls the operation again; no cap | forced schedule; proptest |
//! | P6 | [`stress_harness`] | a blocking group wait inside async code starves the operations it waits for (0 completions); the semaphore limits nothing; `UInt64` memory delta traps | one forced schedule, by construction (current_thread) + paused clock, scripted service |
//! | P7 | [`benches`] | results stored via `queue.async` and read directly: a compare right after `benchmark()` misses them | one forced schedule (a gate holds the queue) |
//! | P8 | [`leak_tracker`] | the leak detector reports freed objects, misses a reference cycle, and its own timer keeps it alive | one forced schedule (a checkpoint; paused clock for the timer) |
//! | P9 | [`profiling_clock`] | the profiler traps when memory shrinks (unsigned subtraction) and times with a wall clock that steps back | exhaustive: one thread, so one schedule (scripted readings) |
//! | P10 | [`thread_inspector`] (a sidebar: no twins) | Mach-only in the guide (and it never releases the thread ports it is handed); Linux lists threads under `/proc/self/task` | a smoke test on the real kernel (`tests/demos/thread_inspector.rs`) |
//! | P11 | [`memory_pressure_cache`] | a count-limited cache holds 100 MB against a 50 MB budget; a critical event is read as a warning | one forced schedule (moka after `run_pending_tasks()`, a simulated pressure source) |
//! | P12 | [`ttl_cache_cleanup`] | the cache cleanup keeps every entry: nothing ever expires | one forced schedule (paused clock) |
//!
//! Run `cargo run -p production -- list`; the book's production part walks through each one.
//! Tests read like a story — see `tests/demos/*.rs`.

use racelab_kit::demo::Chapter;

pub mod backoff_strategies;
pub mod benches;
pub mod circuit_breaker;
pub mod conflict_resolution;
pub mod graceful_degradation;
pub mod leak_tracker;
pub mod memory;
pub mod memory_pressure_cache;
pub mod offline_outbox;
pub mod profiling_clock;
pub mod scripted;
pub mod stress_harness;
pub mod thread_inspector;
pub mod ttl_cache_cleanup;

/// The chapter's registry: the binary, the `racelab` tour and the output tests all read it.
pub static CHAPTER: Chapter = Chapter {
    name: "production",
    title: "Production resilience",
    demos: &[
        circuit_breaker::DEMO,
        graceful_degradation::DEMO,
        offline_outbox::DEMO,
        conflict_resolution::DEMO,
        backoff_strategies::DEMO,
        stress_harness::DEMO,
        benches::DEMO,
        leak_tracker::DEMO,
        profiling_clock::DEMO,
        memory_pressure_cache::DEMO,
        ttl_cache_cleanup::DEMO,
    ],
    play: &[],
    sidebars: &[thread_inspector::SIDEBAR],
};
