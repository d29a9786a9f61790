//! N6, the guide's `OAuth2Manager` (L2590–2700), ported. This version is problematic: it sends the
//! `state` and never compares it on the way back (so a callback carrying someone else's code signs
//! the app in as them), has no PKCE and ships a client secret instead, and encodes the token
//! request with `.urlQueryAllowed` — a `+` in the code arrives as a space.

use std::collections::HashMap;

use reqwest::header::CONTENT_TYPE;

use super::harness::{self, CLIENT_ID, Pending, REDIRECT_URI, form_decoded};

/// The app's OAuth client: an HTTP client and where the token endpoint is.
#[derive(Debug)]
pub struct OAuth2Manager {
    http: reqwest::Client,
    token_url: String,
}

impl super::OAuthClient for OAuth2Manager {
    fn new(http: reqwest::Client, token_url: String) -> Self {
        OAuth2Manager { http, token_url }
    }

    // ANCHOR: start
    /// `startOAuthFlow()`: the URL the browser opens.
    fn authorization_url(&self, pending: &Pending) -> String {
        let query = harness::form_encoded(&[
            ("client_id", CLIENT_ID),
            ("redirect_uri", REDIRECT_URI),
            ("response_type", "code"),
            ("scope", "read write"),
            ("state", &pending.state),
        ]);
        format!("{}?{query}", super::AUTH_URL)
    }
    // ANCHOR_END: start

    // ANCHOR: callback
    /// `handleCallback(url:)`: the browser came back to the app with a code.
    async fn handle_callback(&self, callback: &str, pending: &Pending) -> Result<String, String> {
        let query = callback.split_once('?').map_or("", |(_, q)| q);
        let items: HashMap<String, String> = form_decoded(query).into_iter().collect();
        let (Some(code), Some(_state)) = (items.get("code"), items.get("state")) else {
            return Err("invalidCallback".into());
        };
        self.exchange_code_for_token(code, pending).await
    }
    // ANCHOR_END: callback
}

impl OAuth2Manager {
    // ANCHOR: exchange
    /// `exchangeCodeForToken(code:)`: `POST` the code to the token endpoint as a form.
    pub(crate) async fn exchange_code_for_token(
        &self,
        code: &str,
        _pending: &Pending,
    ) -> Result<String, String> {
        let body = [
            ("grant_type", "authorization_code"),
            ("client_id", CLIENT_ID),
            ("client_secret", harness::CLIENT_SECRET),
            ("code", code),
            ("redirect_uri", REDIRECT_URI),
        ];
        let response = (self.http.post(&self.token_url))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(harness::url_query_allowed_encoded(&body))
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
    // ANCHOR_END: exchange
}
