//! A15's broken `SafeArrayManager`: the guide's actor, and the app code its index API invites.
//! This version is problematic: the index of an item is read in one call to the actor and used
//! in the next, and between the two another task can remove an earlier item.

use racelab_actor::Gone;
use racelab_kit::say;

use super::Call;

/// `actor SafeArrayManager { private var items: [String] }`.
#[derive(Debug, Default)]
pub struct SafeArrayManager {
    items: Vec<String>,
}

// ANCHOR: remove
impl SafeArrayManager {
    /// `removeItem(at:)`, with Swift's `Int` index.
    pub fn remove_item(&mut self, at: isize) {
        if at < self.items.len() as isize {
            let removed = self.items.remove(at as usize); // -1 → usize::MAX: traps, as in Swift
            say!("removeItem(at: {at}) removes {removed}");
        }
    }
}
// ANCHOR_END: remove

// ANCHOR: delete
impl super::ItemList for SafeArrayManager {
    fn add_item(&mut self, item: &str) {
        self.items.push(item.to_string());
    }

    fn get_items(&self) -> Vec<String> {
        say!("getItems() → {}", self.items.join(", "));
        self.items.clone()
    }

    async fn delete(
        manager: &impl Call<Self>,
        item: &'static str,
        confirmed: impl Future<Output = ()> + Send,
    ) -> Result<(), Gone> {
        let items = manager.call(|list| list.get_items()).await?;
        let Some(index) = items.iter().position(|i| i == item) else {
            return Ok(());
        };
        say!("finds {item} at index {index}");
        confirmed.await;
        let at = index as isize; // the index of one call, used in the next: stale by then
        manager.call(move |list| list.remove_item(at)).await
    }
}
// ANCHOR_END: delete
