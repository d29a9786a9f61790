//! N9's broken auth client: every 401 refreshes the token.
//! This version is problematic: a burst of 401s for one expired token starts one refresh per
//! request — a refresh storm, each refresh retiring the token the one before it issued.

use tokio::sync::Mutex;

/// The client side of `AuthenticationInterceptor`, with `OAuth2Manager`'s access token.
#[derive(Debug)]
pub struct Auth {
    client: reqwest::Client,
    base: String,
    token: Mutex<String>,
}

// ANCHOR: auth
impl super::Authenticated for Auth {
    fn new(client: reqwest::Client, base: String, token: &str) -> Self {
        Auth {
            client,
            base,
            token: Mutex::new(token.to_string()),
        }
    }

    async fn get_profile(&self) -> Result<String, String> {
        let sent = self.token.lock().await.clone();
        match self.profile_with(&sent).await? {
            Some(profile) => Ok(profile),
            None => {
                let token = self.refresh_token(&sent).await?; // "Handle 401 responses by refreshing"
                self.profile_with(&token)
                    .await?
                    .ok_or_else(|| "401 after the refresh".to_string())
            }
        }
    }
}

impl Auth {
    /// `refreshTokenIfNeeded()`: gets a new access token and stores it.
    async fn refresh_token(&self, _expired: &str) -> Result<String, String> {
        let mut current = self.token.lock().await;
        *current = self.post_refresh().await?;
        Ok(current.clone())
    }
}
// ANCHOR_END: auth

impl Auth {
    /// `GET /profile` with `token`: `Some(body)`, or `None` on 401.
    async fn profile_with(&self, token: &str) -> Result<Option<String>, String> {
        let failed = |e: reqwest::Error| format!("GET /profile failed: {e}");
        let url = format!("{}/profile", self.base);
        let response = self
            .client
            .get(url)
            .bearer_auth(token)
            .send()
            .await
            .map_err(failed)?;
        if response.status() == reqwest::StatusCode::UNAUTHORIZED {
            return Ok(None);
        }
        Ok(Some(
            response
                .error_for_status()
                .map_err(failed)?
                .text()
                .await
                .map_err(failed)?,
        ))
    }

    /// `POST /refresh`: the new access token.
    async fn post_refresh(&self) -> Result<String, String> {
        let failed = |e: reqwest::Error| format!("POST /refresh failed: {e}");
        let url = format!("{}/refresh", self.base);
        let response = self.client.post(url).send().await.map_err(failed)?;
        response
            .error_for_status()
            .map_err(failed)?
            .text()
            .await
            .map_err(failed)
    }
}
