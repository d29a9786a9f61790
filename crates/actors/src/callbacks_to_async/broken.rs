//! A1's broken bridge: a hand-rolled continuation — a slot the callback fills and a `Notify` that
//! wakes the waiting `fetch_user()`, which is what Swift's `withCheckedThrowingContinuation` is.
//! This version is problematic: when the service drops the callback without calling it, nothing
//! fills the slot and nothing wakes the waiter, so `fetch_user()` waits forever.

use std::sync::{Arc, Mutex};

use racelab_kit::say;
use racelab_kit::sync::lock_unpoisoned;
use tokio::sync::Notify;

use super::{FetchError, Path, User, fetch_user_data};

/// `fetchUserData() async throws -> User` over the callback API.
pub struct Bridge;

// ANCHOR: bridge
impl super::Bridge for Bridge {
    async fn fetch_user(path: Path) -> Result<User, FetchError> {
        let slot = Arc::new(Slot::default());
        let filler = Arc::clone(&slot);
        fetch_user_data(path, Box::new(move |result| filler.fill(result)));
        say!("waits for the callback");
        slot.take().await
    }
}

/// A continuation by hand: `fill` is `resume`, `take` is the suspended caller.
#[derive(Default)]
struct Slot {
    result: Mutex<Option<Result<User, FetchError>>>,
    filled: Notify,
}

impl Slot {
    fn fill(&self, result: Result<User, FetchError>) {
        *lock_unpoisoned(&self.result) = Some(result);
        self.filled.notify_one();
    }

    async fn take(&self) -> Result<User, FetchError> {
        loop {
            if let Some(result) = lock_unpoisoned(&self.result).take() {
                return result;
            }
            self.filled.notified().await; // nobody will notify if the callback is dropped
        }
    }
}
// ANCHOR_END: bridge
