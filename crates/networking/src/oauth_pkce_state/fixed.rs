//! N6, the guide's `OAuth2Manager` (L2590–2700), fixed: the callback's `state` must be the one
//! this app sent, PKCE S256 replaces the embedded client secret (RFC 7636; a public client cannot
//! keep a secret), and the token request is a real `application/x-www-form-urlencoded` body.

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
            ("code_challenge", &harness::s256(&pending.verifier)), // PKCE: S256 of a secret kept here
            ("code_challenge_method", "S256"),
        ]);
        format!("{}?{query}", super::AUTH_URL)
    }
    // ANCHOR_END: start

    // ANCHOR: callback
    /// `handleCallback(url:)`: the browser came back to the app with a code.
    async fn handle_callback(&self, callback: &str, pending: &Pending) -> Result<String, String> {
        let query = callback.split_once('?').map_or("", |(_, q)| q);
        let items: HashMap<String, String> = form_decoded(query).into_iter().collect();
        let (Some(code), Some(state)) = (items.get("code"), items.get("state")) else {
            return Err("invalidCallback".into());
        };
        if *state != pending.state {
            return Err("state mismatch: a sign-in this app never started".into()); // CSRF
        }
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
        pending: &Pending,
    ) -> Result<String, String> {
        let body = [
            ("grant_type", "authorization_code"),
            ("client_id", CLIENT_ID),
            ("code_verifier", &pending.verifier), // PKCE, instead of a secret the app can't keep
            ("code", code),
            ("redirect_uri", REDIRECT_URI),
        ];
        let response = (self.http.post(&self.token_url))
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(harness::form_encoded(&body)) // `+` → %2B, `&` → %26: the form survives
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
