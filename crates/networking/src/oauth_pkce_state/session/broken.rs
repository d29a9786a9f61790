//! N6's sign-in, ended the guide's way (`handleCallback` → `exchangeCodeForToken`, L2615–2657).
//! This version is problematic: it reads the pending sign-in and clears it only after the token
//! request, so a callback handled twice redeems the code twice; and it marks the UI signed in
//! (L2650–2653) before storing the token (L2656), which can fail.

use std::collections::HashMap;
use std::sync::Mutex;

use super::super::harness::{self, CLIENT_ID, Pending, REDIRECT_URI, form_decoded};
use super::store::TokenStore;

/// The manager: HTTP, the sign-in under way, the token store, and what the UI shows.
pub struct OAuth2Manager {
    http: reqwest::Client,
    token_url: String,
    pending: Mutex<Option<Pending>>,
    store: Box<dyn TokenStore>,
    signed_in: Mutex<Option<String>>,
}

// ANCHOR: callback
impl OAuth2Manager {
    async fn finish(&self, callback: &str) -> Result<String, String> {
        let query = callback.split_once('?').map_or("", |(_, q)| q);
        let items: HashMap<String, String> = form_decoded(query).into_iter().collect();
        let (Some(code), Some(state)) = (items.get("code"), items.get("state")) else {
            return Err("invalidCallback".into());
        };
        let pending = lock(&self.pending).clone();
        let pending = pending.ok_or("no sign-in under way")?;
        if *state != pending.state {
            return Err("state mismatch".into());
        }
        let user = self.exchange_code_for_token(code, &pending).await?;
        *lock(&self.pending) = None;
        *lock(&self.signed_in) = Some(user.clone()); // isAuthenticated = true
        self.store
            .save(&user)
            .map_err(|e| format!("tokenStorageFailed ({:?})", e.kind()))?;
        Ok(user)
    }
}
// ANCHOR_END: callback

impl super::SignIn for OAuth2Manager {
    fn new(http: reqwest::Client, token_url: String, store: Box<dyn TokenStore>) -> Self {
        let (pending, signed_in) = (Mutex::default(), Mutex::default());
        OAuth2Manager {
            http,
            token_url,
            pending,
            store,
            signed_in,
        }
    }

    fn start(&self) -> String {
        let pending = Pending::new();
        let url = authorization_url(&pending);
        *lock(&self.pending) = Some(pending);
        url
    }

    async fn handle_callback(&self, callback: &str) -> Result<String, String> {
        self.finish(callback).await
    }

    fn signed_in(&self) -> Option<String> {
        lock(&self.signed_in).clone()
    }
}

impl OAuth2Manager {
    /// The token request (the fixed N6 exchange: PKCE verifier, real form encoding).
    async fn exchange_code_for_token(
        &self,
        code: &str,
        pending: &Pending,
    ) -> Result<String, String> {
        let body = [
            ("grant_type", "authorization_code"),
            ("client_id", CLIENT_ID),
            ("code_verifier", &pending.verifier),
            ("code", code),
            ("redirect_uri", REDIRECT_URI),
        ];
        let response = (self.http.post(&self.token_url))
            .header(
                reqwest::header::CONTENT_TYPE,
                "application/x-www-form-urlencoded",
            )
            .body(harness::form_encoded(&body))
            .send()
            .await
            .map_err(|e| format!("token request: {e}"))?;
        let status = response.status();
        let text = response
            .text()
            .await
            .map_err(|e| format!("token body: {e}"))?;
        match text.strip_prefix("user=") {
            Some(user) if status.is_success() => Ok(user.to_owned()),
            _ => Err(format!("token endpoint: {} {text}", status.as_u16())),
        }
    }
}

/// The fixed N6 authorization URL: state and a PKCE S256 challenge.
fn authorization_url(pending: &Pending) -> String {
    let query = harness::form_encoded(&[
        ("client_id", CLIENT_ID),
        ("redirect_uri", REDIRECT_URI),
        ("response_type", "code"),
        ("state", &pending.state),
        ("code_challenge", &harness::s256(&pending.verifier)),
        ("code_challenge_method", "S256"),
    ]);
    format!("{}?{query}", super::super::AUTH_URL)
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
