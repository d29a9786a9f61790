//! N6's sign-in, ended the guide's way (`handleCallback` → `exchangeCodeForToken`, L2615–2657).
//! This version is problematic: it reads the pending sign-in and clears it only after the token
//! request, so a callback handled twice redeems the code twice; and it marks the UI signed in
//! (L2650–2653) before storing the token (L2656), which can fail.

use std::collections::HashMap;
use std::sync::Mutex;

use super::super::OAuthClient;
use super::super::fixed::OAuth2Manager as Oauth;
use super::super::harness::{Pending, form_decoded, lock};
use super::store::TokenStore;

/// The manager: the fixed N6 client (its authorization URL and token exchange, shared by both
/// twins), the sign-in under way, the token store, and what the UI shows.
pub struct OAuth2Manager {
    oauth: Oauth,
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
        let user = self.oauth.exchange_code_for_token(code, &pending).await?;
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
            oauth: Oauth::new(http, token_url),
            pending,
            store,
            signed_in,
        }
    }

    fn start(&self) -> String {
        let pending = Pending::new();
        let url = self.oauth.authorization_url(&pending);
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
