//! A15's fixed `SafeArrayManager`: the actor removes an item *by identity*, finding and removing
//! it in one step inside the actor, so nothing can move it in between.

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
    /// Removes `item` — by identity, not by where it was a call ago.
    pub fn remove(&mut self, item: &str) {
        if let Some(at) = self.items.iter().position(|i| i == item) {
            let removed = self.items.remove(at); // found and removed in one step, inside the actor
            say!("remove({item}) removes {removed}");
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
        say!("deletes {item}");
        confirmed.await;
        manager.call(move |list| list.remove(item)).await // found and removed in one call
    }
}
// ANCHOR_END: delete
