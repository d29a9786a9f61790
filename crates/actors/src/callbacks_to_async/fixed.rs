//! A1's fixed bridge: a `tokio::sync::oneshot` channel. The callback owns the sender, so the
//! callback being dropped uncalled drops the sender, and the waiting receiver hears about it at
//! once: `fetch_user()` returns `Err(NoAnswer)` instead of waiting forever.

use racelab_kit::say;
use tokio::sync::oneshot;

use super::{FetchError, Path, User, fetch_user_data};

/// `fetchUserData() async throws -> User` over the callback API.
pub struct Bridge;

// ANCHOR: bridge
impl super::Bridge for Bridge {
    async fn fetch_user(path: Path) -> Result<User, FetchError> {
        let (tx, rx) = oneshot::channel();
        fetch_user_data(
            path,
            Box::new(move |result| {
                let _ = tx.send(result); // `send` takes `tx` by value: a second call cannot compile
            }),
        );
        say!("waits for the callback");
        rx.await.unwrap_or(Err(FetchError::NoAnswer)) // the sender was dropped: no answer is coming
    }
}
// ANCHOR_END: bridge
