//! N6's sign-in, ended in the right order: the pending sign-in is *taken* before the token
//! request — by a callback carrying its `state` only, so a stray or forged one cancels nothing —
//! so a second callback for it finds none and redeems nothing; the token is stored
//! before the UI says signed in, so a failed store is a failed sign-in.

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
        let pending = lock(&self.pending).take_if(|p| p.state == *state); // once, by its own callback
        let pending = pending.ok_or("no sign-in under way with this state")?; // a stray one takes nothing
        let user = self.oauth.exchange_code_for_token(code, &pending).await?;
        self.store
            .save(&user)
            .map_err(|e| format!("tokenStorageFailed ({:?})", e.kind()))?; // stored first
        *lock(&self.signed_in) = Some(user.clone()); // then shown: only a stored sign-in
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
