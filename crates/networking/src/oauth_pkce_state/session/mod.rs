//! N6's second lesson: the end of a sign-in. Two more of the guide's bugs in
//! `OAuth2Manager` (L2590–2679), both after the callback is accepted:
//!
//! * **Two callbacks, one code.** `handleCallback` keeps no record that a sign-in is under way
//!   (the guide does not even keep its `state`), so the same redirect handled twice — the system
//!   delivering the URL to `onOpenURL` and a scene delegate, a double tap on a link — redeems the
//!   single-use code twice. The server refuses the second (RFC 6749 §4.1.2: a code used twice
//!   "MUST" be denied, and tokens already issued for it "SHOULD" be revoked), so the user, signed
//!   in, sees a failed sign-in — or loses the session the first redemption gave.
//! * **"Signed in" before the token is stored.** `isAuthenticated = true` (L2650–2653) comes
//!   before `try await storeTokenSecurely(…)` (L2656), which can fail (`errSecSuccess` is checked
//!   at L2670–2672): the UI says signed in, nothing is stored, and the next launch is signed out.
//!
//! Both twins start from the fixed N6 client (state compared, PKCE, real form encoding; they call
//! its `authorization_url` and `exchange_code_for_token`, written once): the
//! lesson here is the order of the last steps.
//!
//! * [`broken`] reads the pending sign-in and clears it after the token request; marks the UI
//!   signed in, then stores the token.
//! * [`fixed`] **takes** the pending sign-in (under the lock) before the request, and only for a
//!   callback whose `state` matches, so a second callback finds none and a stray one cancels
//!   nothing; stores the token, then marks the UI signed in.
//!
//! How it is caught: **one forced schedule** each, on real loopback sockets (no timer decides
//! anything). The token endpoint holds its answers on gates: the first callback's request waits
//! at the server while the second callback runs; the failing store is a real one (a file in a
//! directory that does not exist).

use std::future::Future;
use std::path::PathBuf;

use racelab_kit::rt::{self, Gate};
use racelab_kit::say;

use super::harness::AuthServer;
use crate::loopback;

pub mod broken;
pub mod fixed;
pub mod store;

use store::TokenStore;

/// What the checks need from a twin: the sign-in part of the guide's `OAuth2Manager`.
pub trait SignIn: Sized + Send + Sync + 'static {
    /// A manager using `http`, the token endpoint at `token_url`, and `store` for the token.
    fn new(http: reqwest::Client, token_url: String, store: Box<dyn TokenStore>) -> Self;
    /// `startOAuthFlow()`: remembers this sign-in, returns the URL the browser opens.
    fn start(&self) -> String;
    /// `handleCallback(url:)`: the user signed in as, or why not.
    fn handle_callback(
        &self,
        callback: &str,
    ) -> impl Future<Output = Result<String, String>> + Send;
    /// What the UI shows: `Some(user)` when `isAuthenticated`.
    fn signed_in(&self) -> Option<String>;
}

/// A manager for `M` against `server`, with `store`.
fn manager<M: SignIn>(token_url: &str, store: Box<dyn TokenStore>) -> Result<M, String> {
    Ok(M::new(loopback::client()?, token_url.to_owned(), store))
}

// ANCHOR: twice
/// The same redirect arrives twice. The first callback's token request is held at the server
/// (`first`: the server's first answer gate) while the second callback runs (to the server too,
/// at `second`, or to its refusal); then the answers go out in order. The code must be redeemed
/// once.
pub async fn one_callback_redeems_the_code<M: SignIn>(
    server: &AuthServer,
    token_url: &str,
    store: Box<dyn TokenStore>,
    [first, second]: [Gate; 2],
) -> Result<(), String> {
    let app = std::sync::Arc::new(manager::<M>(token_url, store)?);
    let callback = server.authorize(&app.start(), "alice", super::ALICE_CODE);
    say!("the redirect with alice's code arrives twice (onOpenURL and the scene delegate)");

    let mut one = rt::spawn("callback 1", handle(app.clone(), callback.clone()));
    tokio::select! {
        biased;
        () = first.arrived(1) => {} // callback 1's token request waits at the server
        one = &mut one => {         // or callback 1 ended without asking: nothing to hold
            let one = one.map_err(|e| format!("callback 1 panicked: {e}"))?;
            return Err(format!(
                "callback 1 ended before its token request: {}",
                outcome(&one)
            ));
        }
    }
    let mut two = rt::spawn("callback 2", handle(app.clone(), callback));
    let finished = tokio::select! {
        biased;
        () = second.arrived(1) => None, // callback 2 asked the server as well
        two = &mut two => Some(two),     // or it finished without asking
    };
    first.open();
    let one = one.await.map_err(|e| e.to_string())?;
    second.open();
    let two = match finished {
        Some(two) => two,
        None => two.await,
    };
    let two = two.map_err(|e| e.to_string())?;

    let redeemed = server.token_requests();
    say!("the token endpoint was asked to redeem the code {redeemed} time(s)");
    match (redeemed, one, two) {
        (1, Ok(_), Err(_)) => Ok(()),
        (n, one, two) => Err(format!(
            "one sign-in redeemed its code {n} times (callback 1: {}; callback 2: {})",
            outcome(&one),
            outcome(&two)
        )),
    }
}
// ANCHOR_END: twice

