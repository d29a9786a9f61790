//! A9's broken `MemorySafeManager`: the guide's actor, with a greeter observer that writes back
//! into the same actor. This version is problematic: the observer holds a strong handle to the
//! actor's own mailbox, so the mailbox never closes and the actor never ends after every outside
//! handle is gone. And `observers[key] = observer` keeps one observer per key: a second one
//! silently replaces the first.

use std::collections::HashMap;

use racelab_actor::{Actor, Handle, WeakHandle};
use racelab_kit::say;

use super::{Msg, Observer};

// ANCHOR: manager
/// `actor MemorySafeManager { data: [String: Any]; observers: [String: () -> Void] }`.
#[derive(Default)]
pub struct MemorySafeManager {
    data: HashMap<String, String>,
    observers: HashMap<String, Observer>,
}

impl Actor for MemorySafeManager {
    type Message = Msg;

    async fn handle(&mut self, message: Msg, _me: &WeakHandle<Self>) {
        match message {
            Msg::SetData(key, value) => {
                self.data.insert(key.clone(), value.clone());
                let all = self.observers.get(&key).into_iter();
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
                self.observers.insert(key, observer); // `observers[key] = observer`
            }
        }
    }
}
// ANCHOR_END: manager

// ANCHOR: greeter
impl super::Manager for MemorySafeManager {
    fn greeter(manager: &Handle<Self>) -> Observer {
        let manager = manager.clone();
        Box::new(move |name| super::greet(Some(manager.clone()), name))
    }
}
// ANCHOR_END: greeter
