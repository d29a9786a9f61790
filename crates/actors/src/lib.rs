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
//! | A13 | [`cooperative_timeout`] | a read that blocks the runtime thread cannot be timed out; the timer never fires | one forced schedule (a proven-blocked thread, paused clock) |
//! | A14 | [`testing_async`] | an error in a task nobody awaits becomes a 5 s timeout; a stress test that cannot fail | one forced schedule (paused clock); loom, exhaustive, as the negative control |
//! | A16 | [`dropping_tasks`] | a timeout drops a `JoinHandle`; the task runs on and charges the card | one forced schedule (paused clock) |
//! | A17 | [`futurelock`] | `select!` on `&mut op1` leaves op1 queued for a lock nobody polls it to take | one forced schedule, proven stuck (`until_stuck`) + compile-fail |
//!
//! Run `cargo run -p actors -- list`; the book's actors part walks through each one. Tests read
//! like a story — see `tests/demos/*.rs`.

use racelab_kit::demo::Chapter;

pub mod actor_basics;
pub mod cooperative_timeout;
pub mod dropping_tasks;
pub mod futurelock;
pub mod testing_async;

/// The chapter's registry: the binary, the `racelab` tour and the output tests all read it.
pub static CHAPTER: Chapter = Chapter {
    name: "actors",
    title: "Async/await and actors",
    demos: &[
        actor_basics::DEMO,
        cooperative_timeout::DEMO,
        testing_async::DEMO,
        dropping_tasks::DEMO,
        futurelock::DEMO,
    ],
    play: &[],
};