/// One callback, narrated.
async fn handle<M: SignIn>(app: std::sync::Arc<M>, callback: String) -> Result<String, String> {
    say!("handles the callback");
    let result = app.handle_callback(&callback).await;
    say!("{}", outcome(&result));
    result
}

fn outcome(result: &Result<String, String>) -> String {
    match result {
        Ok(user) => format!("signed in as {user}"),
        Err(e) => format!("fails: {e}"),
    }
}

// ANCHOR: stored
/// Alice signs in, and storing her token fails: the app must not say she is signed in.
pub async fn signed_in_only_once_stored<M: SignIn>(
    server: &AuthServer,
    token_url: &str,
    store: Box<dyn TokenStore>,
) -> Result<(), String> {
    let app = manager::<M>(token_url, store)?;
    let callback = server.authorize(&app.start(), "alice", super::ALICE_CODE);
    let result = app.handle_callback(&callback).await;
    say!("handleCallback: {}", outcome(&result));
    let shown = app.signed_in();
    say!(
        "the UI shows: {}",
        shown
            .as_deref()
            .map_or("signed out".into(), |u| format!("signed in as {u}"))
    );
    match (result, shown) {
        (Err(_), Some(user)) => Err(format!(
            "the UI says signed in as {user}, but the token was not stored"
        )),
        (Err(e), None) if e.starts_with("tokenStorageFailed") => Ok(()), // the store's failure
        (Ok(user), Some(shown)) if user == shown => Ok(()),              // a store that works
        (result, shown) => Err(format!(
            "the sign-in ended another way ({}; the UI shows {shown:?})",
            outcome(&result)
        )),
    }
}
// ANCHOR_END: stored

/// Starts `server`'s token endpoint, runs `check` for `M` with `store`, stops the server (which
/// opens every answer gate it holds first, so a check that ends early cannot leave it waiting);
/// on a loopback runtime signed "app".
pub fn run_check<F, Fut>(
    server: AuthServer,
    check: F,
    store: Box<dyn TokenStore>,
) -> Result<(), String>
where
    F: FnOnce(AuthServer, String, Box<dyn TokenStore>) -> Fut,
    Fut: Future<Output = Result<(), String>>,
{
    loopback::run_as("app", async move {
        let running = server.start().await?;
        let outcome = check(server, running.url("/token"), store).await;
        running.stop().await?;
        outcome
    })
}

/// A token store that cannot write: a file in a directory that does not exist under `scratch`.
pub fn unwritable_store(scratch: &std::path::Path) -> Box<dyn TokenStore> {
    let path: PathBuf = scratch.join("no-such-directory").join("token");
    Box::new(store::FileTokenStore::new(path))
}

/// Runs [`one_callback_redeems_the_code`] for `M`, with the pending state of a fresh sign-in.
pub fn twice<M: SignIn>(store: Box<dyn TokenStore>) -> Result<(), String> {
    let gates = [Gate::new("first answer"), Gate::new("second answer")];
    run_check(
        AuthServer::holding_answers(gates.to_vec()),
        |server, url, store| async move {
            one_callback_redeems_the_code::<M>(&server, &url, store, gates).await
        },
        store,
    )
}

/// Runs [`signed_in_only_once_stored`] for `M` with `store`.
pub fn stored<M: SignIn>(store: Box<dyn TokenStore>) -> Result<(), String> {
    run_check(
        AuthServer::default(),
        |server, url, store| async move { signed_in_only_once_stored::<M>(&server, &url, store).await },
        store,
    )
}
