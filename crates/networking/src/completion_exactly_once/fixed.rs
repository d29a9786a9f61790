//! N12's fixed push handler: fetch first, then complete once with what the fetch found.

use super::{FetchCompletion, fetch_inbox};

/// The app delegate's push handling (`extension PushNotificationManager`).
#[derive(Debug)]
pub struct AppDelegate;

// ANCHOR: handler
impl super::PushHandler for AppDelegate {
    async fn did_receive_remote_notification(
        client: reqwest::Client,
        base: String,
        completion: FetchCompletion,
    ) {
        let result = fetch_inbox(&client, &base).await; // handlePushNotification(userInfo)
        completion.complete(result); // after the work, with its real result
    }
}
// ANCHOR_END: handler
