//! R5, fixed: the check and the removal happen under one lock.
//!
//! `remove_at` takes the lock once, checks the index against the length it sees *now*, and removes
//! before letting go, so no other thread can change the length in between. It returns the item or
//! `None` (like `VecDeque::remove`), so the caller learns whether it got the item — which the guide's
//! `removeItem(at:)`, returning nothing, never says.

use racelab_kit::say;
use racelab_kit::sync::prelude::*;

// ANCHOR: array
/// The array manager with an indivisible check-and-remove.
pub struct ArrayManager<P: Primitives, T: Send> {
    items: P::Mutex<Vec<T>>,
}

impl<P: Primitives, T: Send> ArrayManager<P, T> {
    /// A manager holding `items`.
    pub fn new(items: Vec<T>) -> Self {
        ArrayManager {
            items: P::Mutex::new(items),
        }
    }

    /// `addItem`: appends an item.
    pub fn add_item(&self, item: T) {
        self.items.lock().push(item);
    }

    /// If the index is in range, removes that item and returns it; otherwise `None`.
    pub fn remove_at(&self, index: usize) -> Option<T> {
        let mut items = self.items.lock(); // one lock for the check and the removal
        let count = items.len();
        say!("checks {index} < count {count}: {}", index < count);
        if index < count {
            let item = items.remove(index);
            say!("removes item {index}");
            return Some(item);
        }
        None
    }

    /// `getItemCount` (L7008–7010): how many items there are.
    pub fn item_count(&self) -> usize {
        self.items.lock().len()
    }
}
// ANCHOR_END: array
