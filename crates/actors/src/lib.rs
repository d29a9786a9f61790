//! # actors — async/await, structured concurrency and actors on tokio
//!
//! Chapter 2 of racelab: the guide's async/await, task-group and actor examples. The demos are
//! written against a small actor library, [`racelab_actor`] (`crates/actor`): a task that owns
//! its state, a bounded mailbox, `oneshot` replies and weak handles.
//!
//! Every scenario runs on [`racelab_kit::rt`]: a `current_thread` runtime with the clock paused,
//! so "A takes 200 ms, B 50 ms" is an exact script that takes no real time, and
//! [`Gate`](racelab_kit::rt::Gate)s — never spawn order — fix every order a check relies on.
//! A scenario that can never finish is proven stuck ([`rt::until_stuck`](racelab_kit::rt::until_stuck)),
//! not timed out.
//!
//! | ID | demo | what goes wrong | how it is caught |
//! |---|---|---|---|
//! | A1 | [`callbacks_to_async`] | an async bridge over a callback API waits forever when the callback is dropped uncalled | one forced schedule (paused clock; "never returns" proven by `until_stuck`); compile-fail for a second call |
//! | A2 | [`latest_request_wins`] | two overlapping fetches: the older answer overwrites the newer user and ends its spinner | one forced schedule (paused clock, two scripts) |
//! | A3 | [`actor_basics`] | a slow `await` inside an actor holds up every later message | one forced schedule (mailbox order, paused clock) |
//! | A4 | [`task_group_ordering`] | a task group yields results in completion order, every request at once | one forced schedule (paused clock, distinct answer times) |
//! | A5 | [`loading_flag`] | one `isLoading` bool for many requests, cleared by a task that runs later | one forced schedule (paused clock, two checks) |
//! | A6 | [`batch_ordering`] | a task group's DB operations land out of order, each committed alone | one forced schedule (scripted hops to the queue, paused clock) |
//! | A7 | [`captures_and_cycles`] | a stored handler that captures its owner strongly is a cycle nothing frees | the only schedule (one thread, a `Drop` flag) |
//! | A8 | [`weak_registry`] | a registry that holds handlers only weakly frees each at once and calls nothing | the only schedule (one thread) |
//! | A9 | [`actor_self_reference_leak`] | an observer the actor stores holds a strong handle to it: the actor never ends | one forced schedule; "never ends" proven stuck (paused clock) |
//! | A10 | [`image_loader_dedup`] | ten loads of one image miss the cache together: ten downloads; a slow first load shows over a newer one | one forced schedule (paused clock); shuttle `check_dfs` on a model (exhaustive) |
//! | A11 | [`db_actor`] | `database?` turns a missing database into success; the Swift shape does not compile | compile-fail (E0521), and one forced schedule (request/answer over channels) |
//! | A12 | [`single_flight_sync`] | a caller that finds a sync running returns `Ok` at once and never sees it fail; a failed sync is retried at once | one forced schedule (a gate, paused clock) |
//! | A13 | [`cooperative_timeout`] | a read that blocks the runtime thread cannot be timed out; the timer never fires | one forced schedule (a proven-blocked thread, paused clock) |
//! | A14 | [`testing_async`] | an error in a task nobody awaits becomes a 5 s timeout; a stress test that cannot fail | one forced schedule (paused clock); loom, exhaustive, as the negative control |
//! | A15 | [`actor_logical_race`] | an index read in one actor call is stale by the next: the wrong item goes | one forced schedule (a gate); shuttle `check_dfs` on a model (exhaustive) |
//! | A16 | [`dropping_tasks`] | a timeout drops a `JoinHandle`; the task runs on and charges the card | one forced schedule (paused clock) |
//! | A17 | [`futurelock`] | `select!` on `&mut op1` leaves op1 queued for a lock nobody polls it to take | one forced schedule, proven stuck (`until_stuck`) + compile-fail |
//!
//! Run `cargo run -p actors -- list`; the book's actors part walks through each one. Tests read
//! like a story — see `tests/demos/*.rs`.

use racelab_kit::demo::Chapter;

pub mod actor_basics;
pub mod actor_logical_race;
pub mod actor_self_reference_leak;
pub mod batch_ordering;
pub mod callbacks_to_async;
pub mod captures_and_cycles;
pub mod cooperative_timeout;
pub mod db_actor;
pub mod dropping_tasks;
pub mod futurelock;
pub mod image_loader_dedup;
pub mod latest_request_wins;
pub mod loading_flag;
pub mod single_flight_sync;
pub mod task_group_ordering;
pub mod testing_async;
pub mod weak_registry;

/// The chapter's registry: the binary, the `racelab` tour and the output tests all read it.
pub static CHAPTER: Chapter = Chapter {
    name: "actors",
    title: "Async/await and actors",
    demos: &[
        callbacks_to_async::DEMO,
        latest_request_wins::DEMO,
        actor_basics::DEMO,
        task_group_ordering::DEMO,
        loading_flag::DEMO,
        batch_ordering::DEMO,
        captures_and_cycles::DEMO,
        weak_registry::DEMO,
        actor_self_reference_leak::DEMO,
        image_loader_dedup::DEMO,
        db_actor::DEMO,
        single_flight_sync::DEMO,
        cooperative_timeout::DEMO,
        testing_async::DEMO,
        actor_logical_race::DEMO,
        dropping_tasks::DEMO,
        futurelock::DEMO,
    ],
    play: &[],
    sidebars: &[],
};
