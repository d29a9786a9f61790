//! N1 broken: the guide's `NetworkManager.fetchData` (L2133–2146), status guard and all. This
//! version is problematic.
//!
//! `status != 200` is an error, so a `204 No Content` (or any other 2xx) is reported as a
//! failure; and a 204's empty body could not be decoded anyway.

use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use super::NetworkError;

/// The guide's `NetworkManager`, over a client it is given.
pub struct NetworkManager {
    client: reqwest::Client,
}

// ANCHOR: fetch
impl super::FetchData for NetworkManager {
    fn new(client: reqwest::Client) -> Self {
        NetworkManager { client }
    }

    async fn fetch_data<T: DeserializeOwned>(&self, url: &str) -> Result<T, NetworkError> {
        let response = self.client.get(url).send().await;
        let response = response.map_err(|e| NetworkError::InvalidResponse(e.to_string()))?;
        let status = response.status();
        let data = response.bytes().await;
        let data = data.map_err(|e| NetworkError::InvalidResponse(e.to_string()))?;
        if status != StatusCode::OK {
            return Err(NetworkError::HttpError {
                status_code: status.as_u16(),
            });
        }
        let data = &data[..];
        serde_json::from_slice(data).map_err(|e| NetworkError::DecodingError(e.to_string()))
    }
}
// ANCHOR_END: fetch
