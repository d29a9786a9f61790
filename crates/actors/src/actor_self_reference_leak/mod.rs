//! A9 `actor_self_reference_leak` — an actor that holds a strong handle to itself never ends.
//!
//! Ports the guide's "Automatic Memory Management with Actors" (L911–933): `actor
//! MemorySafeManager`, which stores observer closures per key and calls them when the key's value
//! changes, and the comment "Actors automatically handle memory management. No need for weak
//! references or manual cleanup" (L930–931). That claim is false:
//!
//! * An actor is a reference type like a class; an observer closure it stores that captures the
//!   actor (to write a derived value back, say) is a reference cycle like any other, and the actor
//!   is never freed. Here in Rust the actor is a task that ends when the last handle to its mailbox
//!   drops ([`racelab_actor`]); an observer stored *inside* the actor holding a strong
//!   [`Handle`] keeps the mailbox open, so the task waits for a message forever — the classic
//!   tokio actor leak.
//! * `observers[key] = observer` (L923) keeps one observer per key: a second `addObserver` for the
//!   same key silently replaces the first.
//! * (Neither `Any` nor `() -> Void` is `Sendable`: Swift 6 accepts passing them into the actor
//!   only where it can prove the caller keeps no other reference. The port's observers are `Send`.)
//!
//! The check ([`every_handle_dropped_ends_the_actor`]): observe `name` with a logger and then a
//! greeter (which sets `greeting` on the same manager), observe `greeting`, set `name`; once the
//! greeting is set, drop the last outside handle. The actor must end, and the logger must have
//! run.
//!
//! * [`broken`]: the greeter holds a strong handle — the actor never ends (proven with
//!   [`rt::until_stuck`]: no task can run and no timer is due) — and the greeter replaced the
//!   logger.
//! * [`fixed`]: the greeter holds a [`racelab_actor::WeakHandle`] and upgrades it only while it
//!   sends; each key keeps a list of observers.
//!
//! How it is caught: **one forced schedule** — one thread, a paused clock, the mailbox's order, and
//! a gate the caller waits at until the greeting is set; "never ends" is a proof, not a timeout.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

use racelab_actor::{Actor, Handle, spawn};
use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::rt::{self, Gate};
use racelab_kit::say;
use racelab_kit::trace::{Trace, traced};

pub mod broken;
pub mod fixed;

/// An observer of one key: called with the key's new value, on the actor's task.
pub type Observer = Box<dyn Fn(&str) + Send>;

/// What a `MemorySafeManager` can be sent: the guide's two methods.
pub enum Msg {
    /// `setData(_:for:)`.
    SetData(String, String),
    /// `addObserver(_:for:)`.
    AddObserver(String, Observer),
}

/// What the check needs of a twin: the actor, and the observer that writes back into it.
pub trait Manager: Actor<Message = Msg> + Default {
    /// An observer of `name` that sets `greeting` to `"Hello, <name>"` on the same manager.
    fn greeter(manager: &Handle<Self>) -> Observer;
}

/// Sends `greeting = "Hello, <name>"` to `manager`, from a task of its own (an observer runs
/// inside the actor, which cannot wait for its own mailbox) — if there is a manager to send to.
pub fn greet<M: Manager>(manager: Option<Handle<M>>, name: &str) {
    let Some(manager) = manager else { return };
    let greeting = format!("Hello, {name}");
    rt::spawn("greeter", async move {
        let _ = manager
            .tell(Msg::SetData("greeting".into(), greeting))
            .await;
    });
}

// ANCHOR: check
/// A logger and a greeter on `name`, a gate on `greeting`; set `name`, wait for the greeting, drop
/// the last outside handle: the actor must end, and the logger must have run once.
pub async fn every_handle_dropped_ends_the_actor<M: Manager>() -> Result<(), String> {
    let (manager, task) = spawn("manager", M::default());
    let gone = |e: racelab_actor::Gone| e.to_string();
    let logged = Arc::new(AtomicUsize::new(0));
    let greeted = Gate::new("greeting set");
    let logger: Observer = Box::new({
        let logged = Arc::clone(&logged);
        move |_| _ = logged.fetch_add(1, SeqCst)
    });
    let on_greeting: Observer = Box::new({
        let greeted = greeted.clone();
        move |_| greeted.open()
    });

    say!("observes name (a logger, then a greeter) and greeting; sets name = \"Ann\"");
    for (key, observer) in [
        ("name", logger),
        ("name", M::greeter(&manager)),
        ("greeting", on_greeting),
    ] {
        let message = Msg::AddObserver(key.into(), observer);
        manager.tell(message).await.map_err(gone)?;
    }
    manager
        .tell(Msg::SetData("name".into(), "Ann".into()))
        .await
        .map_err(gone)?;
    rt::until_stuck(greeted.wait())
        .await
        .map_err(|stuck| format!("the greeting was never set ({stuck})"))?;
    say!("sees the greeting set; drops its last handle and waits for the manager to end");
    drop(manager);
    if let Err(stuck) = rt::until_stuck(task).await {
        say!("is still waiting at {}: the manager never ended", stuck.at);
        return Err(format!(
            "never ended (stuck at {}): an observer keeps its mailbox open",
            stuck.at
        ));
    }
    say!("sees the manager end");
    match logged.load(SeqCst) {
        1 => Ok(()),
        n => Err(format!(
            "the logger on name ran {n} times: the greeter replaced it"
        )),
    }
}
// ANCHOR_END: check

/// Runs the check for one twin on the paused clock, with a trace installed.
pub fn run(variant: Variant) -> (Result<(), String>, Trace) {
    traced(|_| match variant {
        Variant::Broken => rt::run_as(
            "caller",
            every_handle_dropped_ends_the_actor::<broken::MemorySafeManager>(),
        ),
        Variant::Fixed => rt::run_as(
            "caller",
            every_handle_dropped_ends_the_actor::<fixed::MemorySafeManager>(),
        ),
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "A9",
    name: "actor_self_reference_leak",
    summary: "an actor's observer holding its own handle keeps it alive forever",
    run: demo,
};

/// The demo: the scenario, narrated.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report
        .heading("paused clock: a greeter observer writes \"Hello, <name>\" back into the manager");
    let (outcome, trace) = run(variant);
    report.trace(&trace);
    report.conclude(
        outcome.err(),
        "the manager ended with its last handle; both observers of name ran",
    );
    report
}
