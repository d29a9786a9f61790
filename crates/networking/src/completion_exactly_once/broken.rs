//! N12's broken push handler: the guide's order. This version is problematic: it calls the
//! completion with `.newData` before it has fetched anything, and the system may suspend the app
//! the moment the completion is called.

use super::{FetchCompletion, FetchResult, fetch_inbox};

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
        completion.complete(FetchResult::NewData); // the guide: `completionHandler(.newData)` first
        let _result = fetch_inbox(&client, &base).await; // handlePushNotification(userInfo)
    }
}
// ANCHOR_END: handler
