//! N6 `oauth_pkce_state` — an OAuth client that never compares `state`, has no PKCE, and
//! form-encodes with `.urlQueryAllowed`.
//!
//! Ports the guide's "OAuth 2.0 Flow Handling" (L2536–2712), `OAuth2Manager`:
//!
//! * `state` is generated (L2607) and sent, but never stored; `handleCallback` reads it (L2618)
//!   and never compares it: no protection against a forged callback (login CSRF, RFC 6749 §10.12).
//! * No PKCE although L2572 lists it; instead a `clientSecret` ships in the app (L2595, L2634).
//! * `percentEncoded()` (L2701–2710) escapes with `.urlQueryAllowed`, which leaves `&`, `=` and
//!   `+` as they are; in a form body `+` means a space and `&` ends a field.
//!
//! The check ([`sign_in_then_a_forged_callback`]): a real token endpoint on `127.0.0.1` (axum)
//! that decodes form bodies the standard way and needs the PKCE verifier for a code issued with a
//! challenge (the client secret otherwise). Alice signs in; the server's code for her holds a
//! `+` ([`ALICE_CODE`]) — she must end up signed in. Then the app, mid-sign-in, receives a
//! callback carrying mallory's own code and state — it must refuse it.
//!
//! * [`broken`] sends `code=Kq7+Zx/9mW` raw: the server reads `Kq7 Zx/9mW`, no such code. And it
//!   redeems mallory's code: the app is signed in as mallory.
//! * [`fixed`] encodes with `form_urlencoded` (`Kq7%2BZx%2F9mW`), sends the PKCE verifier, and
//!   refuses a callback whose `state` is not the one it sent.
//!
//! [`session`] is the second lesson, the end of a sign-in: one redirect handled twice redeems the
//! code twice, and the UI says "signed in" before the token is stored; its own twins and checks.
//!
//! Three bugs, three fixes: the twins differ in 13 lines (a declared rewrite of three spots, not
//! of the shape) — the `code_challenge` pair in `authorization_url`, the `state` comparison in
//! `handle_callback`, and `code_verifier` for `client_secret` plus the encoder in the exchange.
//!
//! How it is caught: **one forced schedule** (one client, one request at a time), and a
//! **property** (proptest, in the tests: encode → decode must give the fields back; the broken
//! encoder's shrunk counterexample is pinned).

use std::future::Future;

use racelab_kit::demo::{Demo, Report, Variant};
use racelab_kit::say;
use racelab_kit::trace::{Trace, traced};

pub mod broken;
pub mod fixed;
pub mod harness;
pub mod session;

use crate::loopback;
use harness::{AuthServer, Pending};

/// Where the browser goes (never fetched: the user's part is [`AuthServer::authorize`]).
pub const AUTH_URL: &str = "https://auth.example/oauth/authorize";
/// The code the server issues alice: base64, so it may hold `+` and `/`.
pub const ALICE_CODE: &str = "Kq7+Zx/9mW";
/// The code the server issues mallory, in his own sign-in.
pub const MALLORY_CODE: &str = "Mv3Qp8Rt2L";

/// What the check needs from a twin: the guide's `OAuth2Manager`.
pub trait OAuthClient: Sized {
    /// A client using `http` and the token endpoint at `token_url`.
    fn new(http: reqwest::Client, token_url: String) -> Self;
    /// `startOAuthFlow()`: the authorization URL for this sign-in.
    fn authorization_url(&self, pending: &Pending) -> String;
    /// `handleCallback(url:)`: the user signed in as, or why not.
    fn handle_callback(
        &self,
        callback: &str,
        pending: &Pending,
    ) -> impl Future<Output = Result<String, String>>;
}

// ANCHOR: check
/// Alice signs in (her code holds a `+`): she must be signed in. Then, mid-sign-in, the app gets
/// a callback with mallory's code and state: it must not sign in as mallory.
pub async fn sign_in_then_a_forged_callback<C: OAuthClient>(
    server: &AuthServer,
    token_url: &str,
) -> Result<(), String> {
    let app = C::new(loopback::client()?, token_url.to_owned());
    let mut problems = Vec::new();

    let pending = Pending::new();
    let url = app.authorization_url(&pending);
    let pkce = if url.contains("code_challenge=") {
        "with"
    } else {
        "without"
    };
    say!("opens the browser to sign alice in ({pkce} a PKCE code_challenge)");
    let callback = server.authorize(&url, "alice", ALICE_CODE);
    say!("the server redirects back with alice's code {ALICE_CODE:?} and the state");
    match app.handle_callback(&callback, &pending).await {
        Ok(user) => say!("signed in as {user}"),
        Err(e) => {
            say!("sign-in fails: {e}");
            problems.push("alice could not sign in".to_owned());
        }
    }

    let mallory = Pending::new(); // mallory starts a sign-in with the same app, on his phone
    let his_url = C::new(loopback::client()?, token_url.to_owned()).authorization_url(&mallory);
    let forged = server.authorize(&his_url, "mallory", MALLORY_CODE);
    let pending = Pending::new();
    let _ = app.authorization_url(&pending);
    say!("alice opens the browser again; a link from mallory lands first, with his code");
    match app.handle_callback(&forged, &pending).await {
        Ok(user) => {
            say!("signed in as {user}");
            problems.push(format!("a forged callback signed the app in as {user}"));
        }
        Err(e) => say!("refuses the callback: {e}"),
    }
    match problems.is_empty() {
        true => Ok(()),
        false => Err(problems.join("; ")),
    }
}
// ANCHOR_END: check

/// Starts the token endpoint, runs the check for `C`, stops the server.
pub async fn with_server<C: OAuthClient>() -> Result<(), String> {
    let server = AuthServer::default();
    let running = server.start().await?;
    let outcome = sign_in_then_a_forged_callback::<C>(&server, &running.url("/token")).await;
    running.stop().await?;
    outcome
}

/// Runs the check for one twin, with a trace installed.
pub fn run(variant: Variant) -> (Result<(), String>, Trace) {
    traced(|_| match variant {
        Variant::Broken => loopback::run_as("app", with_server::<broken::OAuth2Manager>()),
        Variant::Fixed => loopback::run_as("app", with_server::<fixed::OAuth2Manager>()),
    })
}

/// This demo's entry in the chapter registry (`crate::CHAPTER`).
pub const DEMO: Demo = Demo {
    id: "N6",
    name: "oauth_pkce_state",
    summary: "state never compared, no PKCE, `+` sent raw in a form; check state, S256, encode",
    run: demo,
};

/// The demo: the scenario, narrated.
pub fn demo(variant: Variant) -> Report {
    let mut report = Report::new(variant);
    report.heading("a token endpoint on 127.0.0.1: alice signs in, then a forged callback");
    let (outcome, trace) = run(variant);
    report.trace(&trace);
    report.conclude(
        outcome.err(),
        "alice signed in (her `+` intact); the forged callback was refused",
    );
    report
}
