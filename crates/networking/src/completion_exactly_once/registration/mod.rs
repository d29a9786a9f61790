//! N12's second lesson — a 500 counts as "registered": `sendTokenToServer` (L3517–3539) prints
//! "Device token registered successfully" whenever `URLSession` reports no transport error, and a
//! transport error is only what kept an answer from arriving at all (no connection, a timeout).
//! An HTTP 4xx or 5xx *is* an answer: `error` is nil, and the app believes the server has its
//! token while the server has nothing, so no push will ever reach the device.
//!
//! The check ([`registers_only_when_the_server_accepts`]): a real axum server on `127.0.0.1:0`
//! answers `POST /register-device` with `500 Internal Server Error`; the registration must come
//! back as a failure.
//!
//! * [`broken`] is the guide's completion handler: no transport error, so "registered".
//! * [`fixed`] turns a 4xx/5xx into an error first (`Response::error_for_status`).
//!
//! How it is caught: **one forced schedule** (one request, one answer; nothing to order). It runs
//! on [`loopback::run_as`] (real clock, I/O); no timer decides anything.

use axum::Router;
use axum::http::StatusCode;
use axum::routing::post;
use racelab_kit::say;

use crate::loopback::{self, Server, server_says};

pub mod broken;
pub mod fixed;

/// The device token the app registers (hex, as `handleDeviceToken` makes it).
pub const TOKEN: &str = "a1b2c3d4";

/// What both twins implement: `sendTokenToServer(_:)`, returning what the app now believes.
pub trait Registrar {
    /// `POST {url}` with the token; `Ok` means the app treats the device as registered.
    fn send_token_to_server(
        client: &reqwest::Client,
        url: String,
        token: &str,
    ) -> impl Future<Output = Result<(), String>>;
}

/// Starts a loopback server whose `POST /register-device` answers `status`.
pub async fn start_registry(status: StatusCode) -> Result<Server, String> {
    let register = move |body: String| async move {
        server_says(format!(
            "POST /register-device {body} → {}",
            status.as_u16()
        ));
        (status, "")
    };
    Server::start(Router::new().route("/register-device", post(register))).await
}

// ANCHOR: check
/// The server answers `500`: the app must not believe the device is registered.
pub async fn registers_only_when_the_server_accepts<R: Registrar>() -> Result<(), String> {
    let client = loopback::client()?; // before the server starts: no `?` skips its stop
    let server = start_registry(StatusCode::INTERNAL_SERVER_ERROR).await?;
    say!("sendTokenToServer({TOKEN:?})");
    let registered = R::send_token_to_server(&client, server.url("/register-device"), TOKEN).await;
    server.stop().await?;
    match registered {
        Ok(()) => Err(
            "the server answered 500 and stored nothing, but the app logged the device token as \
             registered"
                .to_string(),
        ),
        Err(e) if e.contains("500 Internal Server Error") => Ok(()), // failed *because* of the 500
        Err(e) => Err(format!("the registration failed, but not on the 500: {e}")),
    }
}
// ANCHOR_END: check
