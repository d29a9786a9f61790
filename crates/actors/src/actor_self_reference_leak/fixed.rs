//! A9's fixed `MemorySafeManager`: the greeter observer holds a weak handle and upgrades it only
//! while it sends, so the actor ends when its last outside handle goes; and each key keeps a list
//! of observers, so adding one never replaces another.

use std::collections::HashMap;

use racelab_actor::{Actor, Handle, WeakHandle};
use racelab_kit::say;

use super::{Msg, Observer};

// ANCHOR: manager
/// `actor MemorySafeManager { data: [String: Any]; observers: [String: [() -> Void]] }`.
#[derive(Default)]
pub struct MemorySafeManager {
    data: HashMap<String, String>,
    observers: HashMap<String, Vec<Observer>>, // many observers per key
}

impl Actor for MemorySafeManager {
    type Message = Msg;

    async fn handle(&mut self, message: Msg, _me: &WeakHandle<Self>) {
        match message {
            Msg::SetData(key, value) => {
                self.data.insert(key.clone(), value.clone());
                let all = self.observers.get(&key).into_iter().flatten(); // every observer of key
                let notified: Vec<_> = all.collect();
                say!(
                    "sets {key} = {value:?}; notifies {} observer(s)",
                    notified.len()
                );
                for observer in notified {
                    observer(&value);
                }
            }
            Msg::AddObserver(key, observer) => {
                self.observers.entry(key).or_default().push(observer); // adds, never replaces
            }
        }
    }
}
// ANCHOR_END: manager

// ANCHOR: greeter
impl super::Manager for MemorySafeManager {
    fn greeter(manager: &Handle<Self>) -> Observer {
        let manager = manager.downgrade(); // weak: an observer must not keep its actor alive
        Box::new(move |name| super::greet(manager.upgrade(), name)) // strong only while it sends
    }
}
// ANCHOR_END: greeter
