//! N9's second lesson — the log has the bearer token: `LoggingInterceptor` (L2938–2954) prints
//! every header of every request. Chained after `AuthenticationInterceptor`, which sets
//! `Authorization: Bearer <token>` (L2967–2975; the chain runs in array order, L3000–3003), it
//! logs the token: whoever reads the device log, a crash report or a log shipper then holds a
//! working session.
//!
//! The check ([`the_log_never_shows_the_token`]): the two interceptors, in the order that leaks, on a
//! `GET /profile` that is then sent to the real auth server on `127.0.0.1:0` with its current
//! token. The request must still succeed (redaction must not change the wire), and no line of
//! the log may contain the token.
//!
//! * [`broken`] sets the header as the guide does and logs every value as it is.
//! * [`fixed`] marks the value sensitive (`HeaderValue::set_sensitive(true)`: http documents that
//!   a sensitive value is masked by `HeaderValue`'s `Debug` and may be treated specially by
//!   caches and HPACK), and its logger prints `<redacted>` for any value so marked.
//!
//! How it is caught: **one forced schedule** (one request, nothing to order), on a real socket
//! ([`loopback::run_as`]); no timer decides anything.

use racelab_kit::rt::Gate;
use racelab_kit::say;
use reqwest::header::ACCEPT;

use super::AuthServer;
use crate::loopback;

pub mod broken;
pub mod fixed;

/// What the auth server's tokens start with here: a string no other log line could hold, so
/// "the log holds the token" cannot match by chance (`t1` would match any line with "t1" in it).
pub const TOKEN_PREFIX: &str = "tok-7f3a9c-";
/// The auth server's current access token (the first it issues).
pub const TOKEN: &str = "tok-7f3a9c-1";

/// What both twins implement: the guide's two request interceptors.
pub trait Interceptors {
    /// `AuthenticationInterceptor.interceptRequest`: puts the bearer `token` on the request.
    fn authorize(request: reqwest::Request, token: &str) -> Result<reqwest::Request, String>;
    /// `LoggingInterceptor.interceptRequest`: the lines it prints for `request`.
    fn log_request(request: &reqwest::Request) -> Vec<String>;
}

/// Builds `GET /profile`, runs the interceptors in the order that leaks (auth, then logging),
/// sends it to a fresh auth server, and returns the log and the answer's status. The server is
/// stopped on every path.
pub async fn logged_request<I: Interceptors>() -> Result<(Vec<String>, u16), String> {
    let current = Gate::new("no 401 is held here");
    current.open();
    let client = loopback::client()?; // before the server starts: no `?` skips its stop
    let server = AuthServer::start_issuing(current, TOKEN_PREFIX).await?;
    let sent = async {
        let request = client
            .get(format!("{}/profile", server.base()))
            .header(ACCEPT, "application/json")
            .build()
            .map_err(|e| format!("the request could not be built: {e}"))?;
        let request = I::authorize(request, TOKEN)?;
        let log = I::log_request(&request);
        for line in &log {
            say!("log: {line}");
        }
        let sent = client.execute(request).await;
        let sent = sent.map_err(|e| format!("GET /profile failed: {}", e.without_url()))?;
        Ok::<_, String>((log, sent.status().as_u16()))
    }
    .await;
    server.stop().await?;
    let (log, status) = sent?;
    say!("GET /profile → {status}");
    Ok((log, status))
}

// ANCHOR: check
/// The request must still be authorized (200), and the log must not hold the token.
pub async fn the_log_never_shows_the_token<I: Interceptors>() -> Result<(), String> {
    let (log, status) = logged_request::<I>().await?;
    if status != 200 {
        return Err(format!("GET /profile with the current token got {status}"));
    }
    match log.iter().find(|line| line.contains(TOKEN)) {
        Some(line) => Err(format!("the request log holds the access token: `{line}`")),
        None => Ok(()),
    }
}
// ANCHOR_END: check
