//! A15 `actor_logical_race` — an actor removes the data race on an array, not the race between
//! two calls: "find the index, then remove at that index" is two trips to the actor, and another
//! task can move the items in between.
//!
//! Ports the guide's `actor SafeArrayManager` ("2. Actors (iOS 15+)", L4033–4111). Its code is
//! free of data races, as claimed. But:
//!
//! * L4066 "Race conditions detected at compile time" and L4046 "prevents data races
//!   automatically at compile time" — Swift checks *data* races (in Swift 6 mode), not logic
//!   races. `removeItem(at:)` invites one: a caller must first read the index (`getItems()`),
//!   then remove at it, and between those two `await`s the array can change.
//! * L4094 `if index < items.count` misses `index >= 0`: `removeItem(at: -1)` traps.
//!
//! Every call into the actor is one hop: [`Call`] posts a closure that runs a method on the
//! isolated state — Swift's `await manager.removeItem(at: i)`, on [`racelab_actor`] — and awaits
//! its result. The twins write their methods and the app's "delete this row" ([`ItemList::delete`])
//! once; the check runs them on the actor, and `tests/demos/actor_logical_race.rs` runs the same
//! code tokio-free under shuttle.
//!
//! The check ([`delete_item_2_while_item_1_goes`]): the list is Item 1, Item 2, Item 3. The user
//! swipes to delete Item 2; while a confirmation sheet is up, a sync deletes Item 1; then the user
//! confirms. Item 3 must be left.
//!
//! * [`broken`] reads Item 2's index (1), and after the sync removes index 1 — Item 3.
//! * [`fixed`] asks the actor to `remove("Item 2")`: finding and removing are one step inside it.
//!   (Where an index really is the API, a `usize` makes a negative one unrepresentable.) A
//!   declared rewrite (`scripts/twin-diff`): the API changes from a position to an identity — the
//!   key lines are `remove_item(at: isize)` → `remove(item: &str)`, and the app's `delete`
//!   dropping its `get_items` + `position` for one `remove(item)` call.
//!
//! How it is caught, twice: here **one forced schedule** (a [`Gate`] holds the confirmation until
//! the sync is done); in the tests, **exhaustive** over a tokio-free model of the same code —
//! shuttle's `check_dfs` tries every order of the two deletes' actor hops, with no sheet at all.

use std::future::Future;

use racelab_actor::{Actor, Gone, Handle, WeakHandle, spawn};
use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::rt::{self, Gate};
use racelab_kit::say;
use racelab_kit::trace::{Trace, traced};
use tokio::sync::oneshot;

pub mod broken;
pub mod fixed;

/// How a caller reaches an actor's state: one hop that runs `method` inside the actor, in turn
/// with every other call, and brings its result back (`await manager.someMethod()`).
pub trait Call<M>: Sync {
    /// Runs `method` on the isolated state; [`Gone`] if the actor has stopped (or died).
    fn call<R: Send + 'static>(
        &self,
        method: impl FnOnce(&mut M) -> R + Send + 'static,
    ) -> impl Future<Output = Result<R, Gone>> + Send;
}

/// What both twins are: the guide's `SafeArrayManager`, and the app code that deletes a row.
pub trait ItemList: Default + Send + 'static {
    /// `addItem(_:)`.
    fn add_item(&mut self, item: &str);
    /// `getItems()`.
    fn get_items(&self) -> Vec<String>;
    /// The app's "delete this row": the user swipes `item`, confirms (`confirmed` — a sheet in
    /// the check, nothing at all in the shuttle model), and the item goes.
    fn delete(
        manager: &impl Call<Self>,
        item: &'static str,
        confirmed: impl Future<Output = ()> + Send,
    ) -> impl Future<Output = Result<(), Gone>> + Send;
}

/// An actor whose messages are method calls: it owns `M` and runs each posted closure on it.
#[derive(Debug, Default)]
pub struct Isolated<M>(pub M);

/// A method call posted to an [`Isolated`] actor.
pub type Method<M> = Box<dyn FnOnce(&mut M) + Send>;

impl<M: Send + 'static> Actor for Isolated<M> {
    type Message = Method<M>;

    async fn handle(&mut self, method: Method<M>, _me: &WeakHandle<Self>) {
        method(&mut self.0);
    }
}

impl<M: Send + 'static> Call<M> for Handle<Isolated<M>> {
    async fn call<R: Send + 'static>(
        &self,
        method: impl FnOnce(&mut M) -> R + Send + 'static,
    ) -> Result<R, Gone> {
        let (reply, answer) = oneshot::channel();
        self.tell(Box::new(move |state: &mut M| {
            let _ = reply.send(method(state));
        }))
        .await?;
        answer.await.map_err(|_| Gone)
    }
}

// ANCHOR: check
/// Items 1–3. The user swipes Item 2 and a confirmation sheet opens; meanwhile a sync deletes
/// Item 1; then the user confirms. Only Item 3 may be left.
pub async fn delete_item_2_while_item_1_goes<L: ItemList>() -> Result<(), String> {
    let (manager, task) = spawn("manager", Isolated(L::default()));
    for item in ["Item 1", "Item 2", "Item 3"] {
        manager
            .call(move |list| list.add_item(item))
            .await
            .map_err(gone)?;
    }
    let sheet = Gate::new("the user confirms");
    let swipe = rt::spawn("swipe", {
        let (manager, sheet) = (manager.clone(), sheet.clone());
        async move { L::delete(&manager, "Item 2", sheet.wait()).await }
    });
    sheet.arrived(1).await; // the swipe has read where Item 2 is, and waits for the user
    let sync = rt::spawn("sync", {
        let manager = manager.clone();
        async move { L::delete(&manager, "Item 1", async {}).await }
    });
    sync.await.map_err(|e| e.to_string())?.map_err(gone)?;
    say!("the user confirms");
    sheet.open();
    swipe.await.map_err(|e| e.to_string())?.map_err(gone)?;

    let left = manager.call(|list| list.get_items()).await.map_err(gone)?;
    drop(manager);
    task.await.map_err(|e| e.to_string())?;
    if left != ["Item 3"] {
        return Err(format!(
            "deleting Item 2 and Item 1 left {left:?}: the swipe removed the index Item 2 had \
             before the sync moved it"
        ));
    }
    Ok(())
}
// ANCHOR_END: check

fn gone(e: Gone) -> String {
    e.to_string()
}

/// Runs the check for one twin on the paused clock, with a trace installed.
pub fn run(variant: Variant) -> (Result<(), String>, Trace) {
    traced(|_| match variant {
        Variant::Broken => rt::run_as(
            "app",
            delete_item_2_while_item_1_goes::<broken::SafeArrayManager>(),
        ),
        Variant::Fixed => rt::run_as(
            "app",
            delete_item_2_while_item_1_goes::<fixed::SafeArrayManager>(),
        ),
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "A15",
    name: "actor_logical_race",
    summary: "an index read in one actor call is stale by the next: the wrong item is removed; \
              remove by identity inside the actor",
    run: demo,
};

/// The demo: the scenario, narrated.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading(
        "one forced schedule: the user swipes Item 2; a sync deletes Item 1 before the user \
         confirms",
    );
    let (outcome, trace) = run(variant);
    report.trace(&trace);
    report.conclude(
        outcome.err(),
        "Item 2 and Item 1 were removed, Item 3 is left",
    );
    report
}
