//! A3 `actor_basics` — an actor runs one message at a time, so a slow `await` inside it holds up
//! every message behind it.
//!
//! Ports the guide's `actor UserManager`, shown twice: "3. Actor-Based Concurrency" (L272–307)
//! and "Actor for Thread Safety" (L1983–2059). The guide's code is fine; its claims are not:
//!
//! * "Efficient concurrent access without locks" (L278) and "without blocking" (L1992, L2003): an
//!   actor handles **one** job at a time, so there is no concurrent access — that is the whole
//!   point of it. Callers *queue*; a slow job makes every later caller wait.
//! * "Only one method can execute at a time per actor" (L4054) is false for Swift's actors across
//!   an `await`: they are reentrant, and another call runs while a method is suspended. A tokio
//!   actor (a task looping over its mailbox, [`racelab_actor`]) is the opposite: not reentrant,
//!   so an `await` inside a handler blocks the mailbox.
//!
//! The check ([`quick_read_while_a_slow_add_runs`]): `addUser(John)` looks John up in a directory
//! that answers after [`LOOKUP`] (1000 ms of paused time); a `getUsers()` sent right behind it
//! must be answered at t=0ms, and a second `addUser(John)` (a double tap) must not add John twice.
//!
//! * [`broken`] awaits the lookup *inside* the handler: `getUsers()` waits 1000 ms behind it.
//! * [`fixed`] spawns the lookup beside the actor and has it post `Verified(John)` back through a
//!   weak handle, so the mailbox keeps moving. That makes the actor reentrant by design — its state
//!   can change while a lookup runs — so `Verified` checks again before it adds (without that
//!   re-check, the double tap would add John twice).
//!
//! How it is caught: **one forced schedule**. The mailbox is FIFO and the caller posts in order, so
//! the order of jobs is fixed by construction; the paused clock makes 1000 ms exact and instant.

use std::time::Duration;

use racelab_actor::{Actor, Reply, spawn};
use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::trace::{Trace, traced};
use racelab_kit::{rt, say};

pub mod broken;
pub mod fixed;

/// A user, by name.
pub type User = &'static str;

/// How long the directory takes to look a user up (paused time: exact, and free).
pub const LOOKUP: Duration = Duration::from_millis(1000);

/// What a `UserManager` can be sent: the guide's two methods, and the fixed twin's note to itself.
#[derive(Debug)]
pub enum Msg {
    /// `addUser(_:)`: look the user up, then add them once.
    AddUser(User),
    /// `getUsers()`.
    GetUsers(Reply<Vec<User>>),
    /// The lookup of a user came back valid (only the fixed twin posts this, to itself).
    Verified(User),
}

/// The directory: every user is valid, after [`LOOKUP`]. It says nothing itself — the actor
/// narrates — so no line depends on which of two ready tasks tokio polls first.
pub async fn look_up(_user: User) -> bool {
    tokio::time::sleep(LOOKUP).await;
    true
}

// ANCHOR: check
/// `addUser(John)`, then at once `getUsers()` (must answer at t=0ms), then `addUser(John)` again;
/// after the lookups, John must be there exactly once.
pub async fn quick_read_while_a_slow_add_runs<M: Actor<Message = Msg> + Default>()
-> Result<(), String> {
    let (manager, task) = spawn("user-manager", M::default());
    let gone = |e: racelab_actor::Gone| e.to_string();

    say!("sends addUser(John), then getUsers() at once");
    manager.tell(Msg::AddUser("John")).await.map_err(gone)?;
    let users = manager.ask(Msg::GetUsers).await.map_err(gone)?;
    let answered = rt::now();
    say!("gets {users:?} at {answered}");

    say!("sends addUser(John) again (a double tap)");
    manager.tell(Msg::AddUser("John")).await.map_err(gone)?;
    tokio::time::sleep(2 * LOOKUP).await;
    let users = manager.ask(Msg::GetUsers).await.map_err(gone)?;
    say!("gets {users:?} at {}", rt::now());
    drop(manager);
    task.await.map_err(|e| e.to_string())?;

    if answered.0 > Duration::ZERO {
        return Err(format!(
            "getUsers() waited {} ms behind addUser's lookup: one message at a time",
            answered.0.as_millis()
        ));
    }
    let times = users.iter().filter(|u| **u == "John").count();
    if times != 1 {
        return Err(format!(
            "John is in the list {times} times after one double tap"
        ));
    }
    Ok(())
}
// ANCHOR_END: check

/// Runs the check for one twin on the paused clock, with a trace installed.
pub fn run(variant: Variant) -> (Result<(), String>, Trace) {
    traced(|_| match variant {
        Variant::Broken => rt::run_as(
            "caller",
            quick_read_while_a_slow_add_runs::<broken::UserManager>(),
        ),
        Variant::Fixed => rt::run_as(
            "caller",
            quick_read_while_a_slow_add_runs::<fixed::UserManager>(),
        ),
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "A3",
    name: "actor_basics",
    summary: "an await inside an actor holds up its whole mailbox; run the slow part beside it",
    run: demo,
};

/// The demo: the scenario, narrated.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading(format!(
        "paused clock: addUser(John) does a {} ms lookup; getUsers() is sent right behind it",
        LOOKUP.as_millis()
    ));
    let (outcome, trace) = run(variant);
    report.trace(&trace);
    report.conclude(
        outcome.err(),
        "getUsers() answered at t=0ms, and the double tap added John once",
    );
    report
}
