//! A15 `actor_logical_race`: an index read in one actor call is stale by the next, so the wrong
//! item is removed; the fixed actor removes by identity, in one call.

use std::sync::{Arc, Mutex};

use actors::actor_logical_race::{
    Call, Isolated, ItemList, broken, delete_item_2_while_item_1_goes, fixed, run,
};
use racelab_actor::{Gone, spawn};
use racelab_kit::demo::Variant;
use racelab_kit::rt;
use racelab_kit::sync::lock_unpoisoned;

use crate::exhaustive::every_schedule;

/// The trivial case: one delete at a time, the index is still right when it is used.
#[test]
fn broken_actor_logical_race_is_right_for_one_delete_at_a_time() {
    let left = rt::run(async {
        let (manager, _task) = spawn("manager", Isolated(broken::SafeArrayManager::default()));
        for item in ["Item 1", "Item 2", "Item 3"] {
            manager.call(move |list| list.add_item(item)).await.unwrap();
        }
        broken::SafeArrayManager::delete(&manager, "Item 2", async {})
            .await
            .unwrap();
        manager.call(|list| list.get_items()).await.unwrap()
    });
    assert_eq!(left, ["Item 1", "Item 3"]);
}

/// The guide's bounds check lacks `index >= 0`: `removeItem(at: -1)` traps, and the actor — its
/// task — dies with it; every later call finds it gone.
#[test]
fn broken_actor_logical_race_traps_on_a_negative_index() {
    let (at_minus_one, afterwards) = rt::run(async {
        let (manager, _task) = spawn("manager", Isolated(broken::SafeArrayManager::default()));
        manager.call(|list| list.add_item("Item 1")).await.unwrap();
        let at_minus_one = manager.call(|list| list.remove_item(-1)).await;
        (at_minus_one, manager.call(|list| list.get_items()).await)
    });
    assert_eq!((at_minus_one, afterwards), (Err(Gone), Err(Gone)));
}

// ANCHOR: caught
/// The forced schedule: the swipe reads Item 2 at index 1; the sync removes Item 1; the swipe
/// removes index 1 — now Item 3.
#[test]
fn broken_actor_logical_race_removes_the_wrong_item() {
    let (outcome, trace) = run(Variant::Broken);
    assert_eq!(
        outcome.unwrap_err(),
        "deleting Item 2 and Item 1 left [\"Item 2\"]: the swipe removed the index Item 2 had \
         before the sync moved it"
    );
    racelab_testkit::snapshot!("actor_logical_race__trace", trace.render());
}
// ANCHOR_END: caught

/// The same check on the fixed twin: Item 3 is left.
#[test]
fn fixed_actor_logical_race_removes_the_item_it_was_asked_to() {
    assert_eq!(
        rt::run(delete_item_2_while_item_1_goes::<fixed::SafeArrayManager>()),
        Ok(())
    );
}

// ANCHOR: model
/// The actor, tokio-free: its state behind a lock, and each call one scheduling point (a
/// `yield_now`) before the method runs — one hop, in turn with every other call.
struct ModelActor<M>(Mutex<M>);

impl<M: Send> Call<M> for ModelActor<M> {
    async fn call<R: Send + 'static>(
        &self,
        method: impl FnOnce(&mut M) -> R + Send + 'static,
    ) -> Result<R, Gone> {
        shuttle::future::yield_now().await;
        Ok(method(&mut lock_unpoisoned(&self.0)))
    }
}

/// Items 1–3; two tasks delete Item 2 and Item 1 — the twins' own `delete`, with no sheet.
/// Whatever the order of their calls, only Item 3 may be left.
fn two_deletes<L: ItemList>() {
    let mut list = L::default();
    for item in ["Item 1", "Item 2", "Item 3"] {
        list.add_item(item);
    }
    let manager = Arc::new(ModelActor(Mutex::new(list)));
    let deletes: Vec<_> = ["Item 2", "Item 1"]
        .into_iter()
        .map(|item| {
            let manager = manager.clone();
            shuttle::future::spawn(async move { L::delete(&*manager, item, async {}).await })
        })
        .collect();
    for delete in deletes {
        shuttle::future::block_on(delete)
            .expect("a delete finishes")
            .expect("the model actor never stops");
    }
    let left = lock_unpoisoned(&manager.0).get_items();
    assert!(
        left == ["Item 3"],
        "deleting Item 2 and Item 1 left {left:?}"
    );
}
// ANCHOR_END: model

// ANCHOR: search
/// Every schedule of the model (shuttle's depth-first search, no bound): the broken twin has one
/// that removes the wrong item.
#[test]
fn broken_actor_logical_race_has_a_schedule_that_removes_the_wrong_item() {
    assert_eq!(
        every_schedule(two_deletes::<broken::SafeArrayManager>),
        Err("deleting Item 2 and Item 1 left [\"Item 2\"]".to_string())
    );
}

/// The fixed twin under the same search: all 26 schedules of the model leave Item 3.
#[test]
fn fixed_actor_logical_race_leaves_item_3_in_every_schedule() {
    assert_eq!(
        every_schedule(two_deletes::<fixed::SafeArrayManager>),
        Ok(26)
    );
}
// ANCHOR_END: search
