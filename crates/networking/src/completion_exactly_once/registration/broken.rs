//! N12's broken `sendTokenToServer`: the guide's completion handler.
//! This version is problematic: only a transport error counts as a failure, so a 4xx or 5xx
//! answer is logged as "registered successfully".

use racelab_kit::say;
use reqwest::header::CONTENT_TYPE;

/// The guide's `PushNotificationManager`, the part that registers the token.
#[derive(Debug)]
pub struct PushNotificationManager;

// ANCHOR: register
impl super::Registrar for PushNotificationManager {
    async fn send_token_to_server(
        client: &reqwest::Client,
        url: String,
        token: &str,
    ) -> Result<(), String> {
        let body = serde_json::json!({ "device_token": token, "platform": "ios" });
        let sent = client
            .post(url)
            .header(CONTENT_TYPE, "application/json")
            .body(body.to_string())
            .send()
            .await; // `error` in the guide's completion handler: transport errors only
        match sent {
            Err(error) => {
                let error = error.without_url();
                say!("Failed to register device token: {error}");
                Err(error.to_string())
            }
            Ok(_response) => {
                say!("Device token registered successfully");
                Ok(())
            }
        }
    }
}
// ANCHOR_END: register
