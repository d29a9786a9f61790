//! R5, broken: the guide's `UnsafeArrayManager`, whose `removeItem(at:)` checks the index and then
//! removes, with the lock let go in between.
//!
//! This version is problematic.
//!
//! Safe Rust will not compile the guide's class as it stands: a `Vec` mutated from two threads with
//! no lock is rejected (see `tests/compile_fail/unsafe_array.rs`). So each step here *is* locked —
//! the closest safe program is a `Mutex<Vec<T>>` where the check and the removal each take the lock
//! on their own. Every step is "thread-safe", and the method still is not: two threads removing the
//! last index both pass the check, and the second one's `remove` panics, exactly as the guide's
//! `items.remove(at:)` traps. Swift's `index` is an `Int`, so the guide also lets `-1` through its
//! check (`-1 < items.count`) and traps; a `usize` index cannot be negative, so `index < len` is the
//! whole bounds check.

use racelab_kit::say;
use racelab_kit::sync::prelude::*;

// ANCHOR: array
/// The guide's `UnsafeArrayManager` (L3915–3927), each step under a lock.
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

    /// `removeItem(at:)`: if the index is in range, removes that item (and returns it).
    pub fn remove_item(&self, index: usize) -> Option<T> {
        let count = self.items.lock().len();
        say!("checks {index} < count {count}: {}", index < count);
        if index < count {
            let mut items = self.items.lock(); // locked again: the check above may be stale by now
            say!("locks again: count is {}", items.len());
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
