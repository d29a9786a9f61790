//! N1 fixed: `fetchData` accepts every 2xx, and a 204's empty body is `null` — `None` when the
//! caller asks for an `Option<T>`. 404, 500 and a body that is not JSON stay typed errors.

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
        if !status.is_success() {
            // every 2xx is a success, not only 200
            return Err(NetworkError::HttpError {
                status_code: status.as_u16(),
            });
        }
        let data = if status == StatusCode::NO_CONTENT {
            &b"null"[..]
        } else {
            &data[..]
        }; // 204: nothing, which decodes as None
        serde_json::from_slice(data).map_err(|e| NetworkError::DecodingError(e.to_string()))
    }
}
// ANCHOR_END: fetch
