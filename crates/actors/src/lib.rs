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
//! | A3 | [`actor_basics`] | a slow `await` inside an actor holds up every later message | one forced schedule (mailbox order, paused clock) |
//! | A10 | [`image_loader_dedup`] | ten loads of one image miss the cache together: ten downloads; a slow first load shows over a newer one | one forced schedule (paused clock); shuttle `check_dfs` on a model (exhaustive) |
//! | A12 | [`single_flight_sync`] | a caller that finds a sync running returns `Ok` at once and never sees it fail; a failed sync is retried at once | one forced schedule (a gate, paused clock) |
//! | A15 | [`actor_logical_race`] | an index read in one actor call is stale by the next: the wrong item goes | one forced schedule (a gate); shuttle `check_dfs` on a model (exhaustive) |
//!
//! Run `cargo run -p actors -- list`; the book's actors part walks through each one. Tests read
//! like a story — see `tests/demos/*.rs`.

use racelab_kit::demo::Chapter;

pub mod actor_basics;
pub mod actor_logical_race;
pub mod image_loader_dedup;
pub mod single_flight_sync;

/// The chapter's registry: the binary, the `racelab` tour and the output tests all read it.
pub static CHAPTER: Chapter = Chapter {
    name: "actors",
    title: "Async/await and actors",
    demos: &[
        actor_basics::DEMO,
        image_loader_dedup::DEMO,
        single_flight_sync::DEMO,
        actor_logical_race::DEMO,
    ],
    play: &[],
};
