//! N2 fixed: `uploadData` accepts every 2xx — `201 Created` is what a successful upload gets.

use reqwest::header::{CONTENT_TYPE, HeaderValue};

use super::UploadResponse;
use crate::fetch_status_handling::NetworkError;

/// The guide's `AdvancedNetworkManager`, over the configured client.
pub struct AdvancedNetworkManager {
    session: reqwest::Client,
}

// ANCHOR: upload
impl super::UploadData for AdvancedNetworkManager {
    fn new(client: reqwest::Client) -> Self {
        AdvancedNetworkManager { session: client }
    }

    async fn upload_data(&self, data: Vec<u8>, url: &str) -> Result<UploadResponse, NetworkError> {
        let json = HeaderValue::from_static("application/json");
        let request = self.session.post(url).header(CONTENT_TYPE, json).body(data);
        let response = request.send().await;
        let response = response.map_err(|e| NetworkError::InvalidResponse(e.to_string()))?;
        let status = response.status();
        let data = response.bytes().await;
        let data = data.map_err(|e| NetworkError::InvalidResponse(e.to_string()))?;
        if !status.is_success() {
            // 201 Created (any 2xx) is a success
            return Err(NetworkError::HttpError {
                status_code: status.as_u16(),
            });
        }
        serde_json::from_slice(&data).map_err(|e| NetworkError::DecodingError(e.to_string()))
    }
}
// ANCHOR_END: upload
