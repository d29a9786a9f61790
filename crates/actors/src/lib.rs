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
//! | A7 | [`captures_and_cycles`] | a stored handler that captures its owner strongly is a cycle nothing frees | the only schedule (one thread, a `Drop` flag) |
//! | A8 | [`weak_registry`] | a registry that holds handlers only weakly frees each at once and calls nothing | the only schedule (one thread) |
//! | A9 | [`actor_self_reference_leak`] | an observer the actor stores holds a strong handle to it: the actor never ends | one forced schedule; "never ends" proven stuck (paused clock) |
//!
//! Run `cargo run -p actors -- list`; the book's actors part walks through each one. Tests read
//! like a story — see `tests/demos/*.rs`.

use racelab_kit::demo::Chapter;

pub mod actor_basics;
pub mod actor_self_reference_leak;
pub mod captures_and_cycles;
pub mod weak_registry;

/// The chapter's registry: the binary, the `racelab` tour and the output tests all read it.
pub static CHAPTER: Chapter = Chapter {
    name: "actors",
    title: "Async/await and actors",
    demos: &[
        actor_basics::DEMO,
        captures_and_cycles::DEMO,
        weak_registry::DEMO,
        actor_self_reference_leak::DEMO,
    ],
    play: &[],
};
